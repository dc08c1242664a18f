import { sql } from 'drizzle-orm';
import type { Db } from '../db.js';
import { type AnchorLine, type AuditAnchor, anchorSignatureValid, readAnchors } from './anchors.js';
import { detachmentValid, latestDetachment } from './detach.js';
import { auditLog } from './tables.js';
import {
  type AuditSeal,
  auditRowContent,
  entryMac,
  genesisHash,
  legacyChainHash,
  sealedHash,
} from './trail.js';

/** Why a row fails. */
export type RowFailure =
  | 'row content changed' // the row's hash does not match its content under its key
  | 'chain link broken' // prev_hash is not the hash of the row before (a row deleted or inserted)
  | 'unkeyed row after keyed rows' // only rows from before the key may be unkeyed
  | 'sealed by another key' // key_id names a key this verifier does not hold
  | 'unchained row not written by a key holder' // waiting to be linked, but its entry MAC does not hold
  | 'detachment record invalid'; // the signed cut of a detached partition was edited or forged

/** Why an anchor fails. */
export type AnchorFailureReason =
  | `truncated: anchored row ${number} missing`
  | 'anchored head differs' // the anchored row is there with another hash: recomputed
  | 'row count differs from anchor' // rows at or below the anchored id were added or removed
  | 'anchor signature invalid'; // the line was edited, forged, or is not an anchor

export interface AnchorFailure {
  file: string;
  line: number;
  /** The row the anchor names; null when the line could not be read at all. */
  lastId: number | null;
  reason: AnchorFailureReason;
  detail?: string;
}

export interface VerifyResult {
  ok: boolean;
  /** Chained rows verified before the first bad one (all of them when the chain is intact). */
  checked: number;
  /** Rows written but not linked yet (the appender links them within moments); their entry MACs hold. */
  pending: number;
  /** Unkeyed rows from before the chain was keyed, accepted as the chain's prefix. */
  legacy: number;
  /** The first row whose link, key or content is wrong. */
  badRow?: { id: number; reason: RowFailure };
  /** Summary for one line: the first bad row, else the row of the first failed anchor. */
  firstBadId?: number;
  /** Why: the first row failure, else the first anchor failure. */
  reason?: string;
  anchors: { checked: number; failures: AnchorFailure[] };
  /** Where the walk started when older months were detached: the recorded cut. */
  detached?: { partition: string; throughSeq: number };
}

export interface VerifyOptions {
  seal: AuditSeal;
  /** Where the anchor files are (DATA_DIR/audit-anchors); absent = rows only. */
  anchorsDir?: string;
  batch?: number;
}

type Row = typeof auditLog.$inferSelect;

function rowFailure(r: Row, prev: string, keyedSeen: boolean, seal: AuditSeal): RowFailure | null {
  if (r.keyId === null && keyedSeen) return 'unkeyed row after keyed rows';
  if (r.prevHash !== prev || r.hash === null) return 'chain link broken';
  const content = auditRowContent(r);
  if (r.keyId === null) return legacyChainHash(prev, content) === r.hash ? null : 'row content changed';
  if (r.keyId !== seal.keyId) return 'sealed by another key';
  return sealedHash(seal, prev, content) === r.hash ? null : 'row content changed';
}

type Placed = AnchorLine & { anchor: AuditAnchor };

function anchorFailure(a: Placed, reason: AnchorFailureReason, detail?: string): AnchorFailure {
  return { file: a.file, line: a.line, lastId: a.anchor.lastId, reason, ...(detail ? { detail } : {}) };
}

/**
 * Walks the chain in chain_seq order (the order the appender linked rows, which across
 * concurrent writers is not id order) checking each link and seal, and meanwhile every
 * anchor: the anchored row must be there with the anchored hash at the anchored position.
 * The walk goes on past a bad row (from its stored hash) so that every anchor is judged.
 * Rows not linked yet are counted as pending; each must carry a writer's entry MAC, or
 * someone without the key wrote it. Needs the audit key: without it nothing can be
 * verified, by design.
 */
