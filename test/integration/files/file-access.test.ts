import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { DovecotInstance } from '../../support/mail/dovecot';
import { SmtpSink } from '../../support/mail/smtp-sink';
import { as, gql, gqlOk, Target } from '../../support/test-app';
import { buildComplaintBoxEntry, buildWalkIn } from '../../support/builders';
import { samplePdf } from '../../support/sample-files';
import { keyOf, MailApp, rawMail, startMailApp, startServers, uniq, waitEmailRow, waitEvent } from '../email/email-helpers';

jest.setTimeout(120_000);

const LOG_WALK_IN = `mutation($input: LogWalkInInput!) { logWalkIn(input: $input) { id } }`;
const UPDATE_REQ = `mutation($id: ID!, $r: RequirementsInput!) { updateRequirements(caseId: $id, requirements: $r) { id } }`;
const OPEN_BOX = `mutation($input: ComplaintBoxOpeningInput!) { recordComplaintBoxOpening(input: $input) { id cases { id } } }`;
const IMPORT = `mutation($fileId: ID!) { importCallRecords(fileId: $fileId) { imported } }`;
const TIMELINE = `query($id: ID) { case(id: $id) { timeline(first: 100) { edges { node { type after } } } } }`;
const SCANS = `{ unregisteredScans { id fileId } }`;
const REGISTER = `mutation($id: ID!, $input: ComplaintBoxEntryInput!) { registerScan(scanId: $id, input: $input) { id } }`;
const AUDIT = `query($id: ID) { auditLog(caseId: $id, first: 200) { entries { actor actorRole action caseId details } } }`;

/**
 * Who may read and attach stored files (issue 9, findings 2, 3 and 11), end to end: a real
 * mailbox delivers a confidential complainant's mail with an attachment, the scanner's drop
 * folder a complaint-box scan, and clerks try to read them, directly and by attaching them to
 * cases of their own.
 */
