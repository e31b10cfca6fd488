// Runs an inner sliced job one slice per yield, reporting its progress. Abandoning the outer
// generator (a reset cancels a probe or a curve) ends the inner one too, so its finally frees
// its tensors: a bare loop of next() calls would leave it suspended for good, holding them.

export async function* drive<P, T>(inner: AsyncGenerator<P, T>, onProgress: (p: P) => void): AsyncGenerator<void, T> {
  try {
    for (;;) {
      const r = await inner.next();
      if (r.done) return r.value;
      onProgress(r.value);
      yield;
    }
  } finally {
    await inner.return(undefined as never);
  }
}
