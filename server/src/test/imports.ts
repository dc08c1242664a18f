import type { LightMyRequestResponse } from 'fastify';
import type { Session } from './factories.js';

export const xlsxType = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/** Uploads a file to `/api/imports/<kind>` as the browser does (multipart, one file). */
export function uploadImport(
  s: Session,
  kind: string,
  name: string,
  data: Buffer,
  type = 'text/csv',
): Promise<LightMyRequestResponse> {
  const boundary = '----cgimporttest';
  const payload = Buffer.concat([
    Buffer.from(
      `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${name}"\r\nContent-Type: ${type}\r\n\r\n`,
    ),
    data,
    Buffer.from(`\r\n--${boundary}--\r\n`),
  ]);
  return s.inject({
    method: 'POST',
    url: `/api/imports/${kind}`,
    payload,
    headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
  });
}

export interface ImportJobReply {
  id: string;
  status: 'queued' | 'running' | 'done' | 'failed';
  total: number;
  imported: number;
  unchanged: number;
  failed: number;
  message: string | null;
  errorReportUrl: string | null;
}

/** Polls the job until it is done or failed. */
export async function importFinished(s: Session, id: string): Promise<ImportJobReply> {
  for (let i = 0; i < 200; i++) {
    const job = (await s.get(`/api/imports/${id}`)).json() as ImportJobReply;
    if (job.status === 'done' || job.status === 'failed') return job;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error('import did not finish');
}

/** Uploads and waits: the finished job. */
export async function runImportOf(s: Session, kind: string, name: string, data: Buffer, type?: string) {
  const res = await uploadImport(s, kind, name, data, type);
  if (res.statusCode !== 202) throw new Error(`import refused: ${res.statusCode} ${res.body}`);
  return importFinished(s, res.json().id);
}

/** The error report's rows as [row, reason, …cells, rule] (header left out). */
export async function errorReportRows(s: Session, job: ImportJobReply): Promise<unknown[][]> {
  if (!job.errorReportUrl) return [];
  const res = await s.get(job.errorReportUrl);
  const { default: ExcelJS } = await import('exceljs');
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
  const ws = wb.worksheets[0];
  const rows: unknown[][] = [];
  ws?.eachRow((row, n) => {
    if (n > 1) rows.push((row.values as unknown[]).slice(1));
  });
  return rows;
}
