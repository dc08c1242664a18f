import {
  accuracyOn,
  holdOutSplit,
  type LabelledTokens,
  minTrainingCases,
  type RoutingModel,
  trainNaiveBayes,
} from '@civicgrid/core/routing/classifier';
import { and, count, desc, eq, isNull, notInArray, sql } from 'drizzle-orm';
import type { Db } from '../../platform/db.js';
import { defineJob, type JobCounts } from '../../platform/jobs/runner.js';
import { cases } from '../cases/tables.js';
import { caseRoutingSuggestions, routingModels } from './tables.js';
import { tokenize } from './tokenizer.js';

/** The hold-out split is fixed, so the figures of two trainings on the same cases agree. */
export const holdoutSeed = 20_261_202;
export const trainShare = 0.8;

/** Closed cases only: their category is the one the handlers settled on, not the first guess. */
const closedWhere = and(eq(cases.status, 'closed'), isNull(cases.mergedInto));

export async function closedCaseCount(db: Db): Promise<number> {
  const [row] = await db.select({ n: count() }).from(cases).where(closedWhere);
  return Number(row?.n ?? 0);
}

/**
 * How many of the newest closed cases a model learns from. A district closes tens of thousands
 * a year and a city millions; segmenting them all (≈ 0.7 ms each) would hold the server's one
 * thread for minutes and its memory for the whole text. The newest cases also speak of today's
 * categories.
 */
export const trainingCaseLimit = 50_000;

/** Segmenting yields to the event loop this often, so requests are answered while a model trains. */
const tokenizeChunk = 500;

/**
 * The newest closed cases (at most trainingCaseLimit) as labelled token lists, in a stable order
 * (by closing time, then id) so the split is reproducible.
 */
export async function closedCaseDocuments(db: Db): Promise<LabelledTokens[]> {
  const rows = await db
    .select({ id: cases.id, description: cases.description, label: cases.categoryCode })
    .from(cases)
    .where(closedWhere)
    .orderBy(desc(cases.closedAt), desc(cases.id))
    .limit(trainingCaseLimit);
  rows.reverse();
  const docs: LabelledTokens[] = [];
  for (let i = 0; i < rows.length; i++) {
    if (i > 0 && i % tokenizeChunk === 0) await new Promise((r) => setImmediate(r));
    const r = rows[i] as (typeof rows)[number];
    docs.push({ tokens: tokenize(r.description), label: r.label });
  }
  return docs;
}

export interface TrainingFigures {
  trainedOn: number;
  categories: number;
  holdout: { n: number; top1: number; top3: number };
}

/**
 * Measures on a seeded 80/20 split (a model of the 80 % scored on the 20 % it never saw), then
 * trains the model that is used on every closed case.
 */
export function trainWithHoldout(docs: LabelledTokens[]): { model: RoutingModel; figures: TrainingFigures } {
  const { train, test } = holdOutSplit(docs, trainShare, holdoutSeed);
  const holdout = accuracyOn(trainNaiveBayes(train), test);
  const model = trainNaiveBayes(docs);
  return { model, figures: { trainedOn: docs.length, categories: model.labels.length, holdout } };
}

/**
 * The newest model's id, read at most every few seconds: every new case asks it (on every
 * server, off the request's path), and a model is trained nightly. Training here forgets it at
 * once; another server sees a new model within `headTtlMs`.
 */
const heads = new WeakMap<Db, { id: number | null; at: number }>();
const headTtlMs = 10_000;

export async function latestModelId(db: Db): Promise<number | null> {
  const known = heads.get(db);
  if (known && Date.now() - known.at < headTtlMs) return known.id;
  const at = Date.now();
  const [head] = await db
    .select({ id: routingModels.id })
    .from(routingModels)
    .orderBy(desc(routingModels.id))
    .limit(1);
  heads.set(db, { id: head?.id ?? null, at });
  return head?.id ?? null;
}

/**
 * Trains a new model from the closed cases and stores it; too few closed cases (a fresh
 * installation) and nothing is stored, so nothing is suggested. Old models no suggestion
 * points to are dropped (the three newest are kept).
 */
export async function trainRoutingModel(db: Db): Promise<{ trained: boolean; figures?: TrainingFigures }> {
  const docs = await closedCaseDocuments(db);
  if (docs.length < minTrainingCases) return { trained: false };
  const { model, figures } = trainWithHoldout(docs);
  heads.delete(db);
  await db.transaction(async (tx) => {
    await tx.insert(routingModels).values({
      trainedOn: figures.trainedOn,
      categories: figures.categories,
      holdoutN: figures.holdout.n,
      holdoutTop1: figures.holdout.top1,
      holdoutTop3: figures.holdout.top3,
      model,
    });
    const keep = await tx
      .select({ id: routingModels.id })
      .from(routingModels)
      .orderBy(desc(routingModels.id))
      .limit(3);
    await tx.delete(routingModels).where(
      and(
        notInArray(
          routingModels.id,
          keep.map((k) => k.id),
        ),
        sql`not exists (select 1 from ${caseRoutingSuggestions} where ${caseRoutingSuggestions.modelId} = ${routingModels.id})`,
      ),
    );
  });
  heads.delete(db);
  return { trained: true, figures };
}

/**
 * 智能派单 model training: nightly, and at start (the runner's first turn) — each time only if
 * there is something new to learn: no model yet, or cases closed since the newest was trained.
 * An admin's "run now" follows the same rule (retraining on the same cases gives the same model).
 */
export function routingTrainingJob(db: Db) {
  return defineJob({
    name: 'routing-train',
    schedule: { dailyAt: '02:30' },
    // After start-up work; training reads every closed case.
    startDelayMs: 30_000,
    async run(): Promise<JobCounts> {
      const [latest] = await db
        .select({ trainedAt: routingModels.trainedAt })
        .from(routingModels)
        .orderBy(desc(routingModels.id))
        .limit(1);
      if (latest) {
        const [last] = await db
          .select({ at: sql<Date | null>`max(${cases.closedAt})`.mapWith((v) => (v ? new Date(v) : null)) })
          .from(cases)
          .where(closedWhere);
        if (!last?.at || last.at <= latest.trainedAt) return { trained: 0, upToDate: 1 };
      }
      const r = await trainRoutingModel(db);
      return r.trained
        ? { trained: 1, cases: r.figures?.trainedOn ?? 0, categories: r.figures?.categories ?? 0 }
        : { trained: 0, tooFewCases: 1 };
    },
  });
}
