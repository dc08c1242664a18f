import { sql } from 'drizzle-orm';
import type { Db } from '../db.js';
import { type AnchorLine, type AuditAnchor, anchorSignatureValid, readAnchors } from './anchors.js';
import { auditLog } from './tables.js';
import { type AuditSeal, auditRowContent, genesisHash, legacyChainHash, sealedHash } from './trail.js';

/** Why a row fails. */
export type RowFailure =
  | 'row content changed' // the row's hash does not match its content under its key
  | 'chain link broken' // prev_hash is not the hash of the row before (a row deleted or inserted)
  | 'unkeyed row after keyed rows' // only rows from before the key may be unkeyed
  | 'sealed by another key'; // key_id names a key this verifier does not hold

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
  /** Rows verified before the first bad one (all rows when the chain is intact). */
  checked: number;
  /** Unkeyed rows from before the chain was keyed, accepted as the chain's prefix. */
  legacy: number;
  /** The first row whose link, key or content is wrong. */
  badRow?: { id: number; reason: RowFailure };
  /** Summary for one line: the first bad row, else the row of the first failed anchor. */
  firstBadId?: number;
  /** Why: the first row failure, else the first anchor failure. */
  reason?: string;
  anchors: { checked: number; failures: AnchorFailure[] };
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
  if (r.prevHash !== prev) return 'chain link broken';
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
 * Walks the chain in id order checking each link and seal, and meanwhile every anchor: the
 * anchored row must be there with the anchored hash and the anchored number of rows up to
 * it. The walk goes on past a bad row (from its stored hash) so that every anchor is judged.
 * Needs the audit key: without it nothing can be verified, by design.
 */
export async function verifyAuditChain(db: Db, opts: VerifyOptions): Promise<VerifyResult> {
  const { seal, batch = 5000 } = opts;
  const failures: AnchorFailure[] = [];
  const placed: Placed[] = [];
  const lines = opts.anchorsDir ? await readAnchors(opts.anchorsDir) : [];
  for (const a of lines) {
    if (a.anchor && anchorSignatureValid(seal, a.anchor)) placed.push(a as Placed);
    else
      failures.push({
        file: a.file,
        line: a.line,
        lastId: a.anchor?.lastId ?? null,
        reason: 'anchor signature invalid',
        ...(a.anchor && a.anchor.keyId !== seal.keyId ? { detail: `signed by key ${a.anchor.keyId}` } : {}),
      });
  }
  placed.sort((x, y) => x.anchor.lastId - y.anchor.lastId);
  const missing = (a: Placed) =>
    anchorFailure(a, `truncated: anchored row ${a.anchor.lastId} missing` as AnchorFailureReason);

  let prev = genesisHash;
  let lastId = 0;
  let seen = 0;
  let checked = 0;
  let legacy = 0;
  let keyedSeen = false;
  let bad: { id: number; reason: RowFailure } | undefined;
  let next = 0;
  for (;;) {
    const rows = await db
      .select()
      .from(auditLog)
      .where(sql`${auditLog.id} > ${lastId}`)
      .orderBy(auditLog.id)
      .limit(batch);
    if (rows.length === 0) break;
    for (const r of rows) {
      seen++;
      for (; next < placed.length && (placed[next] as Placed).anchor.lastId < r.id; next++)
        failures.push(missing(placed[next] as Placed));
      const failure = rowFailure(r, prev, keyedSeen, seal);
      if (failure && !bad) bad = { id: r.id, reason: failure };
      if (!bad) checked++;
      if (r.keyId !== null) keyedSeen = true;
      else if (!keyedSeen) legacy++;
      for (; next < placed.length && (placed[next] as Placed).anchor.lastId === r.id; next++) {
        const a = placed[next] as Placed;
        if (a.anchor.lastHash !== r.hash) failures.push(anchorFailure(a, 'anchored head differs'));
        else if (a.anchor.count !== seen)
          failures.push(
            anchorFailure(a, 'row count differs from anchor', `anchored ${a.anchor.count}, found ${seen}`),
          );
      }
      prev = r.hash;
      lastId = r.id;
    }
  }
  for (; next < placed.length; next++) failures.push(missing(placed[next] as Placed));

  const firstBadId = bad?.id ?? failures[0]?.lastId ?? undefined;
  const reason = bad?.reason ?? failures[0]?.reason;
  return {
    ok: !bad && failures.length === 0,
    checked,
    legacy,
    ...(bad ? { badRow: bad } : {}),
    ...(firstBadId !== undefined ? { firstBadId } : {}),
    ...(reason ? { reason } : {}),
    anchors: { checked: lines.length, failures },
  };
}
