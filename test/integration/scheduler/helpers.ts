import pino, { Logger } from 'pino';

/** A pino logger whose lines the test reads back. */
export function capturingLogger(): { log: Logger; lines: () => Record<string, any>[] } {
  const raw: string[] = [];
  const log = pino({ level: 'debug' }, { write: (s: string) => void raw.push(s) });
  return { log, lines: () => raw.map((l) => JSON.parse(l) as Record<string, any>) };
}

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** A promise the test resolves by hand (to hold a job mid-run). */
export function gate(): { wait: Promise<void>; open: () => void } {
  let open!: () => void;
  const wait = new Promise<void>((r) => (open = r));
  return { wait, open };
}
