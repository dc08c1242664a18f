/**
 * A random UUID (v4, RFC 9562 §5.4) for idempotency keys and offline ids.
 * `crypto.randomUUID` exists only in secure contexts (HTTPS or localhost); a street office that
 * serves the platform over plain http on its LAN would crash every page that calls it, while
 * `crypto.getRandomValues` is available everywhere.
 */
export function newUuid(): string {
  if (typeof crypto.randomUUID === 'function' && globalThis.isSecureContext !== false)
    return crypto.randomUUID();
  const b = crypto.getRandomValues(new Uint8Array(16));
  b[6] = ((b[6] as number) & 0x0f) | 0x40;
  b[8] = ((b[8] as number) & 0x3f) | 0x80;
  const h = Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}
