import { type SQL, sql } from 'drizzle-orm';
import type { AnyPgColumn } from 'drizzle-orm/pg-core';
import type { Actor } from './auth/actor.js';
import { AppError } from './errors.js';

/**
 * Jurisdiction, in one place (DESIGN.md §3). Every scoped row carries the materialised
 * path of its org unit; a user sees the rows whose path starts with theirs. Services
 * call these helpers — no route filters by hand.
 *
 * Paths hold only digits and slashes (checked), so the prefix is inlined as a literal:
 * the planner then uses the text_pattern_ops index for the LIKE.
 */
const pathShape = /^\/(\d+\/)*$/;

export function scopePrefix(actor: Actor): string | null {
  if (actor.global) return '/';
  return actor.orgPath;
}

/** A WHERE condition limiting `column` (an org path) to the actor's jurisdiction. */
export function inScope(actor: Actor, column: AnyPgColumn | SQL): SQL {
  const prefix = scopePrefix(actor);
  if (prefix === null) return sql`false`;
  if (prefix === '/') return sql`true`;
  if (!pathShape.test(prefix)) throw new Error('corrupt org path');
  return sql`${column} like ${sql.raw(`'${prefix}%'`)}`;
}

export function pathInScope(actor: Actor, path: string | null): boolean {
  const prefix = scopePrefix(actor);
  if (prefix === null || path === null) return prefix === '/';
  return path.startsWith(prefix);
}

/** Rows outside the jurisdiction do not exist for the actor: 404, not 403. */
export function assertInScope(actor: Actor, path: string | null): void {
  if (!pathInScope(actor, path)) throw new AppError('NOT_FOUND');
}
