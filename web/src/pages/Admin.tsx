import { useState } from 'react';
import { graphql } from '../gql';
import type { Role } from '../gql/graphql';
import { request } from '../api';
import { NON_WORKING, ROLE, WEEKDAY } from '../labels';
import { formatDate, formatDateTime } from '../format';
import { ErrorBox, PageTitle, Select, TextField, useAction, useLoad } from '../ui';

const ADMIN = graphql(`
  query AdminOverview($year: Int) {
    staffUsers {
      id
      username
      displayName
      role
      team
      disabledAt
    }
    teams {
      code
      name
      active
      members {
        id
      }
    }
    apiTokens {
      id
      name
      role
      team
      createdAt
      expiresAt
      revokedAt
    }
    workingCalendar(year: $year) {
      officeHours {
        weekday
        start
        end
      }
      nonWorkingDays {
        date
        kind
        name
      }
      coveredYears
    }
    scheduledJobs {
      name
      nextRunAt
      lastRunAt
      lastOutcome
      consecutiveFailures
    }
    emailInboxStatus {
      configured
      state
      processed
      failed
    }
    whatsappChannelStatus {
      configured
      state
      pendingSends
    }
    laporChannelStatus {
      apiConfigured
      state
      pendingFollowUps
    }
  }
`);

const CREATE_USER = graphql(`
  mutation AdminCreateUser($input: CreateStaffUserInput!) {
    createStaffUser(input: $input) {
      id
    }
  }
`);

const STAFF_ROLES: Role[] = ['CLERK', 'COMPLAINT_OFFICER', 'HANDLER', 'SUPERVISOR', 'ADMIN'];

const STATE: Record<string, string> = {
  OK: 'Baik',
  ERROR: 'Galat',
  OFF: 'Tidak aktif',
  STOPPED: 'Berhenti',
  CONNECTING: 'Menyambung',
  CONNECTED: 'Tersambung',
  DISCONNECTED: 'Terputus',
  NOT_YET_RUN: 'Belum berjalan',
};

