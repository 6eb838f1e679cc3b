import { EntitySchema } from 'typeorm';

export interface CaseEventRow {
  id: string;
  case_id: string;
  type: string;
  actor_id: string;
  actor_kind: string;
  at: Date;
  before: Record<string, unknown> | null;
  after: Record<string, unknown> | null;
  text: string | null;
}

export const CaseEventEntity = new EntitySchema<CaseEventRow>({
  name: 'CaseEvent',
  tableName: 'case_events',
  columns: {
    id: { type: 'bigint', primary: true, generated: 'increment' },
    case_id: { type: 'uuid' },
    type: { type: 'text' },
    actor_id: { type: 'text' },
    actor_kind: { type: 'text' },
    at: { type: 'timestamptz' },
    before: { type: 'jsonb', nullable: true },
    after: { type: 'jsonb', nullable: true },
    text: { type: 'text', nullable: true },
  },
});
