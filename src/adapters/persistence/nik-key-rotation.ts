import { DataSource } from 'typeorm';
import { NikProtector } from './nik-protector';

/** A NikProtector that can tell which envelopes were written with an older key (PersonalDataCipher). */
export interface RotatingNikProtector extends NikProtector {
  needsReencryption(envelope: string): boolean;
}

export interface RotationProgress {
  /** Cases with an encrypted NIK looked at so far. */
  scanned: number;
  /** Rewritten with the current key (and their blind index recomputed). */
  reencrypted: number;
  /** Already on the current key (and, with `reindex`, the current index). */
  unchanged: number;
  /** Changed by someone else between our read and our write: that writer used the current key. */
  skipped: number;
  /** Envelopes no configured key opens (or that fail authentication): left as they are. */
  failed: number;
}

export interface RotationOptions {
  /** Cases per transaction (default 500). */
  batchSize?: number;
  /** Also recompute the blind index of envelopes already on the current key (after LOKET_INDEX_KEY changed). */
  reindex?: boolean;
  /** Called after every batch. */
  onBatch?: (progress: Readonly<RotationProgress>) => void;
}

/**
 * Re-encrypts every NIK with the current data key and recomputes its blind index, in batches
 * of cases in id order, each batch its own short transaction. Idempotent and resumable: what
 * is already on the current key is left alone, so a run stopped half-way is simply run again.
 * A row is only rewritten if its envelope is still the one read (a case saved meanwhile was
 * written with the current key by its writer); the case's version is not changed, so the
 * rotation never makes a concurrent edit fail.
 */
export async function rotateNikKeys(ds: DataSource, protector: RotatingNikProtector, options: RotationOptions = {}): Promise<RotationProgress> {
  const batchSize = options.batchSize ?? 500;
  const progress: RotationProgress = { scanned: 0, reencrypted: 0, unchanged: 0, skipped: 0, failed: 0 };
  let after = '00000000-0000-0000-0000-000000000000';
  for (;;) {
    const rows = (await ds.query(
      `SELECT id::text AS id, nik_ciphertext, nik_index FROM cases WHERE nik_ciphertext IS NOT NULL AND id > $1::uuid ORDER BY id LIMIT $2`,
      [after, batchSize],
    )) as { id: string; nik_ciphertext: string; nik_index: string | null }[];
    if (rows.length === 0) break;
    after = rows[rows.length - 1].id;
    const ids: string[] = [];
    const olds: string[] = [];
    const envelopes: string[] = [];
    const indexes: string[] = [];
    for (const r of rows) {
      progress.scanned++;
      let stale: boolean;
      let nik: string;
      try {
        stale = protector.needsReencryption(r.nik_ciphertext);
        if (!stale && !options.reindex) {
          progress.unchanged++;
          continue;
        }
        nik = protector.decrypt(r.nik_ciphertext);
      } catch {
        progress.failed++;
        continue;
      }
      const index = protector.blindIndex(nik);
      if (!stale && index === r.nik_index) {
        progress.unchanged++;
        continue;
      }
      ids.push(r.id);
      olds.push(r.nik_ciphertext);
      envelopes.push(stale ? protector.encrypt(nik) : r.nik_ciphertext);
      indexes.push(index);
    }
    if (ids.length > 0) {
      const updated = (await ds.query(
        `WITH u AS (
           UPDATE cases SET nik_ciphertext = v.envelope, nik_index = v.index
           FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[]) AS v(id, old, envelope, index)
           WHERE cases.id = v.id AND cases.nik_ciphertext = v.old
           RETURNING cases.id)
         SELECT count(*)::int AS n FROM u`,
        [ids, olds, envelopes, indexes],
      )) as { n: number }[];
      const n = Number(updated[0]?.n ?? 0);
      progress.reencrypted += n;
      progress.skipped += ids.length - n;
    }
    options.onBatch?.({ ...progress });
  }
  return progress;
}
