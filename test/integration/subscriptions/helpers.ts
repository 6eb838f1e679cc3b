import { LoketApp } from '../../../src/app';
import { CASE_FIELDS } from '../../support/builders';
import { streamsOpened, waitFor } from '../../support/live';
export { streamsOpened, waitFor } from '../../support/live';

export const LOG_PHONE = `mutation($input: LogPhoneCallInput!) { logPhoneCall(input: $input) { ${CASE_FIELDS} } }`;
export const LOG_FAX = `mutation($input: LogFaxInput!) { logFax(input: $input) { ${CASE_FIELDS} } }`;
export const LOG_WALK_IN = `mutation($input: LogWalkInInput!) { logWalkIn(input: $input) { ${CASE_FIELDS} } }`;
export const LOG_BOX = `mutation($input: ComplaintBoxEntryInput!) { registerComplaintBoxEntry(input: $input) { ${CASE_FIELDS} } }`;

export const CLASSIFY = `mutation($id: ID!, $cls: ComplaintClass!) { classifyComplaint(caseId: $id, complaintClass: $cls) { id } }`;
export const ASSIGN = `mutation($id: ID!, $who: String!) { assignCase(caseId: $id, team: $who) { id } }`;
export const ADD_NOTE = `mutation($id: ID!, $text: String!) { addNote(caseId: $id, text: $text) { id } }`;

export const TIMELINE = `query($id: ID, $reference: String) { case(id: $id, reference: $reference) { id reference status
  timeline(first: 100) { totalCount edges { cursor node { id cursor caseId type text } } } } }`;

export const SUB_CASE_CREATED = `subscription($filter: CaseStreamFilter) { caseCreated(filter: $filter) { id reference kind channel subject status } }`;
export const SUB_CASE_EVENTS = `subscription($caseId: ID, $after: String) { caseEvents(caseId: $caseId, after: $after) { id cursor caseId type actor text before after } }`;

/** Waits until the subscription reported an error (or completed with one). */
export async function firstError(sub: { errors: unknown[] }, ms = 15_000): Promise<any> {
  await waitFor(() => sub.errors.length > 0, 'a subscription error', ms);
  return sub.errors[0];
}

type Collector<T> = ReturnType<typeof import('../../support/test-app').collect<T>>;

/** Subscribes and resolves once the server has registered the new subscription's listener. */
export async function subscribeLive<T = Record<string, any>>(app: LoketApp, subscribe: () => Collector<T>): Promise<Collector<T>> {
  const counter = streamsOpened(app);
  const before = counter.count;
  const sub = subscribe();
  await waitFor(() => counter.count > before || sub.errors.length > 0, 'the subscription to be registered on the server');
  if (sub.errors.length) throw new Error(`subscription failed: ${JSON.stringify(sub.errors)}`);
  return sub;
}

/** Waits until every server-side listener has been released (all subscriptions ended). */
export async function waitForNoSubscribers(app: LoketApp): Promise<void> {
  await waitFor(() => app.services.stream.subscriberCount === 0, `all subscriptions to be released, ${app.services.stream.subscriberCount} left`);
}