export async function verifyAuditChain(db: Db, opts: VerifyOptions): Promise<VerifyResult> {
  const { seal, batch = 5000 } = opts;
  const failures: AnchorFailure[] = [];
  const byRow = new Map<number, Placed[]>();
  const lines = opts.anchorsDir ? await readAnchors(opts.anchorsDir) : [];
  for (const a of lines) {
    if (a.anchor && anchorSignatureValid(seal, a.anchor)) {
      const list = byRow.get(a.anchor.lastId) ?? [];
      list.push(a as Placed);
      byRow.set(a.anchor.lastId, list);
    } else
      failures.push({
        file: a.file,
        line: a.line,
        lastId: a.anchor?.lastId ?? null,
        reason: 'anchor signature invalid',
        ...(a.anchor && a.anchor.keyId !== seal.keyId ? { detail: `signed by key ${a.anchor.keyId}` } : {}),
      });
  }

  let prev = genesisHash;
  let lastSeq = 0;
  let seen = 0;
  let checked = 0;
  let legacy = 0;
  let keyedSeen = false;
  let bad: { id: number; reason: RowFailure } | undefined;
  // Older months detached (detach.ts): the walk starts at the signed cut, steps over the
  // links of detached rows beyond it, and anchors of positions before it are history.
  const cut = await latestDetachment(db);
  const skipped = new Map<number, { id: number; prev: string; hash: string }>();
  if (cut && !detachmentValid(seal, cut)) bad = { id: 0, reason: 'detachment record invalid' };
  else if (cut) {
    prev = cut.prefixHash;
    lastSeq = cut.prefixSeq;
    seen = cut.prefixSeq;
    keyedSeen = cut.prefixKeyed;
    for (const s of cut.stragglers) skipped.set(s.seq, s);
    for (const [id, list] of byRow) if (list.every((a) => a.anchor.count <= cut.prefixSeq)) byRow.delete(id);
  }
  const judgeAnchors = (id: number, hash: string | null) => {
    for (const a of byRow.get(id) ?? []) {
      if (a.anchor.lastHash !== hash) failures.push(anchorFailure(a, 'anchored head differs'));
      else if (a.anchor.count !== seen)
        failures.push(
          anchorFailure(a, 'row count differs from anchor', `anchored ${a.anchor.count}, found ${seen}`),
        );
    }
    byRow.delete(id);
  };
  const stepOverDetached = (upTo: number) => {
    for (let s = skipped.get(lastSeq + 1); s && lastSeq + 1 < upTo; s = skipped.get(lastSeq + 1)) {
      seen++;
      if (s.prev !== prev && !bad) bad = { id: s.id, reason: 'chain link broken' };
      if (!bad) checked++;
      judgeAnchors(s.id, s.hash);
      prev = s.hash;
      lastSeq++;
    }
  };
  for (;;) {
    const rows = await db
      .select()
      .from(auditLog)
      .where(sql`${auditLog.chainSeq} > ${lastSeq}`)
      .orderBy(auditLog.chainSeq)
      .limit(batch);
    if (rows.length === 0) break;
    for (const r of rows) {
      stepOverDetached(Number(r.chainSeq));
      seen++;
      const failure = rowFailure(r, prev, keyedSeen, seal);
      if (failure && !bad) bad = { id: r.id, reason: failure };
      if (!bad) checked++;
      if (r.keyId !== null) keyedSeen = true;
      else if (!keyedSeen) legacy++;
      judgeAnchors(r.id, r.hash);
      prev = r.hash ?? prev;
      lastSeq = Number(r.chainSeq);
    }
  }
  // Anchored rows the walk never met: cut off (or unlinked by hand).
  for (const a of [...byRow.values()].flat().sort((x, y) => x.anchor.lastId - y.anchor.lastId))
    failures.push(
      anchorFailure(a, `truncated: anchored row ${a.anchor.lastId} missing` as AnchorFailureReason),
    );

  // Rows waiting for the appender: real entries, each sealed by the writer that made it.
  let pending = 0;
  let afterId = 0;
  for (;;) {
    const rows = await db
      .select()
      .from(auditLog)
      .where(sql`${auditLog.chainSeq} is null and ${auditLog.id} > ${afterId}`)
      .orderBy(auditLog.id)
      .limit(batch);
    if (rows.length === 0) break;
    for (const r of rows) {
      pending++;
      if (!bad && (r.keyId !== seal.keyId || r.entryMac !== entryMac(seal, auditRowContent(r))))
        bad = { id: r.id, reason: 'unchained row not written by a key holder' };
      afterId = r.id;
    }
  }

  const firstBadId = bad?.id ?? failures[0]?.lastId ?? undefined;
  const reason = bad?.reason ?? failures[0]?.reason;
  return {
    ok: !bad && failures.length === 0,
    checked,
    pending,
    legacy,
    ...(bad ? { badRow: bad } : {}),
    ...(firstBadId !== undefined ? { firstBadId } : {}),
    ...(reason ? { reason } : {}),
    anchors: { checked: lines.length, failures },
    ...(cut ? { detached: { partition: cut.partition, throughSeq: cut.prefixSeq } } : {}),
  };
}
