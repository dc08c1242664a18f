import { createHmac, timingSafeEqual } from 'node:crypto';
import { AppError } from '../../platform/errors.js';

/*
 * Both directions of the 12345 bridge are signed the same way: HMAC-SHA256 with the shared
 * secret over `timestamp + "." + body` (the raw bytes as sent), hex, in X-Hotline-Signature;
 * the Unix time in seconds in X-Hotline-Timestamp. A request more than 5 minutes off is
 * refused, so a captured request cannot be played again later; within the window a replay
 * carries the same order number and finds the same case.
 */

export const timestampHeader = 'x-hotline-timestamp';
export const signatureHeader = 'x-hotline-signature';
export const maxSkewSeconds = 5 * 60;

export function sign(secret: string, timestamp: string, body: Buffer | string): string {
  return createHmac('sha256', secret)
    .update(`${timestamp}.`)
    .update(typeof body === 'string' ? Buffer.from(body, 'utf8') : body)
    .digest('hex');
}

/** The headers of a signed request sent now. */
export function signedHeaders(secret: string, body: string, nowMs = Date.now()): Record<string, string> {
  const timestamp = String(Math.floor(nowMs / 1000));
  return {
    'content-type': 'application/json',
    [timestampHeader]: timestamp,
    [signatureHeader]: sign(secret, timestamp, body),
  };
}

/** Throws 401 unless the request is fresh and signed with the secret. */
export function verify(
  secret: string | undefined,
  headers: Record<string, string | string[] | undefined>,
  body: Buffer,
  nowMs = Date.now(),
): void {
  if (!secret) throw new AppError('HOTLINE_NOT_CONFIGURED');
  const ts = headers[timestampHeader];
  const sig = headers[signatureHeader];
  if (typeof ts !== 'string' || !/^\d{9,11}$/.test(ts)) throw new AppError('HOTLINE_TIMESTAMP_STALE');
  if (Math.abs(nowMs / 1000 - Number(ts)) > maxSkewSeconds) throw new AppError('HOTLINE_TIMESTAMP_STALE');
  if (typeof sig !== 'string' || !/^[0-9a-f]{64}$/i.test(sig))
    throw new AppError('HOTLINE_SIGNATURE_INVALID');
  const want = Buffer.from(sign(secret, ts, body), 'hex');
  if (!timingSafeEqual(want, Buffer.from(sig.toLowerCase(), 'hex')))
    throw new AppError('HOTLINE_SIGNATURE_INVALID');
}
