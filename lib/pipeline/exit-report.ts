import type { LoggerService } from '@nestjs/common';
import type { DeliveryPipeline } from './delivery-pipeline.js';
import type { EventIntake } from './event-intake.js';

/**
 * Reports what a process that exits without a shutdown (`process.exit()`, a crash, a script whose
 * last line ran) leaves behind, when nothing can be sent any more: a memory queue's loss is counted
 * (`exit`) and announced, so it is never silent; a spool keeps the events for the next start.
 *
 * It listens for the exit only while events are held: an idle instance, also one its app never
 * shut down, adds no listener to the process and stays collectable.
 */
export class ExitReport {
  private watching = false;

  constructor(
    private readonly intake: EventIntake,
    private readonly pipeline: DeliveryPipeline,
    private readonly logger: LoggerService | undefined,
  ) {}

  /** An event was recorded. A shut-down pipeline holds none: shutdown reported what it left. */
  watch(): void {
    if (this.watching || this.pipeline.closed) return;
    this.watching = true;
    process.on('exit', this.onExit);
  }

  /** The pipeline holds nothing any more: stop listening unless drafts still wait to be built. */
  idle(): void {
    if (this.intake.length === 0) this.stop();
  }

  /** Shutdown reported what it left itself. */
  stop(): void {
    this.watching = false;
    process.off('exit', this.onExit);
  }

  /** Synchronous, as `exit` listeners are. */
  private readonly onExit = (code: number): void => {
    try {
      this.intake.drain();
      const undelivered = this.pipeline.abandonAtExit(
        `the process exited (code ${code}) before they were delivered; close the app first (app.enableShutdownHooks(), app.close(), or shutdown() without Nest), or set spool to keep undelivered events across exits and crashes`,
      );
      if (undelivered > 0 && this.pipeline.durable) {
        this.logger?.warn(`the process exited (code ${code}) with ${undelivered} event(s) undelivered; they stay in the spool and are sent at the next start`);
      }
    } catch {
      // An exit listener that throws turns a clean exit into a crash; the loss is all this could report.
    }
  };
}
