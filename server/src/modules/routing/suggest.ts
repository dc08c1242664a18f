import type { RoutingModelStatus, RoutingSuggestion } from '@civicgrid/core/api/routing';
import {
  minTrainingCases,
  type Ranked,
  type RoutingModel,
  rankLabels,
} from '@civicgrid/core/routing/classifier';
import { and, count, desc, eq, sql } from 'drizzle-orm';
import type { Actor } from '../../platform/auth/actor.js';
import type { EventBus } from '../../platform/bus.js';
import type { Db } from '../../platform/db.js';
import { errorForLog } from '../../platform/logging.js';
import { type NameBook, nameBook } from '../cases/names.js';
import { cases } from '../cases/tables.js';
import { loadVisibleCase } from './policy.js';
import { caseRoutingSuggestions, routingModels } from './tables.js';
import { tokenize } from './tokenizer.js';
import { closedCaseCount, latestModelId } from './training.js';

type Loaded = { id: number; trainedAt: Date; model: RoutingModel };
/** The newest model of each database, parsed once per id (a model is a few hundred KB of JSON). */
const models = new WeakMap<Db, Loaded>();

async function latestModel(db: Db): Promise<Loaded | null> {
  const headId = await latestModelId(db);
  if (headId === null) return null;
  const cached = models.get(db);
  if (cached?.id === headId) return cached;
  const [row] = await db.select().from(routingModels).where(eq(routingModels.id, headId));
  if (!row) return null;
  const loaded = { id: row.id, trainedAt: row.trainedAt, model: row.model };
  models.set(db, loaded);
  return loaded;
}

/** Only leaf categories still in use are suggested: a retired one cannot be dispatched. */
function usable(book: NameBook, ranked: Ranked[]): Ranked[] {
  return ranked.filter((r) => {
    const c = book.categories.get(r.label);
    return c && !c.retiredAt;
  });
}

function departmentOf(book: NameBook, categoryCode: string | undefined): number | null {
  return (categoryCode && book.categories.get(categoryCode)?.handlerDepartmentId) || null;
}

/**
 * Ranks a case's description and stores the suggestion, once, as the case arrives (the first
 * writer wins: every server process hears the arrival). No model yet: nothing is stored.
 */
export async function suggestOnArrival(db: Db, caseId: string): Promise<boolean> {
  const head = await latestModel(db);
  if (!head) return false;
  // The case and whether it has its suggestion already, in one read.
  const [row] = await db
    .select({
      description: cases.description,
      status: cases.status,
      suggested: caseRoutingSuggestions.caseId,
    })
    .from(cases)
    .leftJoin(caseRoutingSuggestions, eq(caseRoutingSuggestions.caseId, cases.id))
    .where(eq(cases.id, caseId));
  if (!row || row.suggested !== null || row.status !== 'reported') return false;
  const book = await nameBook(db);
  const ranked = usable(book, rankLabels(head.model, tokenize(row.description), 6)).slice(0, 3);
  if (ranked.length === 0) return false;
  const inserted = await db
    .insert(caseRoutingSuggestions)
    .values({
      caseId,
      modelId: head.id,
      candidates: ranked.map((r) => [r.label, Number(r.confidence.toFixed(4))] as [string, number]),
      departmentId: departmentOf(book, ranked[0]?.label),
    })
    .onConflictDoNothing()
    .returning({ caseId: caseRoutingSuggestions.caseId });
  return inserted.length > 0;
}

