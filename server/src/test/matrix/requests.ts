import { randomUUID } from 'node:crypto';
import type { Req } from './model.js';

/** The route's path with its parameters filled in. */
export function at(path: string, params: Record<string, string | number>): string {
  return path.replace(/\{(\w+)\}/g, (_, k: string) => encodeURIComponent(String(params[k])));
}

/** A multipart upload of one file, as a browser sends it. */
export function upload(data: Buffer, filename: string, type: string): Pick<Req, 'payload' | 'headers'> {
  const boundary = `----matrix${randomUUID()}`;
  const head = Buffer.from(
    `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${filename}"\r\nContent-Type: ${type}\r\n\r\n`,
  );
  const tail = Buffer.from(`\r\n--${boundary}--\r\n`);
  return {
    payload: Buffer.concat([head, data, tail]),
    headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
  };
}

/** Today in China (UTC+8), as the platform's day fields count it. */
export const today = () => new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 10);
export const now = () => new Date().toISOString();
