import { DataSource } from 'typeorm';
import { Team, TeamMember } from '../../domain/access/team';
import { TeamRepository } from '../../domain/access/team-repository.port';

type Row = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- raw rows, mapped right below
const d = (v: unknown): Date | null => (v === null || v === undefined ? null : v instanceof Date ? v : new Date(String(v)));

const toTeam = (r: Row): Team => ({ id: r.id, code: r.code, name: r.name, active: r.active === true, createdAt: d(r.created_at)! });
const toMember = (r: Row): TeamMember => ({
  id: r.id, username: r.username, displayName: r.display_name, role: r.role, team: r.team, disabledAt: d(r.disabled_at),
});
const MEMBER_COLUMNS = 'id::text AS id, username, display_name, role, team, disabled_at';

/** Teams and team membership (the `team` column of staff users). UPDATEs go through CTEs, as elsewhere. */
export class TypeormTeamRepository implements TeamRepository {
  constructor(private readonly ds: DataSource) {}

  private async rows(sql: string, params: unknown[] = []): Promise<Row[]> {
    return (await this.ds.query(sql, params)) as Row[];
  }

  async insert(t: Team): Promise<boolean> {
    const rows = await this.rows(
      `WITH i AS (INSERT INTO teams (id, code, name, active, created_at) VALUES ($1::uuid, $2, $3, $4, $5::timestamptz)
       ON CONFLICT (code) DO NOTHING RETURNING id) SELECT id FROM i`,
      [t.id, t.code, t.name, t.active, t.createdAt.toISOString()],
    );
    return rows.length === 1;
  }

  async findByCode(code: string): Promise<Team | null> {
    const [r] = await this.rows(`SELECT * FROM teams WHERE code = $1`, [code]);
    return r ? toTeam(r) : null;
  }

  async list(): Promise<Team[]> {
    return (await this.rows(`SELECT * FROM teams ORDER BY code`)).map(toTeam);
  }

  async update(code: string, changes: { name?: string; active?: boolean }): Promise<Team | null> {
    const [r] = await this.rows(
      `WITH u AS (UPDATE teams SET name = COALESCE($2, name), active = COALESCE($3, active) WHERE code = $1 RETURNING *) SELECT * FROM u`,
      [code, changes.name ?? null, changes.active ?? null],
    );
    return r ? toTeam(r) : null;
  }

  async members(codes: string[]): Promise<TeamMember[]> {
    return (await this.rows(`SELECT ${MEMBER_COLUMNS} FROM staff_users WHERE team = ANY($1::text[]) ORDER BY username`, [codes])).map(toMember);
  }

  async findMember(userId: string): Promise<TeamMember | null> {
    const [r] = await this.rows(`SELECT ${MEMBER_COLUMNS} FROM staff_users WHERE id = $1::uuid`, [userId]);
    return r ? toMember(r) : null;
  }

  async setUserTeam(userId: string, code: string | null): Promise<TeamMember | null> {
    const [r] = await this.rows(
      `WITH u AS (UPDATE staff_users SET team = $2 WHERE id = $1::uuid RETURNING *) SELECT ${MEMBER_COLUMNS} FROM u`,
      [userId, code],
    );
    return r ? toMember(r) : null;
  }

  async openSessionsOf(userId: string, now: Date): Promise<string[]> {
    const rows = await this.rows(
      `SELECT id::text AS id FROM sessions WHERE user_id = $1::uuid AND revoked_at IS NULL AND expires_at > $2::timestamptz`,
      [userId, now.toISOString()],
    );
    return rows.map((r) => r.id as string);
  }
}
