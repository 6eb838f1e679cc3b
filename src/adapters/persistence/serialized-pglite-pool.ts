import { PGlitePool } from 'typeorm-pglite/dist/pglite-pool';

type ConnectCallback = (error: unknown, client: PGlitePool | null, release: () => void) => void;

/**
 * PGlite is one connection: two TypeORM query runners on it would interleave their
 * transactions. This pool hands the connection to one query runner at a time; the next waits
 * until the previous one releases it.
 */
export class SerializedPGlitePool extends PGlitePool {
  private tail: Promise<void> = Promise.resolve();

  override connect(callback: ConnectCallback): Promise<void> {
    let release!: () => void;
    const released = new Promise<void>((resolve) => {
      release = resolve;
    });
    const previous = this.tail;
    this.tail = previous.then(() => released);
    return previous.then(() => {
      let done = false;
      const releaseOnce = (): void => {
        if (!done) {
          done = true;
          release();
        }
      };
      return super.connect((err, client) => {
        if (err) releaseOnce();
        callback(err, client, releaseOnce);
      });
    });
  }
}
