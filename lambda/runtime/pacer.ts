/**
 * Spaces calls to at most `ratePerSecond`, allowing a short burst after idle time
 * (a generic cell-rate algorithm). Uses Date.now and setTimeout only, so simulated clocks drive it.
 */
export class Pacer {
  private readonly intervalMs: number;
  private readonly toleranceMs: number;
  private nextSlot = 0;

  constructor(ratePerSecond: number, burst = Math.max(1, Math.floor(ratePerSecond / 20))) {
    if (!(ratePerSecond > 0)) throw new Error(`Pacer rate must be positive, got ${ratePerSecond}`);
    this.intervalMs = 1000 / ratePerSecond;
    this.toleranceMs = this.intervalMs * (burst - 1);
  }

  async take(): Promise<void> {
    const now = Date.now();
    const slot = Math.max(this.nextSlot, now - this.toleranceMs);
    this.nextSlot = slot + this.intervalMs;
    const wait = slot - now;
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, Math.ceil(wait)));
  }
}
