import { and, getTableColumns, gt, isNull, sql } from 'drizzle-orm';
import { type Db, queryRows } from '../db.js';
import { errorForLog } from '../logging.js';
import { auditLog } from './tables.js';
import {
  type AuditSeal,
  auditLockKey,
  auditRowContent,
  entryMac,
  genesisHash,
  registerAuditLinker,
  sealedHash,
  sealOf,
} from './trail.js';

/**
 * The appender: writers insert their audit rows unchained (no prev_hash, hash or chain_seq),
 * each in its own transaction and without any lock, so concurrent reporters do not queue
 * behind one another. One appender at a time, across servers (an advisory lock), links the
 * committed unchained rows: in id order among those it sees, each after the current head,
 * numbering them `chain_seq` 1, 2, 3… and computing prev_hash/hash exactly as before.
 *
 * The chain's order is the order in which rows became visible to the appender, not their
 * ids: a row whose transaction commits late (its id taken earlier) is linked when it
 * commits, after rows with higher ids — never skipped, never placed before a row already
 * linked. Verification and anchors walk chain_seq.
 *
 * A writer seals its row's content with an entry MAC under the audit key as it inserts, and
 * the appender links only rows whose MAC holds: someone who can write the table but does not
 * hold the key cannot have a forged or edited row sealed into the chain (such a row stays
 * unchained, and `audit:verify` reports it).
 */

export interface LinkResult {
  /** Rows linked into the chain by this pass. */
  linked: number;
  /** Unchained rows left out because their entry MAC does not hold (forged or edited). */
  refused: number[];
  /** False when another appender held the chain (nothing done here). */
  ran: boolean;
}

/**
 * One appender pass: links every committed unchained row, `batch` at a time, each batch in
 * its own short transaction under the chain's advisory lock. Returns at once (ran: false)
 * when another process is linking, unless `wait` (then it queues for the lock: the command
 * line, anchors and tests, which must see everything committed before them linked).
 */
export async function linkAuditChain(
  db: Db,
  seal?: AuditSeal,
  opts: { batch?: number; wait?: boolean } = {},
): Promise<LinkResult> {
  const key = seal ?? sealOf(db);
  const batch = opts.batch ?? 500;
  const out: LinkResult = { linked: 0, refused: [], ran: true };
  let afterId = 0;
  for (;;) {
    const pass = await db.transaction(async (tx) => {
      if (opts.wait) await tx.execute(sql`select pg_advisory_xact_lock(${auditLockKey})`);
      else {
        const [lock] = await queryRows<{ ok: boolean }>(
          tx,
          sql`select pg_try_advisory_xact_lock(${auditLockKey}) as ok`,
        );
        if (!lock?.ok) return null;
      }
      // Read as verify reads them, so both hash the same content; with the chain's head (the
      // same on every row, read once by the database), so a pass costs one read.
      const rows = await tx
        .select({
          ...getTableColumns(auditLog),
          headSeq: sql<number | string | null>`(select chain_seq from audit_log
            where chain_seq is not null order by chain_seq desc limit 1)`,
          headHash: sql<string | null>`(select hash from audit_log
            where chain_seq is not null order by chain_seq desc limit 1)`,
        })
        .from(auditLog)
        .where(and(isNull(auditLog.chainSeq), gt(auditLog.id, afterId)))
        .orderBy(auditLog.id)
        .limit(batch);
      if (rows.length === 0) return { linked: 0, refused: [] as number[], last: afterId };
      let seq = Number(rows[0]?.headSeq ?? 0);
      let prev = rows[0]?.headHash ?? genesisHash;
      const links: { id: number; seq: number; prev: string; hash: string }[] = [];
      const refused: number[] = [];
      for (const r of rows) {
        const content = auditRowContent(r);
        if (r.keyId !== key.keyId || r.entryMac !== entryMac(key, content)) {
          refused.push(Number(r.id));
          continue;
        }
        const hash = sealedHash(key, prev, content);
        seq++;
        links.push({ id: Number(r.id), seq, prev, hash });
        prev = hash;
      }
      if (links.length > 0)
        await tx.execute(sql`
          update audit_log a set chain_seq = l.seq, prev_hash = l.prev, hash = l.hash
          from jsonb_to_recordset(${JSON.stringify(links)}::jsonb) as l(id bigint, seq bigint, prev text, hash text)
          where a.id = l.id and a.chain_seq is null`);
      return { linked: links.length, refused, last: Number(rows[rows.length - 1]?.id) };
    });
    // Another appender holds the chain: it links what is committed (or a retry will).
    if (!pass) return { ...out, ran: afterId > 0 };
    out.linked += pass.linked;
    out.refused.push(...pass.refused);
    if (pass.last === afterId || pass.linked + pass.refused.length < batch) return out;
    afterId = pass.last;
  }
}

