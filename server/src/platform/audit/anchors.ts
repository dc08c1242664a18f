import { createHmac, timingSafeEqual } from 'node:crypto';
import { mkdir, open, readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import { z } from 'zod';
import type { Config } from '../config.js';
import { type Db, queryRows } from '../db.js';
import { defineJob, type Job } from '../jobs/runner.js';
import { linkAuditChain } from './chain.js';
import { type AuditSeal, auditSealOf } from './trail.js';

/**
 * Anchors: signed checkpoints of the chain head kept outside the table, one JSON line each
 * in an append-only file per UTC day (DATA_DIR/audit-anchors/2026-05-01.jsonl) and, when
 * configured, POSTed to a collector. Someone who deletes the newest rows leaves a chain that
 * links perfectly; the anchor still names a row and hash that must exist.
 */
export const auditAnchor = z.object({
  at: z.string(),
  lastId: z.number().int().positive(),
  lastHash: z.string().regex(/^[0-9a-f]{64}$/),
  /** The anchored row's place in the chain (its chain_seq): how many rows the chain had up to it. */
  count: z.number().int().positive(),
  keyId: z.string(),
  sig: z.string().regex(/^[0-9a-f]{64}$/),
});
export type AuditAnchor = z.infer<typeof auditAnchor>;

export interface AnchorSettings {
  seal: AuditSeal;
  dir: string;
  intervalMinutes: number;
  webhookUrl?: string;
}

export const anchorsDirOf = (config: Config): string => join(config.dataDir, 'audit-anchors');

export const anchorSettingsOf = (config: Config): AnchorSettings => ({
  seal: auditSealOf(config),
  dir: anchorsDirOf(config),
  intervalMinutes: config.AUDIT_ANCHOR_INTERVAL_MINUTES,
  ...(config.AUDIT_ANCHOR_WEBHOOK_URL ? { webhookUrl: config.AUDIT_ANCHOR_WEBHOOK_URL } : {}),
});

/**
 * Anchors are signed with a key derived from the audit key under its own label, so an
 * anchor signature can never be replayed as a row hash (row inputs start with a hash).
 */
function anchorSignature(seal: AuditSeal, a: Omit<AuditAnchor, 'sig'>): Buffer {
  const key = createHmac(seal.mac, seal.key).update('civicgrid audit anchor v1').digest();
  return createHmac(seal.mac, key)
    .update(JSON.stringify([a.at, a.lastId, a.lastHash, a.count, a.keyId]))
    .digest();
}

export function signAnchor(seal: AuditSeal, head: Omit<AuditAnchor, 'sig' | 'keyId'>): AuditAnchor {
  const unsigned = { ...head, keyId: seal.keyId };
  return { ...unsigned, sig: anchorSignature(seal, unsigned).toString('hex') };
}

export function anchorSignatureValid(seal: AuditSeal, a: AuditAnchor): boolean {
  if (a.keyId !== seal.keyId) return false;
  return timingSafeEqual(anchorSignature(seal, a), Buffer.from(a.sig, 'hex'));
}

export interface AnchorLine {
  file: string;
  /** 1-based line number in the file. */
  line: number;
  /** Null when the line is not an anchor at all (edited, cut, garbage). */
  anchor: AuditAnchor | null;
}

const dayFile = /^\d{4}-\d{2}-\d{2}\.jsonl$/;

async function anchorFiles(dir: string): Promise<string[]> {
  try {
    return (await readdir(dir)).filter((f) => dayFile.test(f)).sort();
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw e;
  }
}

function parseLines(file: string, text: string): AnchorLine[] {
  const out: AnchorLine[] = [];
  text.split('\n').forEach((raw, i) => {
    if (raw.trim() === '') return;
    let anchor: AuditAnchor | null = null;
    try {
      const parsed = auditAnchor.safeParse(JSON.parse(raw));
      if (parsed.success) anchor = parsed.data;
    } catch {
      // not JSON: reported as a bad anchor line
    }
    out.push({ file, line: i + 1, anchor });
  });
  return out;
}

/** Every anchor line in the directory, oldest file first. */
export async function readAnchors(dir: string): Promise<AnchorLine[]> {
  const out: AnchorLine[] = [];
  for (const f of await anchorFiles(dir)) out.push(...parseLines(f, await readFile(join(dir, f), 'utf8')));
  return out;
}

async function newestAnchor(dir: string): Promise<AuditAnchor | null> {
  const last = (await anchorFiles(dir)).at(-1);
  if (!last) return null;
  return parseLines(last, await readFile(join(dir, last), 'utf8')).at(-1)?.anchor ?? null;
}

/** Anchoring is one process at a time across servers, like the deadline sweep. */
const anchorLockKey = 0x63676131;

/**
 * Links what is waiting (chain.ts), then appends an anchor of the chain's head unless another
 * server is anchoring right now, the trail is empty, or the head is the one anchored last.
 * Returns the anchor written. `lastId` names the head row by id, `count` its chain position.
 */
export async function writeAuditAnchor(
  db: Db,
  seal: AuditSeal,
  dir: string,
  now = new Date(),
): Promise<AuditAnchor | null> {
  await linkAuditChain(db, seal, { wait: true });
  return db.transaction(async (tx) => {
    const [lock] = await queryRows<{ ok: boolean }>(
      tx,
      sql`select pg_try_advisory_xact_lock(${anchorLockKey}) as ok`,
    );
    if (!lock?.ok) return null;
    // The appender numbers the chain 1, 2, 3… and only ever adds after the head, so the
    // head's chain_seq is the number of rows up to it.
    const [head] = await queryRows<{ id: number | string; hash: string; n: number | string }>(
      tx,
      sql`select id, hash, chain_seq as n from audit_log where chain_seq is not null
          order by chain_seq desc limit 1`,
    );
    if (!head) return null;
    const lastId = Number(head.id);
    const previous = await newestAnchor(dir);
    if (previous && previous.lastId === lastId && previous.lastHash === head.hash) return null;
    const anchor = signAnchor(seal, {
      at: now.toISOString(),
      lastId,
      lastHash: head.hash,
      count: Number(head.n),
    });
    await mkdir(dir, { recursive: true, mode: 0o700 });
    const fh = await open(join(dir, `${anchor.at.slice(0, 10)}.jsonl`), 'a', 0o600);
    try {
      await fh.appendFile(`${JSON.stringify(anchor)}\n`);
      await fh.datasync();
    } finally {
      await fh.close();
    }
    return anchor;
  });
}

export interface AnchorLog {
  warn(o: object, msg: string): void;
  error(o: object, msg: string): void;
}

/** Best effort: a collector that is down costs a log line (no payload, no URL), never the anchor. */
async function postAnchor(url: string, anchor: AuditAnchor, log: AnchorLog): Promise<void> {
  try {
    const res = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(anchor),
      signal: AbortSignal.timeout(5000),
    });
    await res.body?.cancel();
    if (!res.ok) log.warn({ status: res.status }, 'audit anchor webhook refused the anchor');
  } catch (e) {
    const err = e as Error & { cause?: { code?: string } };
    log.warn({ error: err.name, code: err.cause?.code }, 'audit anchor webhook unreachable');
  }
}

/** One anchoring pass: the file line, then the webhook copy. */
export async function anchorAuditChain(
  db: Db,
  settings: AnchorSettings,
  log: AnchorLog,
  now = new Date(),
): Promise<AuditAnchor | null> {
  const anchor = await writeAuditAnchor(db, settings.seal, settings.dir, now);
  if (anchor && settings.webhookUrl) await postAnchor(settings.webhookUrl, anchor, log);
  return anchor;
}

/**
 * Anchoring as a job of the runner: at start, every `intervalMinutes`, and once more when
 * the runner stops (shutdown), so a clean stop leaves the final head anchored.
 */
export function auditAnchorJob(db: Db, settings: AnchorSettings, log: AnchorLog): Job {
  return defineJob({
    name: 'audit-anchor',
    schedule: { everyMs: settings.intervalMinutes * 60_000 },
    runOnStop: true,
    run: async () => ({ anchored: (await anchorAuditChain(db, settings, log)) ? 1 : 0 }),
  });
}
