import { readdirSync, readFileSync } from 'node:fs';

/**
 * CPU time (ms) used so far by this process and by every process whose name starts with one
 * of `others` (read from /proc; empty where there is no /proc). For reporting where a
 * benchmark's time goes on a machine whose cores the database and mail server share.
 */
export function cpuSnapshot(others: string[]): { self: number; others: Record<string, number> } {
  const usage = process.cpuUsage();
  const out: Record<string, number> = {};
  const tick = 10; // ms per clock tick (USER_HZ = 100 on Linux)
  let pids: string[] = [];
  try {
    pids = readdirSync('/proc').filter((p) => /^\d+$/.test(p));
  } catch {
    return { self: (usage.user + usage.system) / 1000, others: out };
  }
  for (const pid of pids) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const name = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
      const group = others.find((o) => name.startsWith(o));
      if (!group) continue;
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      out[group] = (out[group] ?? 0) + (Number(fields[11]) + Number(fields[12])) * tick;
    } catch {
      /* the process ended meanwhile */
    }
  }
  return { self: (usage.user + usage.system) / 1000, others: out };
}

/** CPU used between two snapshots, per group (processes that started meanwhile count whole). */
export function cpuBetween(a: ReturnType<typeof cpuSnapshot>, b: ReturnType<typeof cpuSnapshot>): Record<string, number> {
  const d: Record<string, number> = { node: b.self - a.self };
  for (const k of Object.keys(b.others)) d[k] = b.others[k] - (a.others[k] ?? 0);
  return d;
}