export interface LinkerLog {
  error(o: object, msg: string): void;
}

export interface AuditLinker {
  /** Links soon (a writer just appended: its transaction commits in a moment). */
  nudge(): void;
  /** Links now and waits for it: every row committed before the call is chained after it, unless another process is linking. */
  flush(): Promise<LinkResult>;
  stop(): Promise<void>;
}

/**
 * Runs the appender in this process: some tens of milliseconds after each append in this process
 * (the writer's transaction has committed by then, as appendAudit is the last statement of a
 * use case) and every `everyMs` for rows written by other processes, committed late, or left
 * by a crash between insert and link. Across servers the advisory lock keeps it to one at a time.
 */
export function startAuditLinker(
  db: Db,
  seal: AuditSeal,
  log: LinkerLog,
  opts: { everyMs?: number; delayMs?: number } = {},
): AuditLinker {
  const everyMs = opts.everyMs ?? 1000;
  // Long enough that a steady stream of writes is linked in batches (each pass is five
  // statements), short enough that a row is in the chain well within a second.
  const delayMs = opts.delayMs ?? 40;
  let stopped = false;
  let running: Promise<LinkResult> | null = null;
  let again = false;
  let busy = false;
  let soon: NodeJS.Timeout | null = null;
  const reported = new Set<number>();

  const pass = (wait = false): Promise<LinkResult> => {
    if (running) {
      again = true;
      return running;
    }
    running = (async () => {
      try {
        const r = await linkAuditChain(db, seal, { wait });
        // Another server was linking, perhaps from before our rows committed: try again soon
        // rather than leave them for the next tick.
        if (!r.ran) busy = true;
        const fresh = r.refused.filter((id) => !reported.has(id));
        for (const id of fresh) reported.add(id);
        if (fresh.length > 0)
          log.error(
            { ids: fresh.slice(0, 20), count: fresh.length },
            'audit rows with a wrong entry MAC left unchained',
          );
        return r;
      } catch (e) {
        if (!stopped) log.error({ err: errorForLog(e) }, 'audit appender failed; it retries');
        return { linked: 0, refused: [], ran: false };
      } finally {
        running = null;
        if (again && !stopped) schedule(delayMs);
        else if (busy && !stopped) schedule(50);
        again = false;
        busy = false;
      }
    })();
    return running;
  };
  const schedule = (ms: number) => {
    if (stopped || soon) return;
    soon = setTimeout(() => {
      soon = null;
      void pass();
    }, ms);
    soon.unref();
  };
  const tick = setInterval(() => void pass(), everyMs);
  tick.unref();
  const nudge = () => schedule(delayMs);
  registerAuditLinker(db, nudge);
  schedule(0);

  return {
    nudge,
    flush: async () => {
      while (running) await running;
      return pass(true);
    },
    /** A last pass (rows appended by other shutdown hooks), then no more. */
    stop: async () => {
      clearInterval(tick);
      if (soon) clearTimeout(soon);
      soon = null;
      registerAuditLinker(db, null);
      while (running) await running;
      stopped = true;
      await pass();
    },
  };
}