export interface ArrivalListener {
  /** Resolves when every suggestion started so far is written (tests, shutdown). */
  settled(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * Every channel's new case (console, /m, /r, Open311, 12345) goes through the cases module,
 * which announces it on the bus after its commit: the suggestion is made then, off the
 * request's path, so a report never waits for the segmenter or fails because of it.
 */
export function suggestOnEveryArrival(db: Db, bus: EventBus, log: { warn(o: object, m: string): void }) {
  const pending = new Set<Promise<unknown>>();
  let stopped = false;
  const unsubscribe = bus.subscribe((e) => {
    if (stopped || e.type !== 'case' || e.status !== 'reported') return;
    const p = suggestOnArrival(db, e.id)
      .catch((err) => log.warn({ err: errorForLog(err), caseId: e.id }, 'routing suggestion failed'))
      .finally(() => pending.delete(p));
    pending.add(p);
  });
  const listener: ArrivalListener = {
    async settled() {
      while (pending.size) await Promise.allSettled([...pending]);
    },
    async stop() {
      stopped = true;
      unsubscribe();
      await listener.settled();
    },
  };
  return listener;
}

function present(
  book: NameBook,
  ranked: [string, number][],
  departmentId: number | null,
): Pick<RoutingSuggestion, 'candidates' | 'department'> {
  const deptName = departmentId ? book.departments.get(departmentId) : undefined;
  return {
    candidates: ranked.map(([code, confidence]) => ({
      categoryCode: code,
      categoryName: book.categories.get(code)?.name ?? code,
      confidence,
    })),
    department: departmentId && deptName ? { id: departmentId, name: deptName } : null,
  };
}

/**
 * The suggestion for a case the actor may see: the one stored as it arrived, or — for a case
 * that arrived before any model — ranked now (and not stored: it would not be a first guess).
 */
export async function suggestionFor(db: Db, actor: Actor, caseId: string): Promise<RoutingSuggestion> {
  const row = await loadVisibleCase(db, actor, caseId);
  const book = await nameBook(db);
  const closedCases = await closedCaseCount(db);
  const [stored] = await db
    .select()
    .from(caseRoutingSuggestions)
    .where(eq(caseRoutingSuggestions.caseId, caseId));
  const head = await latestModel(db);
  const base = {
    closedCases,
    needed: minTrainingCases,
    modelTrainedAt: head?.trainedAt.toISOString() ?? null,
  };
  if (stored)
    return {
      status: 'suggested',
      ...base,
      ...present(book, stored.candidates, stored.departmentId),
      stored: true,
      suggestedAt: stored.createdAt.toISOString(),
    };
  if (!head)
    return {
      status: 'insufficientData',
      ...base,
      candidates: [],
      department: null,
      stored: false,
      suggestedAt: null,
    };
  const ranked = usable(book, rankLabels(head.model, tokenize(row.description), 6)).slice(0, 3);
  return {
    status: 'suggested',
    ...base,
    ...present(
      book,
      ranked.map((r) => [r.label, Number(r.confidence.toFixed(4))]),
      departmentOf(book, ranked[0]?.label),
    ),
    stored: false,
    suggestedAt: null,
  };
}

/** The model's figures for the admin: hold-out accuracy at training, and live accuracy since. */
export async function routingStatus(db: Db): Promise<RoutingModelStatus> {
  const closedCases = await closedCaseCount(db);
  const [m] = await db
    .select({
      trainedAt: routingModels.trainedAt,
      trainedOn: routingModels.trainedOn,
      categories: routingModels.categories,
      n: routingModels.holdoutN,
      top1: routingModels.holdoutTop1,
      top3: routingModels.holdoutTop3,
    })
    .from(routingModels)
    .orderBy(desc(routingModels.id))
    .limit(1);
  // Live: closed cases that got a suggestion on arrival, against the category they closed under.
  const [live] = await db
    .select({
      n: count(),
      top1: sql<number>`count(*) filter (where ${caseRoutingSuggestions.candidates}->0->>0 = ${cases.categoryCode})`.mapWith(
        Number,
      ),
      top3: sql<number>`count(*) filter (where exists (select 1 from jsonb_array_elements(${caseRoutingSuggestions.candidates}) c where c->>0 = ${cases.categoryCode}))`.mapWith(
        Number,
      ),
    })
    .from(caseRoutingSuggestions)
    .innerJoin(cases, and(eq(cases.id, caseRoutingSuggestions.caseId), eq(cases.status, 'closed')));
  const n = Number(live?.n ?? 0);
  return {
    status: m ? 'trained' : 'insufficientData',
    closedCases,
    needed: minTrainingCases,
    trainedAt: m?.trainedAt.toISOString() ?? null,
    trainedOn: m?.trainedOn ?? 0,
    categories: m?.categories ?? 0,
    holdout: m ? { n: m.n, top1: m.top1, top3: m.top3 } : null,
    live: { n, top1: n ? (live?.top1 ?? 0) / n : 0, top3: n ? (live?.top3 ?? 0) / n : 0 },
  };
}
