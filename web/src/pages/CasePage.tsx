import { useEffect, useState, type FormEvent, type ReactNode } from 'react';
import { graphql } from '../gql';
import type { ComplaintClass, DeliveryMethod, PauseReason } from '../gql/graphql';
import { blobUrl, request, subscribe } from '../api';
import type { Session } from '../session';
import { CHANNEL, CLASS, DEADLINE, DELIVERY, DELIVERY_FOR_CHANNEL, EVENT, KIND, PAUSE, STATUS } from '../labels';
import { formatDateTime, formatWorkingMinutes } from '../format';
import { ErrorBox, PageTitle, Select, TextArea, TextField, useAction, useLoad } from '../ui';

const CASE = graphql(`
  query CaseDetail($id: ID!) {
    case(id: $id) {
      id
      reference
      accessCode
      kind
      channel
      status
      complaintClass
      subject
      description
      receivedAt
      loggedAt
      dueAt
      overdue
      confidential
      anonymous
      identityHidden
      assignee
      assignedUserId
      mergedIntoId
      requirements {
        complete
        missing
      }
      answerDraft {
        text
        draftedAt
      }
      answer {
        text
        deliveredVia
        answeredAt
      }
      requester {
        name
        nik
        organization
        phone
        email
        address
      }
      channelDetails {
        name
        value
      }
      timeRemaining {
        state
        workingMinutes
        dueAt
      }
      timeline(first: 100) {
        totalCount
        edges {
          node {
            id
            type
            actor
            at
            text
          }
        }
      }
    }
  }
`);

const TEAMS = graphql(`
  query CaseTeams {
    teams {
      code
      name
      active
      members {
        id
        displayName
        disabled
      }
    }
  }
`);

const CLASSIFY = graphql(`
  mutation CaseClassify($id: ID!, $cls: ComplaintClass!) {
    classifyComplaint(caseId: $id, complaintClass: $cls) {
      id
    }
  }
`);
const ASSIGN = graphql(`
  mutation CaseAssign($id: ID!, $team: String!, $assignee: ID) {
    assignCase(caseId: $id, team: $team, assignee: $assignee) {
      id
    }
  }
`);
const NOTE = graphql(`
  mutation CaseNote($id: ID!, $text: String!) {
    addNote(caseId: $id, text: $text) {
      id
    }
  }
`);
const PAUSE_CASE = graphql(`
  mutation CasePause($id: ID!, $reason: PauseReason!, $note: String) {
    pauseCase(caseId: $id, reason: $reason, note: $note) {
      id
    }
  }
`);
const RESUME = graphql(`
  mutation CaseResume($id: ID!) {
    resumeCase(caseId: $id) {
      id
    }
  }
`);
const DRAFT = graphql(`
  mutation CaseDraft($id: ID!, $text: String!) {
    draftAnswer(caseId: $id, text: $text) {
      id
    }
  }
`);
const ANSWER = graphql(`
  mutation CaseAnswer($id: ID!, $answer: AnswerInput!) {
    answerCase(caseId: $id, answer: $answer) {
      id
    }
  }
`);
const REVEAL = graphql(`
  mutation CaseRevealNik($id: ID!, $reason: String!) {
    revealNik(caseId: $id, reason: $reason)
  }
`);
const FIND = graphql(`
  query CaseFindByReference($reference: String!) {
    case(reference: $reference) {
      id
    }
  }
`);
const MERGE = graphql(`
  mutation CaseMerge($source: ID!, $target: ID!) {
    mergeCases(sourceId: $source, targetId: $target) {
      id
    }
  }
`);
const EVENTS = graphql(`
  subscription CaseLive($id: ID!, $after: String) {
    caseEvents(caseId: $id, after: $after) {
      cursor
    }
  }
`);

function Section({ title, children }: { title: string; children: ReactNode }) {
  const id = `sec-${title.replace(/\W+/g, '-').toLowerCase()}`;
  return (
    <section className="card" aria-labelledby={id}>
      <h2 id={id}>{title}</h2>
      {children}
    </section>
  );
}

