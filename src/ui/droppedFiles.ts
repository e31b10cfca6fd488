// Files from a drag-and-drop, with folders walked: a dropped folder's files get the relative
// path a folder picker would give them ("cats/1.jpg"), so the folder's name becomes the class
// the same way (core/userDataset's classFromPath).

export interface PathedFile {
  name: string;
  webkitRelativePath: string;
  file: File;
}

function readAll(reader: FileSystemDirectoryReader): Promise<FileSystemEntry[]> {
  // readEntries gives at most ~100 entries per call: call until it gives none.
  return new Promise((resolve, reject) => {
    const out: FileSystemEntry[] = [];
    const next = () =>
      reader.readEntries((batch) => {
        if (batch.length === 0) resolve(out);
        else {
          out.push(...batch);
          next();
        }
      }, reject);
    next();
  });
}

async function walk(entry: FileSystemEntry, prefix: string, out: PathedFile[], limit: number): Promise<void> {
  if (out.length >= limit) return;
  if (entry.isFile) {
    const file = await new Promise<File>((resolve, reject) => (entry as FileSystemFileEntry).file(resolve, reject));
    out.push({ name: file.name, webkitRelativePath: prefix + file.name, file });
  } else if (entry.isDirectory) {
    const children = await readAll((entry as FileSystemDirectoryEntry).createReader());
    for (const child of children) await walk(child, `${prefix}${entry.name}/`, out, limit);
  }
}

/**
 * Every file dropped, folders walked (up to `limit` files, so a dropped home folder does not
 * hang the page); loose files get an empty path. Call it inside the drop handler: the items
 * are only readable during the event, so their entries are taken before anything awaits.
 */
export async function droppedFiles(data: DataTransfer, limit = Infinity): Promise<PathedFile[]> {
  const entries = Array.from(data.items ?? [])
    .filter((i) => i.kind === 'file')
    .map((i) => ({ entry: i.webkitGetAsEntry?.() ?? null, file: i.getAsFile() }));
  const out: PathedFile[] = [];
  for (const { entry, file } of entries) {
    if (entry?.isDirectory) await walk(entry, '', out, limit);
    else if (file && out.length < limit) out.push({ name: file.name, webkitRelativePath: '', file });
  }
  return out;
}

/** Files from a file input (a folder picker fills webkitRelativePath itself). */
export function pickedFiles(list: FileList | null): PathedFile[] {
  return Array.from(list ?? [], (file) => ({
    name: file.name,
    webkitRelativePath: file.webkitRelativePath ?? '',
    file,
  }));
}
