import { createCipheriv, createDecipheriv, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * Personal data at rest (DESIGN.md §6). Two suites:
 * - `aes`: AES-256-GCM (authenticated), blind index HMAC-SHA256;
 * - `sm`: SM4-CTR encrypt-then-MAC with HMAC-SM3 (GB/T 32907, GB/T 32905), blind index
 *   HMAC-SM3 — for 国密 deployments. Node's OpenSSL provides both.
 * The stored text names its suite (`a1:` / `s1:`), so a reader never guesses.
 */
export type CryptoSuite = 'aes' | 'sm';

/** The HMAC hash of a suite: SHA-256, or SM3 (GB/T 32905) for 国密 deployments. */
export function suiteMac(suite: CryptoSuite): 'sha256' | 'sm3' {
  return suite === 'sm' ? 'sm3' : 'sha256';
}

export interface FieldCrypto {
  encrypt(plain: string): string;
  decrypt(stored: string): string;
  /** Keyed, deterministic index for exact lookups of an encrypted value. */
  blindIndex(value: string): string;
  /** Keyed hash of a secret token (sessions, access tokens, recovery codes). */
  tokenHash(token: string): string;
}

export function createFieldCrypto(suite: CryptoSuite, dataKey: Buffer, indexKey: Buffer): FieldCrypto {
  const mac = suite === 'sm' ? 'sm3' : 'sha256';
  const hmac = (key: Buffer, value: string) => createHmac(mac, key).update(value, 'utf8').digest();
  // Separate sub-keys so the MAC key of SM4 ciphertexts is never the cipher key.
  const encKey = suite === 'sm' ? hmac(dataKey, 'sm4-key').subarray(0, 16) : dataKey;
  const macKey = hmac(dataKey, 'mac-key');

  return {
    encrypt(plain) {
      if (suite === 'aes') {
        const iv = randomBytes(12);
        const c = createCipheriv('aes-256-gcm', encKey, iv);
        const body = Buffer.concat([c.update(plain, 'utf8'), c.final()]);
        return `a1:${Buffer.concat([iv, c.getAuthTag(), body]).toString('base64')}`;
      }
      const iv = randomBytes(16);
      const c = createCipheriv('sm4-ctr', encKey, iv);
      const body = Buffer.concat([c.update(plain, 'utf8'), c.final()]);
      const tag = createHmac('sm3', macKey)
        .update(Buffer.concat([iv, body]))
        .digest();
      return `s1:${Buffer.concat([iv, tag, body]).toString('base64')}`;
    },
    decrypt(stored) {
      const raw = Buffer.from(stored.slice(3), 'base64');
      if (stored.startsWith('a1:')) {
        const d = createDecipheriv('aes-256-gcm', dataKey, raw.subarray(0, 12));
        d.setAuthTag(raw.subarray(12, 28));
        return Buffer.concat([d.update(raw.subarray(28)), d.final()]).toString('utf8');
      }
      if (stored.startsWith('s1:')) {
        const iv = raw.subarray(0, 16);
        const tag = raw.subarray(16, 48);
        const body = raw.subarray(48);
        const expect = createHmac('sm3', macKey)
          .update(Buffer.concat([iv, body]))
          .digest();
        if (!timingSafeEqual(tag, expect)) throw new Error('ciphertext authentication failed');
        const d = createDecipheriv('sm4-ctr', encKey, iv);
        return Buffer.concat([d.update(body), d.final()]).toString('utf8');
      }
      throw new Error('unknown ciphertext format');
    },
    blindIndex(value) {
      return hmac(indexKey, `bi:${value}`).toString('base64url');
    },
    tokenHash(token) {
      return hmac(indexKey, `tok:${token}`).toString('base64url');
    },
  };
}
