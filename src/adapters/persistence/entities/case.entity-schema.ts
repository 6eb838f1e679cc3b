import { EntitySchema } from 'typeorm';

/** The stored shape of a case; mapped to and from the domain aggregate in case.mapper.ts. */
export interface CaseRow {
  id: string;
  reference: string;
  kind: string;
  channel: string;
  status: string;
  complaint_class: string | null;
  subject: string;
  description: string | null;
  received_at: Date;
  logged_at: Date;
  clock_started_at: Date | null;
  due_at: Date | null;
  deadline_warnings: string[];
  requester: Record<string, string | null> | null;
  requirements: Record<string, boolean> | null;
  channel_details: Record<string, string>;
  assignee: string | null;
  answer: { text: string; deliveredVia: string; answeredAt: string } | null;
  rejection: { reason: string; note: string | null } | null;
  merged_into_id: string | null;
  updated_at: Date;
  version: number;
  search_text: string;
  confidential: boolean;
  requester_erased_at: Date | null;
  nik_ciphertext: string | null;
  nik_index: string | null;
  access_code: string;
  warn_at: Date | null;
  pause: Record<string, unknown> | null;
  paused_working_minutes: number;
  assigned_user_id: string | null;
  answer_draft: { text: string; attachmentFileIds: string[]; draftedBy: string; draftedAt: string } | null;
}

export const CaseEntity = new EntitySchema<CaseRow>({
  name: 'Case',
  tableName: 'cases',
  columns: {
    id: { type: 'uuid', primary: true },
    reference: { type: 'text', unique: true },
    kind: { type: 'text' },
    channel: { type: 'text' },
    status: { type: 'text' },
    complaint_class: { type: 'text', nullable: true },
    subject: { type: 'text' },
    description: { type: 'text', nullable: true },
    received_at: { type: 'timestamptz' },
    logged_at: { type: 'timestamptz' },
    clock_started_at: { type: 'timestamptz', nullable: true },
    due_at: { type: 'timestamptz', nullable: true },
    deadline_warnings: { type: 'text', array: true },
    requester: { type: 'jsonb', nullable: true },
    requirements: { type: 'jsonb', nullable: true },
    channel_details: { type: 'jsonb' },
    assignee: { type: 'text', nullable: true },
    answer: { type: 'jsonb', nullable: true },
    rejection: { type: 'jsonb', nullable: true },
    merged_into_id: { type: 'uuid', nullable: true },
    updated_at: { type: 'timestamptz' },
    version: { type: 'int' },
    search_text: { type: 'text', select: false },
    confidential: { type: 'boolean' },
    requester_erased_at: { type: 'timestamptz', nullable: true },
    nik_ciphertext: { type: 'text', nullable: true },
    nik_index: { type: 'text', nullable: true },
    access_code: { type: 'text' },
    warn_at: { type: 'timestamptz', nullable: true },
    pause: { type: 'jsonb', nullable: true },
    paused_working_minutes: { type: 'int' },
    assigned_user_id: { type: 'uuid', nullable: true },
    answer_draft: { type: 'jsonb', nullable: true },
  },
});
