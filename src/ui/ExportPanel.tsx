// Taking work out of the playground and bringing it back: the display set's embeddings for the
// TensorFlow Embedding Projector, a picture of the embedding view, and the trained model (as a
// file, plus a copy in this browser) that a later visit continues from. The worker does the
// reading and installing; this panel formats, downloads, stores and explains.

import { useEffect, useRef, useState } from 'react';
import { defaultAugments } from '../core/augmentSettings';
import { metadataTsv, vectorsTsv } from '../core/embeddingTsv';
import { clipProjectorRows } from '../core/clipTsv';
import { MODEL_FILE_MAX_BYTES, modelFileName, type ModelState } from '../core/modelFile';
import { decodeOffPage, encodeOffPage } from './modelFileCodec';
import type { Settings } from '../core/settings';
import type { Command, EmbeddingsExport } from '../protocol';
import { downloadBlob, downloadUrl } from './download';
import { embeddingCanvas, embeddingPicture } from './embeddingPicture';
import { colouring } from './factorColours';
import { LOSS_NAMES } from './lossNames';
import { storageProblem, storedModelText, storedSummary, storeModel, type StoredSummary } from './modelStore';
import { usePlayground } from './playgroundStore';
import type { EngineState } from './useEngine';
import './exportPanel.css';

interface Props {
  settings: Settings;
  engine: EngineState;
  send: (c: Command) => void;
  /** A model was installed: the page takes on its settings (the engine is already rebuilt). */
  onLoaded: (s: Settings) => void;
}

type Which = 'z' | 'h';
type Busy = null | 'embeddings' | 'save' | 'load';
interface Status {
  kind: 'info' | 'error';
  text: string;
}
interface Exported {
  vectors: string;
  metadata: string;
  step: number;
  which: Which;
  dim: number;
  count: number;
}

const mb = (bytes: number) => `${(bytes / 1e6).toFixed(1)} MB`;

/** Engine answers already acted on: the panel unmounts with the control column and must not
 *  download or load twice when it comes back and finds the same answers in the engine state. */
const handled = new WeakSet<object>();
function fresh(ev: object | null | undefined): boolean {
  if (!ev || handled.has(ev)) return false;
  handled.add(ev);
  return true;
}

