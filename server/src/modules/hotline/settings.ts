import { randomBytes } from 'node:crypto';
import type { HotlineSettings } from '@civicgrid/core/api/integrations';
import { eq } from 'drizzle-orm';
import { appendAudit } from '../../platform/audit/trail.js';
import type { Actor, RequestMeta } from '../../platform/auth/actor.js';
import { auditActorOf } from '../../platform/auth/service.js';
import type { FieldCrypto } from '../../platform/crypto.js';
import type { Db } from '../../platform/db.js';
import type { Delivery } from './callbacks.js';
import { hotlineSettings } from './tables.js';

/** What the environment gives (HOTLINE_SECRET, HOTLINE_CALLBACK_URL, PUBLIC_URL): the defaults. */
export interface HotlineDefaults {
  secret?: string | undefined;
  callbackUrl?: string | undefined;
  publicUrl?: string | undefined;
}

const ordersPath = '/api/integrations/hotline/orders';

async function row(db: Db) {
  const [r] = await db.select().from(hotlineSettings).where(eq(hotlineSettings.id, 1));
  return r;
}

/** The secret the bridge signs and verifies with now: the console's, else the environment's. */
export async function currentSecret(
  db: Db,
  crypto: FieldCrypto,
  d: HotlineDefaults,
): Promise<string | undefined> {
  const r = await row(db);
  return r?.secretEnc ? crypto.decrypt(r.secretEnc) : d.secret;
}

/** Where and how status callbacks go now; null while either address or secret is missing. */
export async function currentDelivery(
  db: Db,
  crypto: FieldCrypto,
  d: HotlineDefaults,
): Promise<Delivery | null> {
  const r = await row(db);
  const secret = r?.secretEnc ? crypto.decrypt(r.secretEnc) : d.secret;
  const url = r?.callbackUrl ?? d.callbackUrl;
  return url && secret ? { url, secret } : null;
}

export async function settingsView(db: Db, d: HotlineDefaults): Promise<HotlineSettings> {
  const r = await row(db);
  const base = (d.publicUrl ?? '').replace(/\/+$/, '');
  return {
    secretSource: r?.secretEnc ? 'console' : d.secret ? 'environment' : 'none',
    secretHint: r?.secretEnc ? r.secretHint : d.secret ? d.secret.slice(-4) : null,
    secretSetAt: r?.secretEnc ? (r.secretSetAt?.toISOString() ?? null) : null,
    callbackUrl: r?.callbackUrl ?? d.callbackUrl ?? null,
    callbackUrlSource: r?.callbackUrl ? 'console' : d.callbackUrl ? 'environment' : 'none',
    ordersUrl: `${base}${ordersPath}`,
    updatedAt: r?.updatedAt.toISOString() ?? null,
  };
}

/** Saves the callback address (null: back to the environment's); audited in the same transaction. */
export async function saveSettings(
  db: Db,
  actor: Actor,
  input: { callbackUrl: string | null },
  d: HotlineDefaults,
  meta: RequestMeta,
): Promise<HotlineSettings> {
  await db.transaction(async (tx) => {
    const values = { callbackUrl: input.callbackUrl, updatedBy: actor.userId, updatedAt: new Date() };
    await tx
      .insert(hotlineSettings)
      .values({ id: 1, ...values })
      .onConflictDoUpdate({ target: hotlineSettings.id, set: values });
    await appendAudit(tx, auditActorOf(actor, meta), {
      action: 'hotline.settingsSaved',
      targetType: 'hotlineSettings',
      targetId: '1',
      payload: { callbackUrlSet: input.callbackUrl !== null },
    });
  });
  return settingsView(db, d);
}

/**
 * Sets the shared secret — the one given, or 32 random bytes — stored encrypted, and returns it
 * this once; the 12345 centre must be given the new one (the old one stops working at once).
 */
export async function rotateSecret(
  db: Db,
  crypto: FieldCrypto,
  actor: Actor,
  given: string | undefined,
  meta: RequestMeta,
): Promise<{ secret: string; hint: string }> {
  const secret = given ?? randomBytes(32).toString('base64url');
  const hint = secret.slice(-4);
  await db.transaction(async (tx) => {
    const now = new Date();
    const values = {
      secretEnc: crypto.encrypt(secret),
      secretHint: hint,
      secretSetAt: now,
      updatedBy: actor.userId,
      updatedAt: now,
    };
    await tx
      .insert(hotlineSettings)
      .values({ id: 1, ...values })
      .onConflictDoUpdate({ target: hotlineSettings.id, set: values });
    await appendAudit(tx, auditActorOf(actor, meta), {
      action: 'hotline.secretRotated',
      targetType: 'hotlineSettings',
      targetId: '1',
      payload: { generated: given === undefined },
    });
  });
  return { secret, hint };
}
