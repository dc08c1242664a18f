import { count, sql } from 'drizzle-orm';
import { roles, userRoles, users } from '../modules/accounts/tables.js';
import { ensureCareDefaults } from '../modules/care/service.js';
import { ensureCaseDefaults } from '../modules/cases/defaults.js';
import { ensureHotlineDefaults } from '../modules/hotline/mappings.js';
import { orgUnits } from '../modules/org/tables.js';
import { ensureResidentTagDefaults } from '../modules/residents/tags.js';
import { hashPassword } from '../platform/auth/password.js';
import type { FieldCrypto } from '../platform/crypto.js';
import type { Db } from '../platform/db.js';
import { ensureBuiltIns } from './builtIns.js';
import { seedDemoCases } from './cases.js';
import { seedDemoDisputes } from './disputes.js';
import { seedDemoFieldwork } from './fieldwork.js';
import { seedDemoGovernance } from './governance.js';
import { type DemoAccount, seedDemo } from './kundulun.js';
import { seedDemoPlaces } from './places.js';
import { seedDemoProxyPoints } from './proxyPoints.js';
import { seedDemoResidents } from './residents.js';
import { seedDemoServices } from './services.js';

/**
 * Run at every start. The built-in roles are refreshed; an empty database gets the demo
 * district — or, with SEED_DEMO=false, only the three separated administrators, bound to
 * no unit (the whole installation), who must change the initial password at first login.
 */
export async function seedIfEmpty(
  db: Db,
  opts: { seedDemo: boolean; crypto: FieldCrypto; demoPassword: string },
): Promise<DemoAccount[] | null> {
  await ensureBuiltIns(db);
  const [units] = await db.select({ n: count() }).from(orgUnits);
  const [people] = await db.select({ n: count() }).from(users);
  if (Number(units?.n) > 0 || Number(people?.n) > 0) {
    await ensureCaseDefaults(db);
    await ensureCareDefaults(db);
    await ensureResidentTagDefaults(db);
    return null;
  }
  if (opts.seedDemo) {
    const accounts = await seedDemo(db, opts);
    await ensureResidentTagDefaults(db);
    // The taxonomy names the demo departments, so it follows them.
    await ensureCaseDefaults(db);
    await ensureHotlineDefaults(db);
    await seedDemoCases(db, { crypto: opts.crypto });
    await seedDemoResidents(db, { crypto: opts.crypto });
    await seedDemoPlaces(db, { crypto: opts.crypto });
    await seedDemoFieldwork(db);
    await seedDemoServices(db, { crypto: opts.crypto });
    await seedDemoProxyPoints(db);
    await seedDemoGovernance(db, { crypto: opts.crypto });
    await seedDemoDisputes(db, { crypto: opts.crypto });
    // Fresh statistics for the planner after the bulk load (PGlite runs no autovacuum).
    await db.execute(sql`analyze`);
    return accounts;
  }
  await ensureCaseDefaults(db);
  await ensureCareDefaults(db);
  await ensureResidentTagDefaults(db);

  const passwordHash = await hashPassword(opts.demoPassword);
  const roleRows = await db.select().from(roles);
  const admins = [
    ['admin', '系统管理员', 'systemAdmin'],
    ['security', '安全管理员', 'securityAdmin'],
    ['auditor', '审计管理员', 'auditAdmin'],
  ] as const;
  await db.transaction(async (tx) => {
    for (const [username, displayName, roleCode] of admins) {
      const [u] = await tx
        .insert(users)
        .values({ username, displayName, passwordHash, mustChangePassword: true })
        .returning();
      const role = roleRows.find((r) => r.code === roleCode);
      if (u && role) await tx.insert(userRoles).values({ userId: u.id, roleId: role.id });
    }
  });
  return admins.map(([username, displayName, roleCode]) => ({
    username,
    displayName,
    role: roleRows.find((r) => r.code === roleCode)?.name ?? roleCode,
    unit: '全部（首次登录须修改密码）',
  }));
}