export function ExportPanel({ settings, engine, send, onLoaded }: Props) {
  const [which, setWhich] = useState<Which>('z');
  const [busy, setBusy] = useState<Busy>(null);
  const [status, setStatus] = useState<Status | null>(null);
  const [links, setLinks] = useState<Exported | null>(null);
  const [stored, setStored] = useState<StoredSummary | null>(null);
  const { colourBy } = usePlayground();
  const ready = !!engine.ready && !!engine.snapshot;
  const shown = engine.ready?.factors?.[0]?.displayValues.length;
  const points = shown ? `${shown} held-out points` : 'held-out points';
  // Read inside the event effects without re-running them when the choice changes.
  const whichRef = useRef(which);
  whichRef.current = which;
  const settingsRef = useRef(settings);
  settingsRef.current = settings;
  const onLoadedRef = useRef(onLoaded);
  onLoadedRef.current = onLoaded;

  useEffect(() => {
    storedSummary().then(setStored, () => setStored(null));
  }, []);

  // Object URLs of the last export live as long as its "download again" links.
  useEffect(
    () => () => {
      if (links) {
        URL.revokeObjectURL(links.vectors);
        URL.revokeObjectURL(links.metadata);
      }
    },
    [links],
  );

  useEffect(() => {
    const ev = engine.exported;
    if (!ev || !fresh(ev)) return;
    setBusy(null);
    const out = projectorFiles(ev, whichRef.current);
    setLinks(out);
    downloadUrl(out.vectors, 'vectors.tsv');
    downloadUrl(out.metadata, 'metadata.tsv');
    setStatus({
      kind: 'info',
      text: `Exported ${out.count} held-out points at step ${out.step}: ${out.which} (${out.dim} numbers each) in vectors.tsv, their ${ev.factors.map((f) => f.name).join(', ')} in metadata.tsv. Load both at projector.tensorflow.org.`,
    });
  }, [engine.exported]);

  useEffect(() => {
    const ev = engine.saved;
    if (!ev || !fresh(ev)) return;
    const name = modelFileName(ev.state);
    encodeOffPage(ev.state).then(
      (text) => {
        setBusy(null);
        downloadBlob(new Blob([text], { type: 'application/json' }), name);
        const summary: StoredSummary = {
          ...ev.state.arch,
          step: ev.state.step,
          savedAt: ev.state.savedAt,
          bytes: text.length,
        };
        return storeModel(text, summary).then(
          () => {
            setStored(summary);
            setStatus({
              kind: 'info',
              text: `Saved step ${ev.state.step}: downloaded ${name} (${mb(text.length)}) and kept a copy in this browser.`,
            });
          },
          (e) =>
            setStatus({
              kind: 'error',
              text: `Downloaded ${name}, but this browser would not keep a copy: ${storageProblem(e)}. The downloaded file loads with Load model.`,
            }),
        );
      },
      (e) => {
        setBusy(null);
        setStatus({ kind: 'error', text: `Could not save the model: ${e instanceof Error ? e.message : String(e)}` });
      },
    );
  }, [engine.saved]);

  useEffect(() => {
    const ev = engine.loaded;
    if (!ev || !fresh(ev)) return;
    setBusy(null);
    if (!ev.ok) {
      setStatus({ kind: 'error', text: ev.message });
      return;
    }
    onLoadedRef.current(ev.settings);
    const s = ev.settings;
    setStatus({
      kind: 'info',
      text: `Loaded step ${ev.step}: ${s.dataset}, ${s.model} model, z in ${s.embeddingDim}-D, seed ${s.seed}, with Adam's state; training continues from this step.`,
    });
  }, [engine.loaded]);

  useEffect(() => {
    const ev = engine.transferFailed;
    if (!ev || !fresh(ev)) return;
    setBusy(null);
    setStatus({
      kind: 'error',
      text: `Could not ${ev.what === 'model' ? 'save the model' : 'export the embeddings'}: ${ev.message}`,
    });
  }, [engine.transferFailed]);

  const ask = (what: Exclude<Busy, null>, cmd: Command) => {
    setBusy(what);
    setStatus(null);
    send(cmd);
  };

  /** Checks the file first, off the page's thread (a wrong file never reaches the engine), then hands it over. */
  const load = async (input: ArrayBuffer | string) => {
    setBusy('load');
    const r = await decodeOffPage(input);
    if (!r.ok) {
      setBusy(null);
      setStatus({ kind: 'error', text: r.error });
      return;
    }
    ask('load', { type: 'loadModel', state: r.state, settings: settingsFor(r.state, settingsRef.current) });
  };

  const onFile = async (e: React.ChangeEvent<HTMLInputElement>) => {
    const file = e.target.files?.[0];
    // Cleared at once, so choosing the same file again still fires a change.
    e.target.value = '';
    if (!file) return;
    if (file.size > MODEL_FILE_MAX_BYTES) {
      setStatus({
        kind: 'error',
        text: `Not loaded (training is unchanged): ${file.name} is ${mb(file.size)}, far larger than any saved model.`,
      });
      return;
    }
    try {
      await load(await file.arrayBuffer());
    } catch (err) {
      setStatus({
        kind: 'error',
        text: `Not loaded (training is unchanged): ${file.name} could not be read (${err instanceof Error ? err.message : String(err)}).`,
      });
    }
  };

  const restore = async () => {
    try {
      const text = await storedModelText();
      if (text === null) {
        setStored(null);
        setStatus({ kind: 'error', text: 'This browser holds no saved model any more.' });
        return;
      }
      await load(text);
    } catch (err) {
      setStatus({ kind: 'error', text: `Could not read the copy in this browser: ${storageProblem(err)}.` });
    }
  };

  const savePicture = async () => {
    const canvas = embeddingCanvas();
    if (!canvas || !engine.snapshot) {
      setStatus({ kind: 'error', text: 'The embedding view is not drawn yet.' });
      return;
    }
    const { legend, colourOf } = colouring(engine.ready?.factors, engine.ready?.classNames ?? [], colourBy);
    const step = engine.snapshot.display?.step ?? engine.snapshot.step;
    const title = `${settings.dataset === 'mnist' ? 'MNIST' : settings.dataset === 'user' ? 'My images' : 'Shapes'} · ${LOSS_NAMES[settings.loss]} · z in ${engine.snapshot.dim}-D · step ${step}`;
    try {
      const blob = await embeddingPicture(canvas, {
        title,
        legend: legend.map((label, k) => ({ label, colour: colourOf(k) })),
      });
      const name = `embedding-${settings.dataset}-step${step}.png`;
      downloadBlob(blob, name);
      setStatus({ kind: 'info', text: `Saved the embedding view as ${name}.` });
    } catch (err) {
      setStatus({
        kind: 'error',
        text: `Could not make the picture (${err instanceof Error ? err.message : String(err)}).`,
      });
    }
  };

  return (
    <section className="panel export-panel" aria-label="Export and restore">
      <h2>Export and restore</h2>
      <h3 className="export-group">The {points}</h3>
      <div className="export-grid">
        <label
          className="export-which"
          title="z is the projection the loss and the embedding view use; h is the representation that kNN and the probes use."
        >
          <span>Vectors</span>
          <select aria-label="Vectors to export" value={which} onChange={(e) => setWhich(e.target.value as Which)}>
            <option value="z">z (projection)</option>
            <option value="h">h (representation)</option>
          </select>
        </label>
        <button
          disabled={!ready || busy === 'embeddings'}
          onClick={() => ask('embeddings', { type: 'exportEmbeddings' })}
          title={`Download the ${points} the view shows as vectors.tsv and metadata.tsv for the TensorFlow Embedding Projector (z or h, as chosen).`}
        >
          Export embeddings
        </button>
        <button
          disabled={!ready}
          onClick={() => void savePicture()}
          title="Download the embedding view as it is now, with its legend, as a PNG picture."
        >
          Save picture
        </button>
      </div>
      <h3 className="export-group">The trained model</h3>
      <div className="export-grid">
        <button
          disabled={!ready || busy === 'save'}
          onClick={() => ask('save', { type: 'saveModel' })}
          title="Download the weights, Adam's state and the step count as a .json file, and keep a copy in this browser."
        >
          Save model
        </button>
        <label
          className={`export-file${!ready || busy === 'load' ? ' disabled' : ''}`}
          title="Continue from a .json file made by Save model: its dataset, model, dimension and seed replace the current ones."
        >
          Load model
          <input
            type="file"
            accept=".json,application/json"
            aria-label="Load model"
            disabled={!ready || busy === 'load'}
            onChange={(e) => void onFile(e)}
          />
        </label>
        {stored && (
          <button
            className="export-restore"
            disabled={!ready || busy === 'load'}
            onClick={() => void restore()}
            title={`Continue from the copy kept in this browser: step ${stored.step}, ${stored.dataset}, z in ${stored.embeddingDim}-D, seed ${stored.seed}, saved ${new Date(stored.savedAt).toLocaleString()}.`}
          >
            Restore saved model <span className="export-sub">step {stored.step}, kept in this browser</span>
          </button>
        )}
      </div>
      {busy && (
        <p className="muted export-status" role="status">
          {busy === 'embeddings'
            ? 'Embedding the held-out points…'
            : busy === 'save'
              ? 'Reading the weights…'
              : 'Loading the model…'}
        </p>
      )}
      {status && (
        <p
          className={`export-status ${status.kind === 'error' ? 'export-error' : ''}`}
          role={status.kind === 'error' ? 'alert' : 'status'}
          data-testid="export-status"
        >
          {status.text}
        </p>
      )}
      {links && (
        <p className="muted export-again">
          Again:{' '}
          <a href={links.vectors} download="vectors.tsv">
            vectors.tsv
          </a>{' '}
          ·{' '}
          <a href={links.metadata} download="metadata.tsv">
            metadata.tsv
          </a>{' '}
          ·{' '}
          <a href="https://projector.tensorflow.org/" target="_blank" rel="noopener noreferrer">
            Embedding Projector
          </a>
        </p>
      )}
    </section>
  );
}

