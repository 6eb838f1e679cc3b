import { DataSource } from 'typeorm';
import { DropItemKind } from '../../domain/intake/drop-item';
import { FileReferences, FileReferencesFound } from '../../domain/files/file-references.port';

/** Reads what refers to a stored file from email_messages, drop_items and file_uploads. */
export class TypeormFileReferences implements FileReferences {
  constructor(private readonly ds: DataSource) {}

  async find(fileId: string, principalId: string): Promise<FileReferencesFound> {
    const [r] = (await this.ds.query(
      `SELECT
         (SELECT coalesce(json_agg(json_build_object('caseId', e.case_id::text)), '[]'::json) FROM email_messages e WHERE e.raw_file_id = $1) AS raw,
         (SELECT coalesce(json_agg(DISTINCT d.kind), '[]'::json) FROM drop_items d WHERE d.file_id = $1 AND d.status = 'UNREGISTERED') AS drops,
         EXISTS (SELECT 1 FROM file_uploads u WHERE u.file_id = $1 AND u.uploaded_by = $2) AS uploaded`,
      [fileId, principalId],
    )) as { raw: { caseId: string | null }[]; drops: DropItemKind[]; uploaded: boolean }[];
    return { rawMessageOf: r.raw, waitingDropItems: r.drops, uploadedByCaller: r.uploaded };
  }

  async recordUpload(fileId: string, principalId: string, at: Date): Promise<void> {
    await this.ds.query(
      `INSERT INTO file_uploads (file_id, uploaded_by, uploaded_at) VALUES ($1, $2, $3::timestamptz) ON CONFLICT (file_id, uploaded_by) DO NOTHING`,
      [fileId, principalId, at.toISOString()],
    );
  }
}
