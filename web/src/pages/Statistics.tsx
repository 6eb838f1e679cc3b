import { useState } from 'react';
import { graphql } from '../gql';
import type { Channel, ComplaintClass } from '../gql/graphql';
import { blobUrl, request } from '../api';
import { CHANNEL, CLASS } from '../labels';
import { ErrorBox, Field, PageTitle, useAction, useLoad } from '../ui';

const STATS = graphql(`
  query Statistics($from: DateTime!, $to: DateTime!) {
    byChannel: caseStatistics(from: $from, to: $to, groupBy: [CHANNEL]) {
      groups {
        key {
          channel
        }
        received
      }
      total {
        received
        answered
        answeredOnTime
        openNow
        overdueNow
        medianHandlingHours
      }
    }
    byClass: caseStatistics(from: $from, to: $to, groupBy: [COMPLAINT_CLASS], filter: { kind: [COMPLAINT] }) {
      groups {
        key {
          complaintClass
        }
        received
      }
    }
    byMonth: caseStatistics(from: $from, to: $to, groupBy: [MONTH]) {
      groups {
        key {
          month
        }
        answered
        answeredOnTime
      }
    }
  }
`);

/** A horizontal bar chart in SVG (no library): each bar labelled with its value. */
function Bars({ title, rows, unit = '' }: { title: string; rows: Array<[string, number]>; unit?: string }) {
  const max = Math.max(1, ...rows.map((r) => r[1]));
  const h = 26;
  return (
    <figure className="card">
      <figcaption>
        <strong>{title}</strong>
      </figcaption>
      {rows.length === 0 ? (
        <p>Belum ada data.</p>
      ) : (
        <svg role="img" aria-label={`${title}: ${rows.map(([k, v]) => `${k} ${v}${unit}`).join(', ')}`} width="100%" height={rows.length * h + 4} viewBox={`0 0 600 ${rows.length * h + 4}`}>
          {rows.map(([k, v], i) => (
            <g key={k} transform={`translate(0 ${i * h})`}>
              <text x="0" y="17" fontSize="13" fill="#1b1b1b">
                {k}
              </text>
              <rect className="bar" x="230" y="4" height="18" width={Math.max(1, (v / max) * 300)} />
              <text x={236 + (v / max) * 300} y="17" fontSize="13" fill="#1b1b1b">
                {v}
                {unit}
              </text>
            </g>
          ))}
        </svg>
      )}
    </figure>
  );
}

const wibMidnight = (date: string) => new Date(`${date}T00:00:00+07:00`).toISOString();

export function StatisticsPage() {
  const year = new Date().getFullYear();
  const [from, setFrom] = useState(`${year}-01-01`);
  const [to, setTo] = useState(`${year + 1}-01-01`);
  const { data, error } = useLoad(() => request(STATS, { from: wibMidnight(from), to: wibMidnight(to) }), [from, to]);
  const csv = useAction(async () => {
    const url = await blobUrl(`/reports/cases.csv?from=${encodeURIComponent(wibMidnight(from))}&to=${encodeURIComponent(wibMidnight(to))}`);
    const a = document.createElement('a');
    a.href = url;
    a.download = `kasus-${from}-${to}.csv`;
    document.body.append(a);
    a.click();
    a.remove();
  });
  const t = data?.byChannel.total;
  return (
    <>
      <PageTitle>Statistik</PageTitle>
      <div className="filters">
        <Field label="Diterima sejak">{(id) => <input id={id} type="date" value={from} onChange={(e) => setFrom(e.target.value)} />}</Field>
        <Field label="Sampai sebelum">{(id) => <input id={id} type="date" value={to} onChange={(e) => setTo(e.target.value)} />}</Field>
        <button type="button" onClick={() => void csv.run()} disabled={csv.busy}>
          Unduh daftar kasus (CSV)
        </button>
      </div>
      <ErrorBox error={error ?? csv.error} />
      {t && (
        <dl className="facts card">
          <dt>Diterima</dt>
          <dd>{t.received}</dd>
          <dt>Dijawab</dt>
          <dd>{t.answered}</dd>
          <dt>Dijawab tepat waktu</dt>
          <dd>{t.answeredOnTime}</dd>
          <dt>Terbuka sekarang</dt>
          <dd>{t.openNow}</dd>
          <dt>Terlambat sekarang</dt>
          <dd>{t.overdueNow}</dd>
          <dt>Median waktu penanganan</dt>
          <dd>{t.medianHandlingHours == null ? '–' : `${String(t.medianHandlingHours).replace('.', ',')} jam kerja`}</dd>
        </dl>
      )}
      {data && (
        <div className="grid2">
          <Bars title="Kasus per kanal" rows={data.byChannel.groups.map((g) => [CHANNEL[g.key.channel as Channel] ?? '–', g.received])} />
          <Bars title="Pengaduan per klasifikasi" rows={data.byClass.groups.map((g) => [g.key.complaintClass ? CLASS[g.key.complaintClass as ComplaintClass] : 'Belum diklasifikasi', g.received])} />
          <Bars
            title="Dijawab tepat waktu per bulan"
            unit="%"
            rows={data.byMonth.groups.filter((g) => g.answered > 0).map((g) => [g.key.month ?? '–', Math.round((100 * g.answeredOnTime) / g.answered)])}
          />
        </div>
      )}
    </>
  );
}
