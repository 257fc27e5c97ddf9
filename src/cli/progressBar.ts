/** A one-line progress bar on stderr, redrawn in place; only used when stderr is a terminal. */
export class ProgressBar {
  private lastDraw = 0;

  constructor(
    private readonly total: number,
    private readonly stream: NodeJS.WriteStream = process.stderr,
  ) {}

  update(done: number, loss: number, accuracy?: number): void {
    const now = Date.now();
    if (done < this.total && now - this.lastDraw < 50) return; // at most 20 redraws a second
    this.lastDraw = now;
    const width = 30;
    const filled = Math.round((done / this.total) * width);
    const acc = accuracy === undefined ? '' : `  accuracy ${(accuracy * 100).toFixed(1)}%`;
    this.stream.write(`\r[${'#'.repeat(filled)}${'-'.repeat(width - filled)}] epoch ${done}/${this.total}  loss ${loss.toPrecision(5)}${acc}\x1b[K`);
  }

  done(): void {
    this.stream.write('\n');
  }
}
