import { useEffect, useState, type FormEvent } from 'react';
import { graphql } from '../gql';
import type { CaseKind, RequesterInput } from '../gql/graphql';
import { blobUrl, request, upload } from '../api';
import { clearDraft, loadDraft, saveDraft } from '../session';
import { KIND } from '../labels';
import { formatBytes, formatDateTime } from '../format';
import { Checkbox, ErrorBox, Field, Link, PageTitle, Select, TextArea, TextField, useAction, useLoad } from '../ui';

const UNLOGGED = graphql(`
  query DeskUnloggedCalls($from: DateTime!, $to: DateTime!) {
    unloggedCalls(from: $from, to: $to) {
      id
      callerNumber
      callerName
      start
      duration
      disposition
    }
  }
`);

const FAXES = graphql(`
  query DeskFaxes {
    unregisteredFaxes {
      id
      fileId
      filename
      contentType
      size
      arrivedAt
      senderNumber
      faxReceivedAt
    }
  }
`);

const LOG_CALL = graphql(`
  mutation DeskLogCall($input: LogPhoneCallInput!) {
    logPhoneCall(input: $input) {
      id
      reference
      accessCode
    }
  }
`);

const LOG_FAX = graphql(`
  mutation DeskLogFax($input: LogFaxInput!) {
    logFax(input: $input) {
      id
      reference
      accessCode
    }
  }
`);

const LOG_WALK_IN = graphql(`
  mutation DeskLogWalkIn($input: LogWalkInInput!) {
    logWalkIn(input: $input) {
      id
      reference
      accessCode
    }
  }
`);

interface Base {
  kind: CaseKind;
  subject: string;
  description: string;
  name: string;
  nik: string;
  phone: string;
  email: string;
  address: string;
  confidential: boolean;
  key: string;
}

const newKey = () => (crypto.randomUUID ? crypto.randomUUID() : `${Date.now()}-${Math.random()}`);
const base = (): Base => ({ kind: 'COMPLAINT', subject: '', description: '', name: '', nik: '', phone: '', email: '', address: '', confidential: true, key: newKey() });

function requesterOf(b: Base): RequesterInput | undefined {
  const r: RequesterInput = {};
  if (b.name.trim()) r.name = b.name.trim();
  if (b.nik.trim()) r.nik = b.nik.trim();
  if (b.phone.trim()) r.phone = b.phone.trim();
  if (b.email.trim()) r.email = b.email.trim();
  if (b.address.trim()) r.address = b.address.trim();
  return Object.keys(r).length ? r : undefined;
}

function common(b: Base) {
  return {
    kind: b.kind,
    subject: b.subject.trim(),
    ...(b.description.trim() ? { description: b.description.trim() } : {}),
    ...(requesterOf(b) ? { requester: requesterOf(b) } : {}),
    confidential: b.kind === 'COMPLAINT' ? b.confidential : false,
    idempotencyKey: b.key,
  };
}

/** A desk form's fields, kept in sessionStorage as they are typed (a session expiry loses nothing). */
function useDraft<T extends object>(name: string, initial: () => T) {
  const [value, setValue] = useState<T>(() => loadDraft(name, initial()));
  useEffect(() => saveDraft(name, value), [name, value]);
  const set = <K extends keyof T>(k: K) => (v: T[K]) => setValue((d) => ({ ...d, [k]: v }));
  const reset = () => {
    clearDraft(name);
    setValue(initial());
  };
  return { value, set, reset };
}

function BaseFields<T extends Base>({ d, set }: { d: T; set: <K extends keyof T>(k: K) => (v: T[K]) => void }) {
  return (
    <>
      <Select label="Jenis" value={d.kind} options={Object.entries(KIND) as Array<[CaseKind, string]>} onChange={(v) => set('kind')((v || 'COMPLAINT') as T['kind'])} />
      <TextField label="Perihal" value={d.subject} onChange={set('subject') as (v: string) => void} required />
      <TextArea label="Uraian" value={d.description} onChange={set('description') as (v: string) => void} />
      <fieldset>
        <legend>Pemohon (kosongkan untuk pengaduan anonim)</legend>
        <div className="grid2">
          <TextField label="Nama pemohon" value={d.name} onChange={set('name') as (v: string) => void} />
          <TextField label="NIK pemohon" value={d.nik} onChange={set('nik') as (v: string) => void} hint="16 angka" />
          <TextField label="Telepon pemohon" value={d.phone} onChange={set('phone') as (v: string) => void} />
          <TextField label="Surel pemohon" value={d.email} onChange={set('email') as (v: string) => void} />
        </div>
        <TextField label="Alamat pemohon" value={d.address} onChange={set('address') as (v: string) => void} />
        {d.kind === 'COMPLAINT' && <Checkbox label="Rahasiakan identitas dari tim penanganan" checked={d.confidential} onChange={set('confidential') as (v: boolean) => void} />}
      </fieldset>
    </>
  );
}

