import { type ErrorCode, errorCodes, type Problem } from '@civicgrid/core';
import { ApiError } from './api.js';

/** The file name the server chose (RFC 6266 `filename*`, else `filename`), or a fallback. */
export function fileNameOf(res: Response, fallback: string): string {
  const header = res.headers.get('content-disposition') ?? '';
  const star = /filename\*=UTF-8''([^;]+)/i.exec(header)?.[1];
  if (star) {
    try {
      return decodeURIComponent(star);
    } catch {
      // A malformed escape: the plain name below is still usable.
    }
  }
  return /filename="([^"]+)"/i.exec(header)?.[1] ?? fallback;
}

/**
 * The one way the web downloads a generated file (spreadsheet, PDF): fetched rather than
 * followed as a link, so a refusal — too many rows, no permission, rate limit — comes back
 * as an ApiError whose message the page shows (problem+json), instead of a JSON file saved
 * under an .xlsx name. The file gets the name the server gave it.
 */
export async function downloadExport(url: string, fallbackName = 'export.xlsx'): Promise<string> {
  let res: Response;
  try {
    res = await fetch(url, { credentials: 'same-origin' });
  } catch {
    throw new ApiError(0, 'NETWORK');
  }
  if (!res.ok) {
    const p = ((await res.json().catch(() => null)) ?? {}) as Partial<Problem>;
    const code = (p.code && p.code in errorCodes ? p.code : 'INTERNAL') as ErrorCode;
    throw new ApiError(res.status, code, p.errors ?? [], p.detail);
  }
  const name = fileNameOf(res, fallbackName);
  const href = URL.createObjectURL(await res.blob());
  const a = document.createElement('a');
  a.href = href;
  a.download = name;
  document.body.appendChild(a);
  a.click();
  a.remove();
  // Revoked later: some browsers read the blob after click() returns.
  setTimeout(() => URL.revokeObjectURL(href), 10_000);
  return name;
}