export function AdminPage() {
  const year = new Date().getFullYear();
  const { data, error, reload } = useLoad(() => request(ADMIN, { year }), []);
  const [u, setU] = useState({ username: '', displayName: '', role: 'CLERK' as Role | '', team: '', password: '' });
  const set = (k: keyof typeof u) => (v: string) => setU((x) => ({ ...x, [k]: v }));
  const create = useAction(async () => {
    await request(CREATE_USER, { input: { username: u.username, displayName: u.displayName, role: (u.role || 'CLERK') as Role, password: u.password, ...(u.team ? { team: u.team } : {}) } });
    setU({ username: '', displayName: '', role: 'CLERK', team: '', password: '' });
    reload();
  });
  return (
    <>
      <PageTitle>Admin</PageTitle>
      <ErrorBox error={error} />
      {data && (
        <>
          <section className="card" aria-labelledby="a-users">
            <h2 id="a-users">Pegawai</h2>
            <table>
              <thead>
                <tr>
                  <th scope="col">Nama pengguna</th>
                  <th scope="col">Nama</th>
                  <th scope="col">Peran</th>
                  <th scope="col">Tim</th>
                  <th scope="col">Keadaan</th>
                </tr>
              </thead>
              <tbody>
                {data.staffUsers.map((s) => (
                  <tr key={s.id}>
                    <td>{s.username}</td>
                    <td>{s.displayName}</td>
                    <td>{ROLE[s.role]}</td>
                    <td>{s.team ?? '–'}</td>
                    <td>{s.disabledAt ? `Nonaktif sejak ${formatDateTime(s.disabledAt)}` : 'Aktif'}</td>
                  </tr>
                ))}
              </tbody>
            </table>
            <form
              onSubmit={(e) => {
                e.preventDefault();
                void create.run();
              }}
            >
              <h3>Tambah pegawai</h3>
              <div className="row">
                <TextField label="Nama pengguna baru" value={u.username} onChange={set('username')} required />
                <TextField label="Nama tampilan" value={u.displayName} onChange={set('displayName')} required />
                <Select label="Peran" value={u.role} options={STAFF_ROLES.map((r) => [r, ROLE[r]] as [Role, string])} onChange={set('role')} />
                <Select label="Tim" value={u.team} options={data.teams.filter((t) => t.active).map((t) => [t.code, t.name] as [string, string])} onChange={set('team')} empty="Tanpa tim" />
                <TextField label="Kata sandi awal" type="password" value={u.password} onChange={set('password')} required hint="paling sedikit 10 karakter" autoComplete="new-password" />
              </div>
              <ErrorBox error={create.error} />
              <button type="submit" disabled={create.busy}>
                Tambah pegawai
              </button>
            </form>
          </section>
          <div className="grid2">
            <section className="card" aria-labelledby="a-teams">
              <h2 id="a-teams">Tim penanganan</h2>
              <ul>
                {data.teams.map((t) => (
                  <li key={t.code}>
                    {t.name} ({t.code}) – {t.members.length} anggota{t.active ? '' : ', nonaktif'}
                  </li>
                ))}
              </ul>
            </section>
            <section className="card" aria-labelledby="a-tokens">
              <h2 id="a-tokens">Token API</h2>
              <ul>
                {data.apiTokens.map((t) => (
                  <li key={t.id}>
                    {t.name} – {ROLE[t.role]}
                    {t.team ? `, ${t.team}` : ''}, dibuat {formatDateTime(t.createdAt)}
                    {t.revokedAt ? ', dicabut' : t.expiresAt ? `, berlaku sampai ${formatDateTime(t.expiresAt)}` : ''}
                  </li>
                ))}
              </ul>
            </section>
            <section className="card" aria-labelledby="a-cal">
              <h2 id="a-cal">Kalender kerja {year}</h2>
              <p>Tahun dengan data libur lengkap: {data.workingCalendar.coveredYears.join(', ') || '–'}</p>
              <h3>Jam kantor</h3>
              <ul>
                {data.workingCalendar.officeHours.map((s, i) => (
                  <li key={i}>
                    {WEEKDAY[s.weekday]}: {s.start.replace(':', '.')}–{s.end.replace(':', '.')} WIB
                  </li>
                ))}
              </ul>
              <h3>Libur nasional dan cuti bersama</h3>
              <ul>
                {data.workingCalendar.nonWorkingDays.map((d) => (
                  <li key={d.date}>
                    {formatDate(`${d.date}T12:00:00+07:00`)} – {d.name} ({NON_WORKING[d.kind]})
                  </li>
                ))}
              </ul>
            </section>
            <section className="card" aria-labelledby="a-jobs">
              <h2 id="a-jobs">Tugas terjadwal dan kanal</h2>
              <ul>
                {data.scheduledJobs.map((j) => (
                  <li key={j.name}>
                    {j.name}: berikutnya {formatDateTime(j.nextRunAt)}; terakhir {j.lastRunAt ? formatDateTime(j.lastRunAt) : 'belum pernah'}
                    {j.lastOutcome ? ` (${j.lastOutcome === 'ok' ? 'berhasil' : 'gagal'})` : ''}
                    {j.consecutiveFailures > 0 ? `, gagal ${j.consecutiveFailures} kali berturut-turut` : ''}
                  </li>
                ))}
              </ul>
              <ul>
                <li>Surel: {data.emailInboxStatus.configured ? `${STATE[data.emailInboxStatus.state] ?? data.emailInboxStatus.state}, ${data.emailInboxStatus.processed} diproses, ${data.emailInboxStatus.failed} gagal` : 'tidak dikonfigurasi'}</li>
                <li>WhatsApp: {data.whatsappChannelStatus.configured ? `${STATE[data.whatsappChannelStatus.state] ?? data.whatsappChannelStatus.state}, ${data.whatsappChannelStatus.pendingSends} menunggu dikirim` : 'tidak dikonfigurasi'}</li>
                <li>SP4N-LAPOR!: {STATE[data.laporChannelStatus.state] ?? data.laporChannelStatus.state}, {data.laporChannelStatus.pendingFollowUps} tindak lanjut menunggu</li>
              </ul>
            </section>
          </div>
        </>
      )}
    </>
  );
}
