import { useEffect, useState, type ReactNode } from 'react';
import type { Session } from '../session';
import { graphql } from '../gql';
import { request, subscribe } from '../api';
import { formatBytes, formatDateTime, formatWorkingMinutes } from '../format';
import { ErrorBox, Link, PageTitle, useLoad } from '../ui';

const SCANS = graphql(`
  query WaitingScans {
    unregisteredScans {
      id
      filename
      size
      arrivedAt
    }
  }
`);

const FAXES = graphql(`
  query WaitingFaxes {
    unregisteredFaxes {
      id
      filename
      size
      arrivedAt
      senderNumber
    }
  }
`);

const CALLS = graphql(`
  query WaitingCalls($from: DateTime!, $to: DateTime!) {
    unloggedCalls(from: $from, to: $to) {
      id
      callerNumber
      start
      disposition
    }
  }
`);

const QUARANTINE = graphql(`
  query WaitingQuarantine {
    quarantinedEmails {
      id
      reason
      receivedAt
    }
  }
`);

const ALERTS = graphql(`
  subscription WaitingAlerts {
    slaAlerts {
      id
      type
      at
      workingMinutesLeft
      case {
        id
        reference
        subject
      }
    }
  }
`);

type Alert = { id: string; type: string; at: string; workingMinutesLeft: number; case: { id: string; reference: string; subject: string } };

/** Each list as the API allows it to the role (access-policy.ts): a list not allowed is not shown. */
const MAY: Record<string, string[]> = {
  scans: ['CLERK', 'COMPLAINT_OFFICER'],
  faxes: ['CLERK', 'COMPLAINT_OFFICER'],
  calls: ['CLERK', 'COMPLAINT_OFFICER', 'SUPERVISOR'],
  mail: ['COMPLAINT_OFFICER', 'ADMIN'],
};

function List<T>({ id, title, load, items, empty }: { id: string; title: string; load: () => Promise<T[]>; items: (t: T) => ReactNode; empty: string }) {
  const { data, error } = useLoad(load, []);
  return (
    <section className="card" aria-labelledby={id}>
      <h2 id={id}>
        {title} ({data?.length ?? '…'})
      </h2>
      <ErrorBox error={error} />
      {data?.length === 0 && <p>{empty}</p>}
      <ul>{data?.map(items)}</ul>
    </section>
  );
}

export function WaitingPage({ session }: { session: Session }) {
  const role = session.user.role;
  const [range] = useState(() => ({ from: new Date(Date.now() - 30 * 86_400_000).toISOString(), to: new Date(Date.now() + 60_000).toISOString() }));
  const [alerts, setAlerts] = useState<Alert[]>([]);
  useEffect(() => subscribe(ALERTS, {}, (d) => setAlerts((a) => (a.some((x) => x.id === d.slaAlerts.id) ? a : [d.slaAlerts, ...a].slice(0, 50)))), []);
  return (
    <>
      <PageTitle>Daftar tunggu</PageTitle>
      <div className="grid2">
        {MAY.scans.includes(role) && (
          <List
            id="w-scan"
            title="Pindaian belum dicatat"
            load={async () => (await request(SCANS)).unregisteredScans}
            empty="Tidak ada pindaian yang menunggu."
            items={(s) => (
              <li key={s.id}>
                {s.filename} – {formatDateTime(s.arrivedAt)} ({formatBytes(s.size)})
              </li>
            )}
          />
        )}
        {MAY.faxes.includes(role) && (
          <List
            id="w-fax"
            title="Faks belum dicatat"
            load={async () => (await request(FAXES)).unregisteredFaxes}
            empty="Tidak ada faks yang menunggu."
            items={(f) => (
              <li key={f.id}>
                {f.filename} – {f.senderNumber ?? 'pengirim tidak dikenal'}, {formatDateTime(f.arrivedAt)} (<Link to="/meja">catat di meja layanan</Link>)
              </li>
            )}
          />
        )}
        {MAY.calls.includes(role) && (
          <List
            id="w-call"
            title="Panggilan belum dicatat, 30 hari"
            load={async () => (await request(CALLS, range)).unloggedCalls}
            empty="Tidak ada panggilan yang menunggu."
            items={(c) => (
              <li key={c.id}>
                {formatDateTime(c.start)} – {c.callerNumber ?? 'nomor tidak dikenal'} ({c.disposition === 'ANSWERED' ? 'dijawab' : 'tidak terjawab'})
              </li>
            )}
          />
        )}
        {MAY.mail.includes(role) && (
          <List
            id="w-mail"
            title="Surel dikarantina"
            load={async () => (await request(QUARANTINE)).quarantinedEmails}
            empty="Tidak ada surel yang dikarantina."
            items={(m) => (
              <li key={m.id}>
                {formatDateTime(m.receivedAt)} – {m.reason ?? 'tanpa alasan'}
              </li>
            )}
          />
        )}
      </div>
      <section className="card" aria-labelledby="w-alert" aria-live="polite">
        <h2 id="w-alert">Peringatan batas waktu (langsung, sejak halaman dibuka)</h2>
        {alerts.length === 0 && <p>Belum ada peringatan.</p>}
        <ul>
          {alerts.map((a) => (
            <li key={a.id}>
              {a.type === 'SLA_BREACHED' ? 'Lewat batas waktu' : 'Hampir jatuh tempo'}: <Link to={`/kasus/${a.case.id}`}>{a.case.reference}</Link> {a.case.subject} –{' '}
              {formatDateTime(a.at)}, sisa {formatWorkingMinutes(a.workingMinutesLeft)}
            </li>
          ))}
        </ul>
      </section>
    </>
  );
}
