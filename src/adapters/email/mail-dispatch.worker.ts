import { Logger } from 'pino';
import { MailDispatchService } from '../../domain/notifications/mail-dispatch.service';

const TICK_MS = 5_000;
const STOP_WAIT_MS = 5_000;

/**
 * Sends due outgoing mail: on a short timer and right after any case change commits (a new
 * acknowledgement is then sent at once). One dispatch at a time; a wake-up during one runs
 * another after it.
 */
export class MailDispatchWorker {
  private running: Promise<void> | null = null;
  private again = false;
  private timer: NodeJS.Timeout | null = null;
  private unsubscribe: () => void = () => undefined;

  constructor(
    private readonly dispatch: MailDispatchService,
    private readonly onCommit: (listener: () => void) => () => void,
    private readonly log: Logger,
  ) {}

  start(): void {
    this.timer = setInterval(() => this.run(), TICK_MS);
    this.timer.unref();
    this.unsubscribe = this.onCommit(() => this.run());
    this.run();
  }

  /** Stops the timer; a send in flight may finish, but an SMTP server that stopped answering does not hold the shutdown. */
  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.unsubscribe();
    if (this.running) await Promise.race([this.running, new Promise((r) => setTimeout(r, STOP_WAIT_MS).unref())]);
  }

  private run(): void {
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = this.dispatch
      .dispatchDue()
      .then(
        () => undefined,
        (err: Error) => this.log.error({ err: err.message }, 'mail dispatch failed'),
      )
      .finally(() => {
        this.running = null;
        if (this.again) {
          this.again = false;
          this.run();
        }
      });
  }
}