/** A small form: its fields, one submit button, its error, then the case is read again. */
function ActionForm({ label, onSubmit, children, done, disabled }: { label: string; onSubmit: () => Promise<unknown>; children?: ReactNode; done: () => void; disabled?: boolean }) {
  const { busy, error, run } = useAction(async () => {
    await onSubmit();
    done();
  });
  return (
    <form
      onSubmit={(e: FormEvent) => {
        e.preventDefault();
        void run();
      }}
    >
      {children}
      <ErrorBox error={error} />
      <button type="submit" disabled={busy || disabled}>
        {label}
      </button>
    </form>
  );
}

export function CasePage({ id, session }: { id: string; session: Session }) {
  const { data, error, reload } = useLoad(() => request(CASE, { id }), [id]);
  const role = session.user.role;
  const officer = ['COMPLAINT_OFFICER', 'ADMIN'].includes(role);
  const teams = useLoad(() => (officer ? request(TEAMS) : Promise.resolve({ teams: [] })), [officer]);
  const [cls, setCls] = useState<ComplaintClass | ''>('');
  const [team, setTeam] = useState('');
  const [member, setMember] = useState('');
  const [note, setNote] = useState('');
  const [pauseReason, setPauseReason] = useState<PauseReason | ''>('WAITING_FOR_REQUESTER');
  const [draft, setDraft] = useState('');
  const [answer, setAnswer] = useState('');
  const [fromDraft, setFromDraft] = useState(true);
  const [via, setVia] = useState<DeliveryMethod | ''>('');
  const [revealReason, setRevealReason] = useState('');
  const [nik, setNik] = useState<string | null>(null);
  const [mergeTarget, setMergeTarget] = useState('');
  const [receipt, setReceipt] = useState<string | null>(null);
  const receiptAction = useAction(async () => setReceipt(await blobUrl(`/cases/${encodeURIComponent(id)}/receipt.pdf`)));

  useEffect(() => {
    const vars: { id: string; after: string | null } = { id, after: null };
    return subscribe(EVENTS, vars, (d) => {
      vars.after = d.caseEvents.cursor;
      reload();
    });
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [id]);

  if (error) return <ErrorBox error={error} />;
  if (!data) return <p role="status">Memuat kasus…</p>;
  const c = data.case;
  if (!c) return <h1>Kasus tidak ditemukan</h1>;
  const members = teams.data?.teams.find((t) => t.code === team)?.members.filter((m) => !m.disabled) ?? [];
  const deliver = via || DELIVERY_FOR_CHANNEL[c.channel];
  const open = ['INCOMPLETE', 'RECEIVED', 'IN_PROGRESS'].includes(c.status);

  return (
    <>
      <PageTitle>{`Kasus ${c.reference}`}</PageTitle>
      <p className="lead">{c.subject}</p>
      <div className="grid2">
        <Section title="Ringkasan">
          <dl className="facts">
            <dt>Jenis</dt>
            <dd>{KIND[c.kind]}</dd>
            <dt>Kanal</dt>
            <dd>{CHANNEL[c.channel]}</dd>
            <dt>Status</dt>
            <dd data-testid="status">{STATUS[c.status]}</dd>
            <dt>Klasifikasi</dt>
            <dd>{c.complaintClass ? CLASS[c.complaintClass] : '–'}</dd>
            <dt>Diterima</dt>
            <dd>{formatDateTime(c.receivedAt)}</dd>
            <dt>Batas waktu</dt>
            <dd>{formatDateTime(c.timeRemaining.dueAt ?? c.dueAt)}</dd>
            <dt>Sisa waktu kerja</dt>
            <dd>
              {DEADLINE[c.timeRemaining.state]} {c.timeRemaining.state !== 'NONE' && formatWorkingMinutes(c.timeRemaining.workingMinutes)}
            </dd>
            <dt>Tim</dt>
            <dd>{c.assignee ?? 'Belum ditugaskan'}</dd>
            <dt>Kode akses</dt>
            <dd>{c.accessCode ?? 'Tidak ditampilkan'}</dd>
            {c.requirements && (
              <>
                <dt>Persyaratan</dt>
                <dd>{c.requirements.complete ? 'Lengkap' : `Belum lengkap (${c.requirements.missing.length} kurang)`}</dd>
              </>
            )}
          </dl>
          {c.description && <p>{c.description}</p>}
          <p className="row">
            {receipt ? (
              <a href={receipt} target="_blank" rel="noopener" download={`tanda-terima-${c.reference}.pdf`}>
                Cetak tanda terima
              </a>
            ) : (
              <button type="button" className="secondary" onClick={() => void receiptAction.run()}>
                Siapkan tanda terima
              </button>
            )}
          </p>
          <ErrorBox error={receiptAction.error} />
        </Section>
        <Section title="Pemohon">
          {c.identityHidden ? (
            <p data-testid="identity-hidden">Identitas pemohon dirahasiakan untuk peran Anda.</p>
          ) : c.anonymous ? (
            <p>Pengaduan anonim (tanpa identitas).</p>
          ) : (
            <>
              <dl className="facts" data-testid="requester">
                <dt>Nama</dt>
                <dd>{c.requester?.name ?? '–'}</dd>
                <dt>NIK</dt>
                <dd>{nik ?? c.requester?.nik ?? '–'}</dd>
                <dt>Telepon</dt>
                <dd>{c.requester?.phone ?? '–'}</dd>
                <dt>Surel</dt>
                <dd>{c.requester?.email ?? '–'}</dd>
                <dt>Alamat</dt>
                <dd>{c.requester?.address ?? '–'}</dd>
                {c.channelDetails.map((d) => (
                  <div key={d.name} style={{ display: 'contents' }}>
                    <dt>{d.name === 'callerNumber' ? 'Nomor penelepon' : d.name === 'faxNumber' ? 'Nomor faks' : d.name}</dt>
                    <dd>{d.value}</dd>
                  </div>
                ))}
              </dl>
              {c.requester?.nik && !nik && (
                <ActionForm
                  label="Tampilkan NIK lengkap"
                  onSubmit={async () => setNik((await request(REVEAL, { id, reason: revealReason })).revealNik ?? null)}
                  done={() => setRevealReason('')}
                >
                  <TextField label="Alasan menampilkan NIK (dicatat di log audit)" value={revealReason} onChange={setRevealReason} required />
                </ActionForm>
              )}
            </>
          )}
        </Section>
      </div>

      <div className="grid2">
        {c.kind === 'COMPLAINT' && officer && open && (
          <Section title="Klasifikasi">
            <ActionForm label="Klasifikasikan" onSubmit={() => request(CLASSIFY, { id, cls: cls as ComplaintClass })} done={reload} disabled={!cls}>
              <Select label="Klasifikasi pengaduan" value={cls} options={Object.entries(CLASS) as Array<[ComplaintClass, string]>} onChange={setCls} empty="Pilih klasifikasi" />
            </ActionForm>
          </Section>
        )}
        {officer && open && (
          <Section title="Penugasan">
            <ActionForm label="Tugaskan" onSubmit={() => request(ASSIGN, { id, team, assignee: member || null })} done={reload} disabled={!team}>
              <Select
                label="Tim penanganan"
                value={team}
                options={(teams.data?.teams ?? []).filter((t) => t.active).map((t) => [t.code, t.name] as [string, string])}
                onChange={(v) => {
                  setTeam(v);
                  setMember('');
                }}
                empty="Pilih tim"
              />
              <Select label="Petugas (boleh kosong)" value={member} options={members.map((m) => [m.id, m.displayName] as [string, string])} onChange={setMember} empty="Seluruh tim" />
            </ActionForm>
          </Section>
        )}
        {(open || c.status === 'WAITING') && (
          <Section title="Penundaan">
            {c.status === 'WAITING' ? (
              <ActionForm label="Lanjutkan" onSubmit={() => request(RESUME, { id })} done={reload} />
            ) : (
              <ActionForm label="Tunda" onSubmit={() => request(PAUSE_CASE, { id, reason: pauseReason as PauseReason })} done={reload} disabled={!pauseReason}>
                <Select label="Alasan penundaan" value={pauseReason} options={Object.entries(PAUSE) as Array<[PauseReason, string]>} onChange={setPauseReason} />
              </ActionForm>
            )}
          </Section>
        )}
        {open && (
          <Section title="Konsep jawaban">
            {c.answerDraft && (
              <p data-testid="draft">
                Konsep terakhir ({formatDateTime(c.answerDraft.draftedAt)}): {c.answerDraft.text}
              </p>
            )}
            {['HANDLER', 'COMPLAINT_OFFICER', 'ADMIN'].includes(role) && (
              <ActionForm label="Simpan konsep" onSubmit={() => request(DRAFT, { id, text: draft })} done={() => (setDraft(''), reload())}>
                <TextArea label="Teks konsep jawaban" value={draft} onChange={setDraft} required />
              </ActionForm>
            )}
          </Section>
        )}
        {open && role !== 'HANDLER' && (
          <Section title="Kirim jawaban">
            <ActionForm
              label="Kirim jawaban"
              onSubmit={() => request(ANSWER, { id, answer: fromDraft && c.answerDraft ? { fromDraft: true, deliveredVia: deliver } : { text: answer, deliveredVia: deliver } })}
              done={reload}
            >
              {c.answerDraft && (
                <div className="check">
                  <input id="use-draft" type="checkbox" checked={fromDraft} onChange={(e) => setFromDraft(e.target.checked)} />
                  <label htmlFor="use-draft">Kirim konsep jawaban terakhir</label>
                </div>
              )}
              {!(fromDraft && c.answerDraft) && <TextArea label="Teks jawaban" value={answer} onChange={setAnswer} required />}
              <Select label="Disampaikan melalui" value={deliver} options={Object.entries(DELIVERY) as Array<[DeliveryMethod, string]>} onChange={setVia} />
            </ActionForm>
          </Section>
        )}
        {c.answer && (
          <Section title="Jawaban">
            <p data-testid="answer">{c.answer.text}</p>
            <p>
              Disampaikan melalui {DELIVERY[c.answer.deliveredVia]}, {formatDateTime(c.answer.answeredAt)}
            </p>
          </Section>
        )}
        {officer && open && (
          <Section title="Gabungkan">
            <ActionForm
              label="Gabungkan ke kasus tujuan"
              onSubmit={async () => {
                const target = (await request(FIND, { reference: mergeTarget.trim() })).case;
                if (target) await request(MERGE, { source: id, target: target.id });
              }}
              done={reload}
            >
              <TextField label="Nomor referensi kasus tujuan" value={mergeTarget} onChange={setMergeTarget} required hint="mis. ADU-2026-000123" />
            </ActionForm>
          </Section>
        )}
      </div>

      <Section title="Catatan">
        <ActionForm label="Tambah catatan" onSubmit={() => request(NOTE, { id, text: note })} done={() => (setNote(''), reload())}>
          <TextArea label="Catatan baru" value={note} onChange={setNote} required rows={3} />
        </ActionForm>
      </Section>

      <Section title="Riwayat">
        <ol className="timeline">
          {c.timeline.edges.map(({ node: e }) => (
            <li key={e.id}>
              <strong>{EVENT[e.type]}</strong> – {formatDateTime(e.at)} oleh {e.actor}
              {e.text ? <div>{e.text}</div> : null}
            </li>
          ))}
        </ol>
      </Section>
    </>
  );
}
