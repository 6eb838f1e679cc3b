import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parseInboundEmail } from '../../../src/adapters/email/parsing/parse-inbound-email';
import { ParseOutcome } from '../../../src/adapters/email/parsing/inbound-email';

const CORPUS = process.env.LOKET_EMAIL_CORPUS ?? path.resolve(__dirname, '../../../../shared/corpora/email');
const MANIFEST = path.join(CORPUS, 'manifest.tsv');
const MUST_BE_AUTOMATIC = new Set(['bounce/DSN', 'abuse-report/ARF', 'read-receipt/MDN']);
const OPTIONS = { ownAddresses: ['kesra@kalbarprov.go.id'], maxBytes: 10 * 1024 * 1024 };

interface Row {
  file: string;
  category: string;
}

function readManifest(): Row[] {
  return readFileSync(MANIFEST, 'utf8')
    .split('\n')
    .slice(1)
    .filter((line) => line.trim() !== '')
    .map((line) => {
      const [file, , category] = line.split('\t');
      return { file, category };
    });
}

function label(outcome: ParseOutcome): string {
  if (!outcome.ok) return `set aside: ${outcome.reason.split(':')[0]}`;
  return outcome.email.automatic ? `automatic: ${outcome.email.automatic.kind}` : 'case';
}

const describeCorpus = existsSync(MANIFEST) ? describe : describe.skip;
if (!existsSync(MANIFEST)) {
  console.log(`email corpus test skipped: ${MANIFEST} does not exist (set LOKET_EMAIL_CORPUS)`);
}

describeCorpus('parseInboundEmail over the email corpus', () => {
  const rows = existsSync(MANIFEST) ? readManifest() : [];
  const outcomes = new Map<string, ParseOutcome>();

  beforeAll(async () => {
    for (const row of rows) {
      outcomes.set(row.file, await parseInboundEmail(readFileSync(path.join(CORPUS, row.file)), OPTIONS));
    }
    const counts = new Map<string, number>();
    for (const outcome of outcomes.values()) counts.set(label(outcome), (counts.get(label(outcome)) ?? 0) + 1);
    const lines = [...counts].sort((a, b) => b[1] - a[1]).map(([k, n]) => `  ${String(n).padStart(4)}  ${k}`);
    const bounces = [...outcomes].filter(([, o]) => o.ok && o.email.automatic?.kind === 'BOUNCE');
    const linked = bounces.filter(([, o]) => o.ok && o.email.bounceOf !== null).length;
    console.log(
      [`email corpus: ${rows.length} files`, ...lines, `  bounces with an original Message-ID: ${linked}/${bounces.length}`].join('\n'),
    );
  }, 120000);

  it('gives every file an outcome: a message, or a stable reason', () => {
    expect(outcomes.size).toBe(rows.length);
    for (const [file, outcome] of outcomes) {
      if (outcome.ok) expect({ file, key: outcome.email.dedupeKey }).toEqual({ file, key: expect.stringMatching(/^email(-sha256)?:\S+$/) });
      else expect({ file, reason: outcome.reason }).toEqual({ file, reason: expect.stringMatching(/^(UNPARSABLE: .+|NO_CONTENT|NO_SENDER)$/) });
    }
  });

  it('classifies every bounce, feedback report and read receipt as automatic', () => {
    const missed = rows
      .filter((row) => MUST_BE_AUTOMATIC.has(row.category))
      .filter((row) => {
        const outcome = outcomes.get(row.file);
        return !outcome || !outcome.ok || outcome.email.automatic === null;
      })
      .map((row) => `${row.category} ${row.file}: ${outcome(outcomes.get(row.file))}`);
    expect(missed).toEqual([]);
  });

  it('gives the same dedupe key when a file is parsed twice', async () => {
    const changed: string[] = [];
    for (const row of rows) {
      const again = await parseInboundEmail(readFileSync(path.join(CORPUS, row.file)), OPTIONS);
      const first = outcomes.get(row.file);
      const key = (o: ParseOutcome | undefined) => (o && o.ok ? o.email.dedupeKey : o?.reason);
      if (key(first) !== key(again)) changed.push(row.file);
    }
    expect(changed).toEqual([]);
  }, 120000);
});

function outcome(o: ParseOutcome | undefined): string {
  return o ? label(o) : 'missing';
}