interface Logged {
  id: string;
  reference: string;
  accessCode: string | null;
}

function Receipt({ c, walkIn }: { c: Logged; walkIn?: boolean }) {
  const [url, setUrl] = useState<string | null>(null);
  const { error, run, busy } = useAction(async () => setUrl(await blobUrl(`/cases/${encodeURIComponent(c.id)}/receipt.pdf`)));
  useEffect(() => {
    if (walkIn) void run();
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [c.id]);
  return (
    <section className="card ok" aria-labelledby="logged-title">
      <h2 id="logged-title">Kasus tercatat</h2>
      <p>
        Nomor referensi: <span className="big" data-testid="reference">{c.reference}</span>
      </p>
      <p>
        Kode akses: <span className="big" data-testid="access-code">{c.accessCode ?? '–'}</span>
      </p>
      <p>Sampaikan keduanya kepada pemohon untuk memantau status di halaman /status.</p>
      <p className="row">
        <Link to={`/kasus/${c.id}`}>Buka kasus {c.reference}</Link>
        {url ? (
          <a href={url} target="_blank" rel="noopener" download={`tanda-terima-${c.reference}.pdf`}>
            Cetak tanda terima
          </a>
        ) : (
          <button type="button" className="secondary" onClick={() => void run()} disabled={busy}>
            Siapkan tanda terima
          </button>
        )}
      </p>
      <ErrorBox error={error} />
    </section>
  );
}

function PhoneForm() {
  const { value: d, set, reset } = useDraft('phone', () => ({ ...base(), callRecordId: '', callerNumber: '' }));
  const [done, setDone] = useState<Logged | null>(null);
  const [range] = useState(() => ({ from: new Date(Date.now() - 7 * 86_400_000).toISOString(), to: new Date(Date.now() + 60_000).toISOString() }));
  const calls = useLoad(() => request(UNLOGGED, range), []);
  const { busy, error, run } = useAction(async () => {
    const { logPhoneCall } = await request(LOG_CALL, {
      input: { ...common(d), ...(d.callRecordId ? { callRecordId: d.callRecordId } : {}), ...(d.callerNumber.trim() ? { callerNumber: d.callerNumber.trim() } : {}) },
    });
    setDone(logPhoneCall);
    reset();
    calls.reload();
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    void run();
  };
  return (
    <>
      {done && <Receipt c={done} />}
      <form onSubmit={submit} aria-labelledby="phone-title">
        <h2 id="phone-title">Catat panggilan telepon</h2>
        <fieldset>
          <legend>Panggilan yang belum dicatat (7 hari terakhir)</legend>
          <ErrorBox error={calls.error} />
          {calls.data?.unloggedCalls.length === 0 && <p>Tidak ada panggilan yang menunggu.</p>}
          {calls.data?.unloggedCalls.map((c) => (
            <div className="check" key={c.id}>
              <input type="radio" name="call" id={`call-${c.id}`} checked={d.callRecordId === c.id} onChange={() => set('callRecordId')(c.id)} />
              <label htmlFor={`call-${c.id}`}>
                {formatDateTime(c.start)} – {c.callerNumber ?? 'nomor tidak dikenal'}
                {c.callerName ? ` (${c.callerName})` : ''} – {c.disposition === 'ANSWERED' ? 'dijawab' : 'tidak terjawab'}, {Math.round(c.duration / 60)} menit
              </label>
            </div>
          ))}
          <div className="check">
            <input type="radio" name="call" id="call-none" checked={!d.callRecordId} onChange={() => set('callRecordId')('')} />
            <label htmlFor="call-none">Tanpa catatan PBX (isi nomor penelepon sendiri)</label>
          </div>
          {!d.callRecordId && <TextField label="Nomor penelepon" value={d.callerNumber} onChange={set('callerNumber')} />}
        </fieldset>
        <BaseFields d={d} set={set} />
        <ErrorBox error={error} />
        <button type="submit" disabled={busy}>
          Catat panggilan
        </button>
      </form>
    </>
  );
}

function FaxPreview({ fileId, contentType, name }: { fileId: string; contentType: string; name: string }) {
  const [url, setUrl] = useState<string | null>(null);
  const { error, run } = useAction(async () => setUrl(await blobUrl(`/files/${encodeURIComponent(fileId)}`)));
  useEffect(() => {
    setUrl(null);
    void run();
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [fileId]);
  useEffect(() => () => void (url && URL.revokeObjectURL(url)), [url]);
  if (error) return <ErrorBox error={error} />;
  if (!url) return <p role="status">Memuat pratinjau…</p>;
  return contentType.startsWith('image/') ? <img className="preview" src={url} alt={`Pratinjau faks ${name}`} /> : <iframe className="preview" src={url} title={`Pratinjau faks ${name}`} />;
}

function FaxForm() {
  const { value: d, set, reset } = useDraft('fax', () => ({ ...base(), faxId: '' }));
  const [done, setDone] = useState<Logged | null>(null);
  const faxes = useLoad(() => request(FAXES), []);
  const chosen = faxes.data?.unregisteredFaxes.find((f) => f.id === d.faxId);
  const { busy, error, run } = useAction(async () => {
    const { logFax } = await request(LOG_FAX, { input: { ...common(d), ...(d.faxId ? { faxFileId: d.faxId } : {}) } });
    setDone(logFax);
    reset();
    faxes.reload();
  });
  return (
    <>
      {done && <Receipt c={done} />}
      <form
        onSubmit={(e) => {
          e.preventDefault();
          void run();
        }}
        aria-labelledby="fax-title"
      >
        <h2 id="fax-title">Catat faks</h2>
        <div className="grid2">
          <fieldset>
            <legend>Faks yang menunggu</legend>
            <ErrorBox error={faxes.error} />
            {faxes.data?.unregisteredFaxes.length === 0 && <p>Tidak ada faks yang menunggu.</p>}
            {faxes.data?.unregisteredFaxes.map((f) => (
              <div className="check" key={f.id}>
                <input type="radio" name="fax" id={`fax-${f.id}`} checked={d.faxId === f.id} onChange={() => set('faxId')(f.id)} />
                <label htmlFor={`fax-${f.id}`}>
                  {f.filename} – {f.senderNumber ?? 'pengirim tidak dikenal'}, {formatDateTime(f.faxReceivedAt ?? f.arrivedAt)} ({formatBytes(f.size)})
                </label>
              </div>
            ))}
          </fieldset>
          <div>{chosen ? <FaxPreview fileId={chosen.fileId} contentType={chosen.contentType} name={chosen.filename} /> : <p>Pilih faks untuk melihat pratinjaunya.</p>}</div>
        </div>
        <BaseFields d={d} set={set} />
        <ErrorBox error={error} />
        <button type="submit" disabled={busy || !d.faxId}>
          Catat faks
        </button>
      </form>
    </>
  );
}

type Req = 'requestLetter' | 'assignmentLetter' | 'identityDocument';
const REQS: Array<[Req, string]> = [
  ['requestLetter', 'Surat permintaan'],
  ['assignmentLetter', 'Surat tugas'],
  ['identityDocument', 'Tanda pengenal'],
];

function WalkInForm() {
  const { value: d, set, reset } = useDraft('walkin', () => ({ ...base(), requestLetter: false, assignmentLetter: false, identityDocument: false }));
  const [files, setFiles] = useState<Partial<Record<Req, File>>>({});
  const [done, setDone] = useState<Logged | null>(null);
  const { busy, error, run } = useAction(async () => {
    let requirements: Record<string, boolean | string> | undefined;
    if (d.kind === 'INFORMATION_REQUEST') {
      requirements = {};
      for (const [k] of REQS) {
        const f = files[k];
        if (f) requirements[`${k}FileId`] = await upload(f);
        else requirements[k] = d[k];
      }
    }
    const { logWalkIn } = await request(LOG_WALK_IN, { input: { ...common(d), ...(requirements ? { requirements } : {}) } });
    setDone(logWalkIn);
    setFiles({});
    reset();
  });
  return (
    <>
      {done && <Receipt c={done} walkIn />}
      <form
        onSubmit={(e) => {
          e.preventDefault();
          void run();
        }}
        aria-labelledby="walkin-title"
      >
        <h2 id="walkin-title">Catat tamu yang datang langsung</h2>
        <BaseFields d={d} set={set} />
        {d.kind === 'INFORMATION_REQUEST' && (
          <fieldset>
            <legend>Persyaratan</legend>
            {REQS.map(([k, label]) => (
              <div key={k} className="row">
                <Checkbox label={label} checked={d[k] || !!files[k]} onChange={(v) => set(k)(v)} />
                <Field label={`Pindaian ${label.toLowerCase()}`}>
                  {(id) => (
                    <input
                      id={id}
                      type="file"
                      accept="application/pdf,image/jpeg,image/png,image/tiff"
                      onChange={(e) => setFiles((fs) => ({ ...fs, [k]: e.target.files?.[0] }))}
                    />
                  )}
                </Field>
              </div>
            ))}
          </fieldset>
        )}
        <ErrorBox error={error} />
        <button type="submit" disabled={busy}>
          Catat kunjungan
        </button>
      </form>
    </>
  );
}

const SCANS = graphql(`
  query DeskScans {
    unregisteredScans {
      id
      fileId
      filename
      contentType
      size
      arrivedAt
    }
  }
`);

const OPENING = graphql(`
  mutation DeskBoxOpening($input: ComplaintBoxOpeningInput!) {
    recordComplaintBoxOpening(input: $input) {
      id
      cases {
        id
        reference
      }
    }
  }
`);

const REGISTER_SCAN = graphql(`
  mutation DeskRegisterScan($scanId: ID!, $input: ComplaintBoxEntryInput!) {
    registerScan(scanId: $scanId, input: $input) {
      id
      reference
      accessCode
    }
  }
`);

interface Entry {
  subject: string;
  description: string;
  name: string;
  phone: string;
}
const emptyEntry = (): Entry => ({ subject: '', description: '', name: '', phone: '' });

/** "2026-12-07T16:00" (datetime-local, read as WIB) now. */
function wibLocalNow(): string {
  return new Date(Date.now() + 7 * 3_600_000).toISOString().slice(0, 16);
}

function BoxForm() {
  const { value: d, set, reset } = useDraft('box', () => ({ openedAt: wibLocalNow(), openedBy: '', witnesses: '', entries: [emptyEntry()], key: newKey() }));
  const [files, setFiles] = useState<Record<number, File | undefined>>({});
  const [done, setDone] = useState<Array<{ id: string; reference: string }> | null>(null);
  const scans = useLoad(() => request(SCANS), []);
  const [scanSubject, setScanSubject] = useState<Record<string, string>>({});
  const [registered, setRegistered] = useState<Logged | null>(null);
  const setEntry = (i: number, k: keyof Entry) => (v: string) => set('entries')(d.entries.map((e, j) => (j === i ? { ...e, [k]: v } : e)));
  const { busy, error, run } = useAction(async () => {
    const entries = [];
    for (const [i, e] of d.entries.entries()) {
      const f = files[i];
      const requester = e.name.trim() || e.phone.trim() ? { ...(e.name.trim() ? { name: e.name.trim() } : {}), ...(e.phone.trim() ? { phone: e.phone.trim() } : {}) } : undefined;
      entries.push({
        subject: e.subject.trim(),
        ...(e.description.trim() ? { description: e.description.trim() } : {}),
        ...(f ? { scanFileIds: [await upload(f)] } : {}),
        ...(requester ? { requester } : {}),
      });
    }
    const { recordComplaintBoxOpening: o } = await request(OPENING, {
      input: {
        openedAt: new Date(`${d.openedAt}:00+07:00`).toISOString(),
        openedBy: d.openedBy.trim(),
        witnesses: d.witnesses.split(',').map((w) => w.trim()).filter(Boolean),
        entries,
        idempotencyKey: d.key,
      },
    });
    setDone(o.cases);
    setFiles({});
    reset();
  });
  const reg = useAction(async (scanId: string) => {
    const { registerScan } = await request(REGISTER_SCAN, { scanId, input: { subject: (scanSubject[scanId] ?? '').trim() } });
    setRegistered(registerScan);
    scans.reload();
  });
  return (
    <>
      {done && (
        <section className="card ok" aria-labelledby="box-done">
          <h2 id="box-done">Pembukaan kotak tercatat: {done.length} kasus</h2>
          <ul>
            {done.map((c) => (
              <li key={c.id}>
                <Link to={`/kasus/${c.id}`}>
                  <span className="big">{c.reference}</span>
                </Link>
              </li>
            ))}
          </ul>
        </section>
      )}
      <form
        onSubmit={(e) => {
          e.preventDefault();
          void run();
        }}
        aria-labelledby="box-title"
      >
        <h2 id="box-title">Pembukaan kotak pengaduan</h2>
        <div className="row">
          <Field label="Waktu dibuka (WIB)">{(id) => <input id={id} type="datetime-local" value={d.openedAt} onChange={(e) => set('openedAt')(e.target.value)} required />}</Field>
          <TextField label="Dibuka oleh" value={d.openedBy} onChange={set('openedBy')} required />
          <TextField label="Saksi (pisahkan dengan koma)" value={d.witnesses} onChange={set('witnesses')} />
        </div>
        {d.entries.map((e, i) => (
          <fieldset key={i}>
            <legend>Surat {i + 1}</legend>
            <TextField label={`Perihal surat ${i + 1}`} value={e.subject} onChange={setEntry(i, 'subject')} required />
            <TextArea label={`Uraian surat ${i + 1}`} value={e.description} onChange={setEntry(i, 'description')} rows={2} />
            <div className="row">
              <TextField label={`Nama pengirim surat ${i + 1} (boleh kosong)`} value={e.name} onChange={setEntry(i, 'name')} />
              <TextField label={`Telepon pengirim surat ${i + 1}`} value={e.phone} onChange={setEntry(i, 'phone')} />
              <Field label={`Pindaian surat ${i + 1}`}>
                {(id) => <input id={id} type="file" accept="application/pdf,image/jpeg,image/png,image/tiff" onChange={(ev) => setFiles((fs) => ({ ...fs, [i]: ev.target.files?.[0] }))} />}
              </Field>
            </div>
            {d.entries.length > 1 && (
              <button type="button" className="secondary" onClick={() => set('entries')(d.entries.filter((_, j) => j !== i))}>
                Hapus surat {i + 1}
              </button>
            )}
          </fieldset>
        ))}
        <p className="row">
          <button type="button" className="secondary" onClick={() => set('entries')([...d.entries, emptyEntry()])}>
            Tambah surat
          </button>
        </p>
        <ErrorBox error={error} />
        <button type="submit" disabled={busy}>
          Catat pembukaan kotak
        </button>
      </form>
      <section className="card" aria-labelledby="scan-title">
        <h2 id="scan-title">Pindaian yang menunggu</h2>
        {registered && <Receipt c={registered} />}
        <ErrorBox error={scans.error ?? reg.error} />
        {scans.data?.unregisteredScans.length === 0 && <p>Tidak ada pindaian yang menunggu.</p>}
        {scans.data?.unregisteredScans.map((sc) => (
          <form
            key={sc.id}
            className="row"
            onSubmit={(e) => {
              e.preventDefault();
              void reg.run(sc.id);
            }}
          >
            <span>
              {sc.filename} – {formatDateTime(sc.arrivedAt)} ({formatBytes(sc.size)})
            </span>
            <TextField label={`Perihal pindaian ${sc.filename}`} value={scanSubject[sc.id] ?? ''} onChange={(v) => setScanSubject((m) => ({ ...m, [sc.id]: v }))} required />
            <button type="submit" disabled={reg.busy}>
              Catat sebagai kasus
            </button>
          </form>
        ))}
      </section>
    </>
  );
}

const TABS = [
  ['phone', 'Telepon'],
  ['fax', 'Faks'],
  ['walkin', 'Datang langsung'],
  ['box', 'Kotak pengaduan'],
] as const;

export function DeskPage() {
  const [tab, setTab] = useState<(typeof TABS)[number][0]>(() => (sessionStorage.getItem('loket.desk.tab') as (typeof TABS)[number][0] | null) ?? 'phone');
  useEffect(() => sessionStorage.setItem('loket.desk.tab', tab), [tab]);
  return (
    <>
      <PageTitle>Meja layanan</PageTitle>
      <div className="row" role="group" aria-label="Kanal">
        {TABS.map(([k, label]) => (
          <button key={k} type="button" className={tab === k ? undefined : 'secondary'} aria-pressed={tab === k} onClick={() => setTab(k)}>
            {label}
          </button>
        ))}
      </div>
      {tab === 'phone' && <PhoneForm />}
      {tab === 'fax' && <FaxForm />}
      {tab === 'walkin' && <WalkInForm />}
      {tab === 'box' && <BoxForm />}
    </>
  );
}
