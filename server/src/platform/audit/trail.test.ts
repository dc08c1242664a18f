import { auditActionNames } from '@civicgrid/core/audit/actions';
import { auditPayloads } from '@civicgrid/core/audit/payloads';
import { count, desc } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestContext } from '../../test/harness.js';
import { AppError } from '../errors.js';
import { auditLog } from './tables.js';
import { appendAudit, auditAction, auditEntry } from './trail.js';

let t: TestContext;
const system = { userId: null, username: 'system', ip: null, userAgent: null };
const rowCount = async () => Number((await t.deps.db.select({ n: count() }).from(auditLog))[0]?.n);
const lastRow = async () => (await t.deps.db.select().from(auditLog).orderBy(desc(auditLog.id)).limit(1))[0];

beforeAll(async () => {
  t = await createTestApp();
}, 120_000);
afterAll(() => t.close());

describe('typed audit payloads', () => {
  it('has a payload schema and a name for every action', () => {
    expect(auditAction.options.length).toBeGreaterThan(0);
    for (const a of auditAction.options) {
      expect(auditPayloads[a]).toBeDefined();
      expect(auditActionNames[a]?.zh).toBeTruthy();
    }
  });

  it('writes a payload that fits its action, and {} for an action that records nothing', async () => {
    await t.deps.db.transaction(async (tx) => {
      await appendAudit(tx, system, {
        action: 'case.deadlineSwept',
        payload: { warned: 1, overdue: 2, escalated: 0 },
      });
    });
    expect((await lastRow())?.payload).toEqual({ warned: 1, overdue: 2, escalated: 0 });
    await t.deps.db.transaction((tx) => appendAudit(tx, system, { action: 'auth.logout' }));
    expect((await lastRow())?.payload).toEqual({});
  });

  it('refuses, when written, a payload that does not fit: a programming error (500), nothing written', async () => {
    const before = await rowCount();
    const attempts = [
      // A field a payload does not have: a name would otherwise slip into the trail.
      () => {
        const payload = { rows: 3, filters: ['status'], name: '张三' };
        return appendAudit(t.deps.db, system, { action: 'case.exported', payload });
      },
      // Free text where a field name belongs.
      () =>
        appendAudit(t.deps.db, system, { action: 'case.exported', payload: { rows: 3, filters: ['张三'] } }),
      // A required field missing (the generic helper cannot tell at compile time).
      () => appendAudit(t.deps.db, system, auditEntry('calendar.updated', {})),
    ];
    for (const attempt of attempts) {
      const error = await attempt().then(
        () => null,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(Error);
      // Not an AppError: the error handler answers 500 INTERNAL, not a refusal of the request.
      expect(error).not.toBeInstanceOf(AppError);
      expect((error as Error).message).toMatch(/^audit: the payload of (case\.exported|calendar\.updated)/);
      expect((error as Error).message).not.toContain('张三');
    }
    expect(await rowCount()).toBe(before);
  });

  it('refuses a wrong payload at compile time', () => {
    // Type-level cases: `tsc -b` fails if any of these compiles; they are never called.
    const never = (): void => {
      // @ts-expect-error case.action records action, from and to
      void appendAudit(t.deps.db, system, { action: 'case.action', payload: { count: 1 } });
      // @ts-expect-error calendar.updated must say how many days
      void appendAudit(t.deps.db, system, { action: 'calendar.updated' });
      void appendAudit(t.deps.db, system, {
        action: 'resident.moved',
        // @ts-expect-error a person's name is no field of resident.moved
        payload: { from: 1, to: 2, name: '张三' },
      });
    };
    expect(typeof never).toBe('function');
  });
});
