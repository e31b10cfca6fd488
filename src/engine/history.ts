// Loss per step, kept bounded: when full, neighbouring points are averaged in pairs, so a long
// run keeps its whole shape at half the resolution instead of losing its beginning.

export class LossHistory {
  private steps: number[] = [];
  private losses: number[] = [];
  constructor(private readonly max: number) {}

  push(step: number, loss: number): void {
    this.steps.push(step);
    this.losses.push(loss);
    if (this.losses.length > this.max) this.halve();
  }

  private halve(): void {
    const s: number[] = [],
      l: number[] = [];
    for (let i = 0; i + 1 < this.losses.length; i += 2) {
      s.push(this.steps[i + 1]);
      l.push((this.losses[i] + this.losses[i + 1]) / 2);
    }
    if (this.losses.length % 2) {
      s.push(this.steps[this.steps.length - 1]);
      l.push(this.losses[this.losses.length - 1]);
    }
    this.steps = s;
    this.losses = l;
  }

  export(): { steps: Int32Array; losses: Float32Array } {
    return { steps: Int32Array.from(this.steps), losses: Float32Array.from(this.losses) };
  }

  get length(): number {
    return this.losses.length;
  }
}
