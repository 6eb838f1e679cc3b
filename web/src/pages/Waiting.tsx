import { useEffect, useState } from 'react';
import { graphql } from '../gql';
import { request, subscribe } from '../api';
import { formatBytes, formatDateTime, formatWorkingMinutes } from '../format';
import { ErrorBox, Link, PageTitle, useLoad } from '../ui';

const WAITING = graphql(`
  query WaitingLists($from: DateTime!, $to: DateTime!) {
    unregisteredScans {
      id
      filename
      size
      arrivedAt
    }
    unregisteredFaxes {
      id
      filename
      size
      arrivedAt
      senderNumber
    }
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

export function WaitingPage() {
  const [range] = useState(() => ({ from: new Date(Date.now() - 30 * 86_400_000).toISOString(), to: new Date(Date.now() + 60_000).toISOString() }));
  const lists = useLoad(() => request(WAITING, range), []);
  const mail = useLoad(() => request(QUARANTINE), []);
  const [alerts, setAlerts] = useState<Alert[]>([]);
  useEffect(() => subscribe(ALERTS, {}, (d) => setAlerts((a) => (a.some((x) => x.id === d.slaAlerts.id) ? a : [d.slaAlerts, ...a].slice(0, 50)))), []);
  const d = lists.data;
  return (
    <>
      <PageTitle>Daftar tunggu</PageTitle>
      <ErrorBox error={lists.error} />
      <div className="grid2">
        <section className="card" aria-labelledby="w-scan">
          <h2 id="w-scan">Pindaian belum dicatat ({d?.unregisteredScans.length ?? '…'})</h2>
          <ul>
            {d?.unregisteredScans.map((s) => (
              <li key={s.id}>
                {s.filename} – {formatDateTime(s.arrivedAt)} ({formatBytes(s.size)})
              </li>
            ))}
          </ul>
        </section>
        <section className="card" aria-labelledby="w-fax">
          <h2 id="w-fax">Faks belum dicatat ({d?.unregisteredFaxes.length ?? '…'})</h2>
          <ul>
            {d?.unregisteredFaxes.map((f) => (
              <li key={f.id}>
                {f.filename} – {f.senderNumber ?? 'pengirim tidak dikenal'}, {formatDateTime(f.arrivedAt)}
              </li>
            ))}
          </ul>
          <Link to="/meja">Catat di meja layanan</Link>
        </section>
        <section className="card" aria-labelledby="w-call">
          <h2 id="w-call">Panggilan belum dicatat, 30 hari ({d?.unloggedCalls.length ?? '…'})</h2>
          <ul>
            {d?.unloggedCalls.map((c) => (
              <li key={c.id}>
                {formatDateTime(c.start)} – {c.callerNumber ?? 'nomor tidak dikenal'} ({c.disposition === 'ANSWERED' ? 'dijawab' : 'tidak terjawab'})
              </li>
            ))}
          </ul>
        </section>
        <section className="card" aria-labelledby="w-mail">
          <h2 id="w-mail">Surel dikarantina ({mail.data?.quarantinedEmails.length ?? '…'})</h2>
          <ErrorBox error={mail.error} />
          <ul>
            {mail.data?.quarantinedEmails.map((m) => (
              <li key={m.id}>
                {formatDateTime(m.receivedAt)} – {m.reason ?? 'tanpa alasan'}
              </li>
            ))}
          </ul>
        </section>
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
