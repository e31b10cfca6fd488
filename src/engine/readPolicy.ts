// How often training reads its loss back. On the GPU backends a read waits for every queued
// program to finish and leaves the GPU idle until the next step is recorded, so the losses of a
// window of steps are read together (Trainer.readEvery); on wasm and cpu a read is free.
export const GPU_READ_EVERY = 8;
