import { useEffect, useMemo, useRef, useState } from 'react';
import { graphql } from '../gql';
import type { CaseFilter, CaseKind, CaseStatus, Channel, ComplaintClass, QueueCaseFragment } from '../gql/graphql';
import { onConnected, request, subscribe } from '../api';
import type { Session } from '../session';
import { CHANNEL, CLASS, DEADLINE, KIND, STATUS } from '../labels';
import { formatDateTime, formatWorkingMinutes } from '../format';
import { Checkbox, ErrorBox, Link, PageTitle, Select } from '../ui';

graphql(`
  fragment QueueCase on Case {
    id
    reference
    kind
    channel
    status
    complaintClass
    subject
    receivedAt
    dueAt
    assignee
    confidential
    timeRemaining {
      state
      workingMinutes
      dueAt
    }
  }
`);

const QUEUE = graphql(`
  query Queue($filter: CaseFilter, $first: Int) {
    cases(filter: $filter, first: $first, orderBy: DUE_AT) {
      totalCount
      edges {
        node {
          ...QueueCase
        }
      }
    }
  }
`);

const ONE = graphql(`
  query QueueOne($id: ID!) {
    case(id: $id) {
      ...QueueCase
    }
  }
`);

const TEAMS = graphql(`
  query QueueTeams {
    teams {
      code
      name
      active
    }
  }
`);

const CREATED = graphql(`
  subscription QueueCreated($filter: CaseStreamFilter) {
    caseCreated(filter: $filter) {
      ...QueueCase
    }
  }
`);

const EVENTS = graphql(`
  subscription QueueEvents($after: String) {
    caseEvents(after: $after) {
      cursor
      caseId
      type
    }
  }
`);

/** Timeline events that change what the queue shows of a case. */
const RELEVANT = new Set([
  'CASE_CREATED', 'STATUS_CHANGED', 'COMPLAINT_CLASSIFIED', 'DEADLINE_CHANGED', 'DEADLINE_MOVED', 'REQUIREMENTS_UPDATED', 'ASSIGNED', 'ANSWERED',
  'REJECTED', 'MERGED_INTO', 'CASE_PAUSED', 'CASE_RESUMED', 'SLA_WARNING', 'SLA_BREACHED',
]);

interface Filters {
  channel: Channel | '';
  kind: CaseKind | '';
  complaintClass: ComplaintClass | '';
  status: CaseStatus | '';
  team: string;
  atRisk: boolean;
}

const OPEN: CaseStatus[] = ['INCOMPLETE', 'RECEIVED', 'IN_PROGRESS', 'WAITING'];

function toFilter(f: Filters, mine: boolean): CaseFilter {
  return {
    ...(f.channel ? { channel: [f.channel] } : {}),
    ...(f.kind ? { kind: [f.kind] } : {}),
    ...(f.complaintClass ? { complaintClass: [f.complaintClass] } : {}),
    status: f.status ? [f.status] : OPEN,
    ...(f.team ? { assignee: f.team } : {}),
    ...(f.atRisk ? { deadlineState: ['AT_RISK', 'BREACHED'] } : {}),
    ...(mine ? { assignedToMe: true } : {}),
  };
}

/** The same rules as the server's filter, for cases that arrive live. */
function matches(f: Filters, c: QueueCaseFragment): boolean {
  if (f.channel && c.channel !== f.channel) return false;
  if (f.kind && c.kind !== f.kind) return false;
  if (f.complaintClass && c.complaintClass !== f.complaintClass) return false;
  if (f.status ? c.status !== f.status : !OPEN.includes(c.status)) return false;
  if (f.team && c.assignee !== f.team) return false;
  if (f.atRisk && !['AT_RISK', 'BREACHED'].includes(c.timeRemaining.state)) return false;
  return true;
}

function dueOf(c: QueueCaseFragment): number {
  const d = c.timeRemaining.dueAt ?? c.dueAt;
  return d ? new Date(d).getTime() : Number.POSITIVE_INFINITY;
}

function sortByDue(list: QueueCaseFragment[]): QueueCaseFragment[] {
  return [...list].sort((a, b) => dueOf(a) - dueOf(b) || a.receivedAt.localeCompare(b.receivedAt));
}

