import { createHmac } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * The authenticator app of the end-to-end tests: the three administrators' roles require
 * TOTP, so their first login enrols (the spec that does so keeps the secret here) and
 * every later login — in any spec file, each in its own worker — types the current code.
 * Written apart from the server's totp.ts on purpose: an independent RFC 6238 client
 * is what checks that a real authenticator works with the server.
 */
const stepMs = 30_000;

function base32Decode(text: string): Buffer {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  let bits = 0;
  let value = 0;
  const out: number[] = [];
  for (const ch of text.replace(/[\s=]/g, '').toUpperCase()) {
    value = (value << 5) | alphabet.indexOf(ch);
    bits += 5;
    if (bits >= 8) {
      out.push((value >>> (bits - 8)) & 255);
      bits -= 8;
    }
  }
  return Buffer.from(out);
}

/** RFC 6238 with the defaults every authenticator uses: HMAC-SHA1, 30 s, 6 digits. */
export function totpCode(secret: string, step: number): string {
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(step));
  const mac = createHmac('sha1', base32Decode(secret)).update(counter).digest();
  const offset = (mac[mac.length - 1] as number) & 0xf;
  return String((mac.readUInt32BE(offset) & 0x7fffffff) % 1_000_000).padStart(6, '0');
}

type Store = Record<string, { secret: string; lastStep: number }>;

/** One file per run (globalSetup makes the directory), shared by the spec files' workers. */
function storeFile(): string {
  const dir = process.env.E2E_STATE_DIR ?? tmpdir();
  const port = new URL(process.env.E2E_BASE_URL ?? 'http://x:0').port;
  return join(dir, `totp-${port}.json`);
}
function load(): Store {
  try {
    return JSON.parse(readFileSync(storeFile(), 'utf8')) as Store;
  } catch {
    return {};
  }
}

export function hasAuthenticator(username: string): boolean {
  return username in load();
}

/**
 * The code to type now. A step already used for this account is never used again — a
 * server may refuse a replayed code — so this waits for the next one when it must.
 */
export async function nextCode(username: string, secret = load()[username]?.secret): Promise<string> {
  if (!secret) throw new Error(`no authenticator for ${username}`);
  const last = load()[username]?.lastStep ?? -1;
  let step = Math.floor(Date.now() / stepMs);
  if (step <= last) {
    await new Promise((r) => setTimeout(r, (last + 1) * stepMs - Date.now() + 100));
    step = last + 1;
  }
  const store = load();
  store[username] = { secret, lastStep: step };
  writeFileSync(storeFile(), JSON.stringify(store));
  return totpCode(secret, step);
}