/** vectors.tsv and metadata.tsv of an export as object URLs. */
function projectorFiles(ev: EmbeddingsExport, which: Which): Exported {
  const dim = which === 'z' ? ev.zDim : ev.hDim;
  // CLIP: captions live in z's space only, so they join a z export as points of their own.
  if (ev.captions && which === 'z') {
    const c = clipProjectorRows({ indices: ev.indices, z: ev.z, dim, factors: ev.factors, captions: ev.captions });
    const u = (text: string) => URL.createObjectURL(new Blob([text], { type: 'text/tab-separated-values' }));
    return {
      vectors: u(vectorsTsv(c.vectors, c.count, dim)),
      metadata: u(metadataTsv(c.indices, c.columns)),
      step: ev.step,
      which,
      dim,
      count: c.count,
    };
  }
  const vectors = vectorsTsv(which === 'z' ? ev.z : ev.h, ev.count, dim);
  const metadata = metadataTsv(ev.indices, ev.factors);
  const url = (text: string) => URL.createObjectURL(new Blob([text], { type: 'text/tab-separated-values' }));
  return { vectors: url(vectors), metadata: url(metadata), step: ev.step, which, dim, count: ev.count };
}

/** The page's settings with the file's architecture; another dataset brings its own augmentations
 *  and leaves the preset (as choosing another dataset does). */
function settingsFor(state: ModelState, cur: Settings): Settings {
  const a = state.arch;
  const sameData = a.dataset === cur.dataset;
  return {
    ...cur,
    ...a,
    augments: sameData ? cur.augments : defaultAugments(a.dataset),
    preset: sameData ? cur.preset : '',
  };
}
