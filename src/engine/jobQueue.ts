// Long jobs that run a slice at a time between training steps (probes with fine-tuning, the
// label-efficiency curve): first in, first served, one slice per call.
// A job is an async generator whose every next() is one slice; its finally block frees what
// it holds, whether it ends, fails or is cancelled.

export type SlicedJob<T = void> = AsyncGenerator<unknown, T>;

export class JobQueue<K> {
  private jobs: { key: K; job: SlicedJob }[] = [];

  get length(): number {
    return this.jobs.length;
  }

  has(key: K): boolean {
    return this.jobs.some((j) => j.key === key);
  }

  push(key: K, job: SlicedJob): void {
    this.jobs.push({ key, job });
  }

  /** One slice of the first job; a failed job leaves the queue and `failed` says why. */
  async slice(failed: (key: K, e: unknown) => void): Promise<void> {
    const j = this.jobs[0];
    if (!j) return;
    try {
      if ((await j.job.next()).done) this.jobs.shift();
    } catch (e) {
      this.jobs.shift();
      failed(j.key, e);
    }
  }

  /** Takes one job out (the caller ends it); call it between slices, never during one. */
  remove(key: K): SlicedJob | null {
    const i = this.jobs.findIndex((j) => j.key === key);
    return i < 0 ? null : this.jobs.splice(i, 1)[0].job;
  }

  /** Empties the queue and hands its jobs over: the caller ends them (job.return()), which frees what they hold. */
  clear(): { key: K; job: SlicedJob }[] {
    const jobs = this.jobs;
    this.jobs = [];
    return jobs;
  }
}
