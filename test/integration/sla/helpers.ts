import { LoketApp } from '../../../src/app';
import { queryDb } from '../../support/live';
import { gqlOk, Target } from '../../support/test-app';

export const LOG_PHONE = `mutation($input: LogPhoneCallInput!) { logPhoneCall(input: $input) { id reference dueAt } }`;
export const CLASSIFY = `mutation($id: ID!, $cls: ComplaintClass!) { classifyComplaint(caseId: $id, complaintClass: $cls) { id dueAt } }`;
export const ASSIGN = `mutation($id: ID!, $who: String!) { assignCase(caseId: $id, team: $who) { id } }`;
export const PAUSE = `mutation($id: ID!, $reason: PauseReason!, $note: String) { pauseCase(caseId: $id, reason: $reason, note: $note) {
  id status dueAt warnAt timeRemaining { state workingMinutes dueAt } } }`;
export const RESUME = `mutation($id: ID!) { resumeCase(caseId: $id) { id status dueAt warnAt pausedWorkingMinutes timeRemaining { state workingMinutes dueAt } } }`;
export const CASE_TIME = `query($id: ID!) { case(id: $id) { id status dueAt warnAt pausedWorkingMinutes timeRemaining { state workingMinutes dueAt } } }`;
export const SUB_SLA = `subscription($filter: SlaAlertFilter) { slaAlerts(filter: $filter) { id type at dueAt workingMinutesLeft case { id reference assignee timeRemaining { state } } } }`;

/** WIB wall time (UTC+7) as an instant. */
export const wib = (local: string): Date => new Date(`${local}:00+07:00`);

/** Logs a phone complaint received at `receivedAt` (unclassified: LIGHT, 3 office hours), optionally classified and assigned. */
export async function logComplaint(
  target: string | Target,
  receivedAt: Date,
  options: { cls?: string; team?: string } = {},
): Promise<{ id: string; reference: string; dueAt: string }> {
  const c = (await gqlOk(target, LOG_PHONE, {
    input: { kind: 'COMPLAINT', subject: `Bantuan belum diterima ${Math.random()}`, callerNumber: '0812-3456-7890', receivedAt: receivedAt.toISOString() },
  })).logPhoneCall;
  if (options.cls) c.dueAt = (await gqlOk(target, CLASSIFY, { id: c.id, cls: options.cls })).classifyComplaint.dueAt;
  if (options.team) await gqlOk(target, ASSIGN, { id: c.id, who: options.team });
  return c;
}

/** The SLA alerts stored on a case's timeline, oldest first. */
export async function slaEvents(url: string, caseId: string): Promise<{ type: string; dueAt: string }[]> {
  const rows = await queryDb(url, `SELECT type, after FROM case_events WHERE case_id = $1 AND type IN ('SLA_WARNING', 'SLA_BREACHED') ORDER BY id`, [caseId]);
  return rows.map((r) => ({ type: r.type, dueAt: new Date(r.after.dueAt).toISOString() }));
}

/** Runs the alert job's scan once, as the scheduler would. */
export const runAlerts = (app: LoketApp) => app.services.slaAlerts.run();
