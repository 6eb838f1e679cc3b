import { Principal } from '../../domain/access/roles';

/**
 * Collects the cases whose requester identity one request shows, and records them in the
 * audit log in one write per tick. The field that shows an identity waits for that write, so
 * no identity leaves the server unrecorded.
 */
export class IdentityViewRecorder {
  private pending: { caseId: string; done: (err?: unknown) => void }[] = [];

  constructor(
    private readonly principal: Principal,
    private readonly write: (p: Principal, caseIds: string[]) => Promise<void>,
  ) {}

  record(caseId: string): Promise<void> {
    return new Promise((resolve, reject) => {
      if (this.pending.length === 0) setImmediate(() => void this.flush());
      this.pending.push({ caseId, done: (err) => (err ? reject(err) : resolve()) });
    });
  }

  private async flush(): Promise<void> {
    const batch = this.pending;
    this.pending = [];
    try {
      await this.write(this.principal, batch.map((b) => b.caseId));
      batch.forEach((b) => b.done());
    } catch (err) {
      batch.forEach((b) => b.done(err));
    }
  }
}