describe('file access: reading and attaching stored files (Dovecot IMAP, real PostgreSQL)', () => {
  let dovecot: DovecotInstance;
  let sink: SmtpSink;
  let m: MailApp;
  let scanDir: string;
  let base: string;
  let clerk: Target;
  let otherClerk: Target;
  let officer: Target;
  let tool: Target;
  let toolWithPersonalData: Target;
  let clerkId: string;

  beforeAll(async () => {
    ({ dovecot, sink } = await startServers());
    scanDir = await mkdtemp(path.join(os.tmpdir(), 'loket-access-scan-'));
    m = await startMailApp('file_access', dovecot, sink, {}, { LOKET_SCAN_INBOX: scanDir, LOKET_DROP_POLL_SECONDS: '3600' });
    base = m.app.url.replace(/\/graphql$/, '');
    clerk = as(m.app, 'CLERK');
    officer = as(m.app, 'COMPLAINT_OFFICER');
    tool = as(m.app, 'INTEGRATION');
    const token = async (input: string): Promise<Target> => ({
      url: m.app.url,
      token: (await gqlOk(as(m.app, 'ADMIN'), `mutation { createApiToken(input: ${input}) { token } }`)).createApiToken.token,
    });
    otherClerk = await token(`{ name: "petugas dua", role: CLERK }`);
    toolWithPersonalData = await token(`{ name: "arsip", role: INTEGRATION, scopes: [CASES_READ, CASES_INTAKE, PERSONAL_DATA_READ] }`);
    clerkId = (await gqlOk(clerk, `{ me { id } }`)).me.id;
  });

  afterAll(async () => {
    await m?.stop();
    await sink?.stop();
    await dovecot?.stop();
    if (scanDir) await rm(scanDir, { recursive: true, force: true });
  });

  const download = (who: Target, id: string) => fetch(`${base}/files/${id}`, { headers: { authorization: `Bearer ${who.token}` } });
  const status = async (who: Target, id: string): Promise<number> => (await download(who, id)).status;
  const upload = async (who: Target, content: Buffer): Promise<string> => {
    const form = new FormData();
    form.append('file', new Blob([content]), 'scan.pdf');
    const res = await fetch(`${base}/files`, { method: 'POST', body: form, headers: { authorization: `Bearer ${who.token}` } });
    expect(res.status).toBe(201);
    return ((await res.json()) as { id: string }).id;
  };
  const links = async (fileId: string): Promise<string[]> =>
    (await m.q<{ case_id: string }>(`SELECT case_id::text FROM case_attachments WHERE file_id = $1 ORDER BY case_id`, [fileId])).map((r) => r.case_id);
  const ownWalkIn = async (who: Target): Promise<string> =>
    (await gqlOk(who, LOG_WALK_IN, { input: buildWalkIn({ requirements: { assignmentLetter: true } }) })).logWalkIn.id;
  const codeOf = (r: { errors?: { extensions?: Record<string, any> }[] }): unknown => r.errors?.[0]?.extensions?.code;

  /** A confidential email complaint, and the citizen's follow-up mail carrying a KTP scan. */
  const complaint = { caseId: '', attachmentId: '', rawFileId: '', pdf: samplePdf(`KTP warga ${uniq()}`) };

  it('setup: a follow-up mail with an attachment joins a confidential email complaint; a clerk sees the file id on its timeline', async () => {
    const address = `siti.${uniq()}@mail.example`;
    const first = `<first-${uniq()}@mail.example>`;
    await m.append(rawMail({ from: `Siti <${address}>`, subject: `Pengaduan bantuan ${uniq()}`, messageId: first, text: 'Bantuan belum diterima.' }));
    const row = await waitEmailRow(m, keyOf(first));
    expect(row.outcome).toBe('CREATED');
    complaint.caseId = row.case_id!;
    complaint.rawFileId = row.raw_file_id;
    await m.append(
      rawMail({
        from: `Siti <${address}>`, subject: 'Re: lampiran', messageId: `<reply-${uniq()}@mail.example>`, inReplyTo: first, references: first,
        text: 'Berikut KTP saya.', attachments: [{ filename: 'ktp.pdf', contentType: 'application/pdf', content: complaint.pdf }],
      }),
    );
    await waitEvent(m, complaint.caseId, 'INCOMING_MESSAGE');
    // The clerk reads the confidential complaint's timeline and finds the attachment's id there.
    const seen = (await gqlOk(clerk, TIMELINE, { id: complaint.caseId })).case.timeline.edges.map((e: any) => e.node);
    const incoming = seen.find((e: any) => e.type === 'INCOMING_MESSAGE');
    complaint.attachmentId = incoming.after.attachments[0].fileId;
    expect(await links(complaint.attachmentId)).toEqual([complaint.caseId]);
  });

  it('the attack of finding 2: the clerk cannot read the attachment, nor attach it to a case of their own and read it there', async () => {
    const id = complaint.attachmentId;
    expect(await status(clerk, id)).toBe(403);
    const own = await ownWalkIn(clerk);
    const attached = await gql(clerk, UPDATE_REQ, { id: own, r: { requestLetterFileId: id } });
    expect(codeOf(attached)).toBe('FORBIDDEN');
    expect(attached.errors?.[0].message).toBe('Anda tidak berwenang melakukan ini');
    // The same through every other mutation that takes a file id.
    expect(codeOf(await gql(clerk, LOG_WALK_IN, { input: buildWalkIn({ requirements: { identityDocumentFileId: id } }) }))).toBe('FORBIDDEN');
    const box = { openedAt: '2026-03-02T08:00:00+07:00', openedBy: 'Budi', entries: [buildComplaintBoxEntry({ scanFileIds: [id], confidential: false })] };
    expect(codeOf(await gql(clerk, OPEN_BOX, { input: box }))).toBe('FORBIDDEN');
    expect(codeOf(await gql(clerk, IMPORT, { fileId: id }))).toBe('FORBIDDEN');
    expect(await links(id)).toEqual([complaint.caseId]);
    expect(await status(clerk, id)).toBe(403);
  });

  it('those who may see the identity read the attachment; every download is in the audit log', async () => {
    const res = await download(officer, complaint.attachmentId);
    expect(res.status).toBe(200);
    expect(Buffer.from(await res.arrayBuffer()).equals(complaint.pdf)).toBe(true);
    expect(await status(toolWithPersonalData, complaint.attachmentId)).toBe(200);
    expect(await status(tool, complaint.attachmentId)).toBe(403);
    const entries = (await gqlOk(as(m.app, 'SUPERVISOR'), AUDIT, { id: complaint.caseId })).auditLog.entries.filter((e: any) => e.action === 'FILE_DOWNLOADED');
    expect(entries).toEqual([
      { actor: expect.any(String), actorRole: 'COMPLAINT_OFFICER', action: 'FILE_DOWNLOADED', caseId: complaint.caseId, details: { fileId: complaint.attachmentId, contentType: 'application/pdf', size: complaint.pdf.length } },
      expect.objectContaining({ actorRole: 'INTEGRATION', caseId: complaint.caseId }),
    ]);
  });

  it('finding 3: the raw message of a confidential complaint is for those who may see its identity, not for clerks or intake tools', async () => {
    expect(await status(clerk, complaint.rawFileId)).toBe(403);
    expect(await status(tool, complaint.rawFileId)).toBe(403);
    expect(await status(as(m.app, 'HANDLER'), complaint.rawFileId)).toBe(403);
    const res = await download(officer, complaint.rawFileId);
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('Subject: Pengaduan bantuan');
    // The raw message's id (the key to it) is not written to the log.
    expect(JSON.stringify(m.logs)).not.toContain(complaint.rawFileId);
  });

  it('the complaint-box scan variant: a waiting scan is for the desk; once registered as a confidential complaint it is not', async () => {
    const pdf = samplePdf(`Surat pengaduan bernama ${uniq()}`);
    await writeFile(path.join(scanDir, `SCAN-${uniq()}.pdf`), pdf);
    const watcher = m.app.dropFolders.scan!;
    await watcher.scanNow();
    await watcher.scanNow();
    const [scan] = (await gqlOk(clerk, SCANS)).unregisteredScans;
    expect(await status(clerk, scan.fileId)).toBe(200);
    const own = await ownWalkIn(clerk);
    const { registerScan: c } = await gqlOk(officer, REGISTER, { id: scan.id, input: buildComplaintBoxEntry() });
    expect(await links(scan.fileId)).toEqual([c.id]);
    expect(await status(clerk, scan.fileId)).toBe(403);
    expect(codeOf(await gql(clerk, UPDATE_REQ, { id: own, r: { identityDocumentFileId: scan.fileId } }))).toBe('FORBIDDEN');
    expect(await links(scan.fileId)).toEqual([c.id]);
    expect(await status(clerk, scan.fileId)).toBe(403);
    expect(await status(officer, scan.fileId)).toBe(200);
  });

  it('legitimate flows: the uploader reads and attaches their own upload; another clerk only once it is on a case they may see', async () => {
    const letter = samplePdf(`Surat permintaan ${uniq()}`);
    const id = await upload(clerk, letter);
    expect(await status(clerk, id)).toBe(200);
    expect(await status(otherClerk, id)).toBe(403);
    expect(codeOf(await gql(otherClerk, UPDATE_REQ, { id: await ownWalkIn(otherClerk), r: { requestLetterFileId: id } }))).toBe('FORBIDDEN');
    const own = await ownWalkIn(clerk);
    await gqlOk(clerk, UPDATE_REQ, { id: own, r: { requestLetterFileId: id } });
    expect(await links(id)).toEqual([own]);
    // Now on a (not confidential) information request, which every clerk may read.
    expect(await status(clerk, id)).toBe(200);
    expect(await status(otherClerk, id)).toBe(200);
    const audit = (await gqlOk(as(m.app, 'SUPERVISOR'), AUDIT, { id: own })).auditLog.entries.filter((e: any) => e.action === 'FILE_DOWNLOADED');
    expect(audit.map((e: any) => e.actor)).toEqual([clerkId, expect.any(String)]);
    // An upload the clerk put on a confidential complaint is for those who may see its identity.
    const boxScan = await upload(clerk, samplePdf(`Kotak ${uniq()}`));
    const { recordComplaintBoxOpening: o } = await gqlOk(clerk, OPEN_BOX, {
      input: { openedAt: '2026-03-02T08:00:00+07:00', openedBy: 'Budi', entries: [buildComplaintBoxEntry({ scanFileIds: [boxScan] })] },
    });
    expect(await links(boxScan)).toEqual([o.cases[0].id]);
    expect(await status(clerk, boxScan)).toBe(403);
    expect(await status(officer, boxScan)).toBe(200);
  });

  it('an unknown file id is still 404 and "is not a stored file"', async () => {
    expect(await status(clerk, 'e'.repeat(64))).toBe(404);
    const r = await gql(clerk, UPDATE_REQ, { id: await ownWalkIn(clerk), r: { requestLetterFileId: 'e'.repeat(64) } });
    expect(r.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'requirements.requestLetterFileId' });
  });
});