const PAGE = 100;

export function QueuePage({ session }: { session: Session }) {
  const [filters, setFilters] = useState<Filters>({ channel: '', kind: '', complaintClass: '', status: '', team: '', atRisk: false });
  const [mine, setMine] = useState(false);
  const [cases, setCases] = useState<QueueCaseFragment[] | null>(null);
  const [total, setTotal] = useState(0);
  const [error, setError] = useState<unknown>(null);
  const [fresh, setFresh] = useState<Set<string>>(new Set());
  const [announce, setAnnounce] = useState('');
  const [teams, setTeams] = useState<Array<{ code: string; name: string }>>([]);
  const filtersRef = useRef(filters);
  filtersRef.current = filters;
  const mineRef = useRef(mine);
  mineRef.current = mine;

  // Cases that arrived live while a read of the queue was under way: its answer may predate them.
  const arrivedDuringLoad = useRef(new Map<string, QueueCaseFragment>());
  const load = useMemo(
    () => async () => {
      arrivedDuringLoad.current = new Map();
      try {
        const { cases: page } = await request(QUEUE, { filter: toFilter(filtersRef.current, mineRef.current), first: PAGE });
        const byId = new Map(page.edges.map((e) => [e.node.id, e.node] as const));
        let extra = 0;
        for (const [id, c] of arrivedDuringLoad.current) {
          if (!byId.has(id) && matches(filtersRef.current, c)) extra++;
          if (matches(filtersRef.current, c)) byId.set(id, c);
        }
        setCases(sortByDue([...byId.values()]));
        setTotal(page.totalCount + extra);
        setError(null);
      } catch (e) {
        setError(e);
      }
    },
    [],
  );

  useEffect(() => {
    void load();
  }, [filters, mine, load]);

  // Working time left changes only on the office clock: the server's figure, refreshed each minute.
  useEffect(() => {
    const t = window.setInterval(() => void load(), 60_000);
    return () => clearInterval(t);
  }, [load]);

  useEffect(() => {
    if (['COMPLAINT_OFFICER', 'SUPERVISOR', 'ADMIN'].includes(session.user.role)) {
      request(TEAMS).then(
        (d) => setTeams(d.teams.filter((t) => t.active)),
        () => setTeams([]),
      );
    }
  }, [session.user.role]);

  useEffect(() => {
    const upsert = (c: QueueCaseFragment, isNew: boolean) => {
      arrivedDuringLoad.current.set(c.id, c);
      setCases((list) => {
        if (!list) return list;
        const without = list.filter((x) => x.id !== c.id);
        const had = without.length !== list.length;
        if (!matches(filtersRef.current, c)) {
          if (had) setTotal((t) => t - 1);
          return had ? without : list;
        }
        if (!had) {
          setTotal((t) => t + 1);
          if (isNew) {
            setFresh((s) => new Set(s).add(c.id));
            setAnnounce(`Kasus baru masuk: ${c.reference}`);
          }
        }
        return sortByDue([...without, c]);
      });
    };
    const refresh = async (id: string, isNew: boolean) => {
      if (mineRef.current) return void load();
      try {
        const { case: c } = await request(ONE, { id });
        if (c) upsert(c, isNew);
        else setCases((list) => list && list.filter((x) => x.id !== id));
      } catch {
        // not visible to this user (any more): nothing to show
      }
    };
    const f = filtersRef.current;
    const stopCreated = subscribe(
      CREATED,
      { filter: { ...(f.kind ? { kind: [f.kind] } : {}), ...(f.channel ? { channel: [f.channel] } : {}), ...(f.complaintClass ? { complaintClass: [f.complaintClass] } : {}) } },
      (d) => (mineRef.current ? void load() : upsert(d.caseCreated, true)),
    );
    // Changes to cases, and the resume point: after a dropped connection this subscription is
    // sent again with the last cursor seen, and the server replays what was missed (cases
    // created meanwhile included); upserting by id means nothing is lost or shown twice.
    const vars: { after: string | null } = { after: null };
    const stopEvents = subscribe(EVENTS, vars, (d) => {
      const e = d.caseEvents;
      vars.after = e.cursor;
      if (RELEVANT.has(e.type)) void refresh(e.caseId, e.type === 'CASE_CREATED');
    });
    const stopReconnect = onConnected((again) => {
      // Connected the first time: read the queue once more, so that a case logged between the
      // first read and the subscriptions taking effect is not missed. After a drop without a
      // cursor yet there is nothing to replay from: read it again too.
      if (!again || !vars.after) void load();
    });
    return () => {
      stopCreated();
      stopEvents();
      stopReconnect();
    };
  }, [filters, load]);

  const set = <K extends keyof Filters>(k: K) => (v: Filters[K]) => setFilters((f) => ({ ...f, [k]: v }));
  const options = <T extends string>(labels: Record<T, string>) => Object.entries(labels) as Array<[T, string]>;

  return (
    <>
      <PageTitle>Antrean kasus</PageTitle>
      <form className="filters" aria-label="Saring antrean" onSubmit={(e) => e.preventDefault()}>
        <Select label="Kanal" value={filters.channel} options={options(CHANNEL)} onChange={set('channel')} empty="Semua kanal" />
        <Select label="Jenis" value={filters.kind} options={options(KIND)} onChange={set('kind')} empty="Semua jenis" />
        <Select label="Klasifikasi" value={filters.complaintClass} options={options(CLASS)} onChange={set('complaintClass')} empty="Semua klasifikasi" />
        <Select label="Status" value={filters.status} options={options(STATUS)} onChange={set('status')} empty="Semua yang terbuka" />
        {teams.length > 0 && <Select label="Tim" value={filters.team} options={teams.map((t) => [t.code, t.name] as [string, string])} onChange={set('team')} empty="Semua tim" />}
        <Checkbox label="Hanya yang berisiko (hampir atau lewat batas waktu)" checked={filters.atRisk} onChange={set('atRisk')} />
        {session.user.role === 'HANDLER' && <Checkbox label="Hanya kasus saya" checked={mine} onChange={setMine} />}
      </form>
      <ErrorBox error={error} />
      <p className="sr-only" aria-live="polite">
        {announce}
      </p>
      {cases === null ? (
        <p role="status">Memuat antrean…</p>
      ) : (
        <>
          <p>
            {total} kasus, batas waktu terdekat lebih dulu. Pembaruan langsung tanpa memuat ulang.
          </p>
          <table className="queue">
            <caption className="sr-only">Kasus dalam antrean</caption>
            <thead>
              <tr>
                <th scope="col">Nomor</th>
                <th scope="col">Perihal</th>
                <th scope="col">Kanal / jenis</th>
                <th scope="col">Status</th>
                <th scope="col">Tim</th>
                <th scope="col">Sisa waktu kerja</th>
                <th scope="col">Batas waktu</th>
              </tr>
            </thead>
            <tbody>
              {cases.map((c) => (
                <tr key={c.id} className={fresh.has(c.id) ? 'fresh' : undefined} data-case={c.reference}>
                  <td>
                    <Link to={`/kasus/${c.id}`}>{c.reference}</Link>
                  </td>
                  <td>{c.subject}</td>
                  <td>
                    {CHANNEL[c.channel]} · {KIND[c.kind]}
                    {c.complaintClass ? ` · ${CLASS[c.complaintClass]}` : ''}
                  </td>
                  <td>{STATUS[c.status]}</td>
                  <td>{c.assignee ?? 'Belum ditugaskan'}</td>
                  <td>
                    <span className={`badge ${c.timeRemaining.state.toLowerCase()}`}>{DEADLINE[c.timeRemaining.state]}</span>{' '}
                    {c.timeRemaining.state !== 'NONE' && formatWorkingMinutes(c.timeRemaining.workingMinutes)}
                  </td>
                  <td>{formatDateTime(c.timeRemaining.dueAt ?? c.dueAt)}</td>
                </tr>
              ))}
            </tbody>
          </table>
          {cases.length === 0 && <p>Tidak ada kasus yang cocok.</p>}
        </>
      )}
    </>
  );
}
