import { count, sql } from 'drizzle-orm';
import { roles, userRoles, users } from '../modules/accounts/tables.js';
import { ensureCareDefaults } from '../modules/care/service.js';
import { ensureCaseDefaults } from '../modules/cases/defaults.js';
import { ensureElderServiceDefaults } from '../modules/eldercareOrders/catalogue.js';
import { ensureHotlineDefaults } from '../modules/hotline/mappings.js';
import { orgUnits } from '../modules/org/tables.js';
import { ensureResidentTagDefaults } from '../modules/residents/tags.js';
import { hashPassword } from '../platform/auth/password.js';
import type { FieldCrypto } from '../platform/crypto.js';
import type { Db } from '../platform/db.js';
import { ensureHistoryPartitions } from '../platform/history.js';
import { ensureBuiltIns } from './builtIns.js';
import { seedDemoCases } from './cases.js';
import { seedDemoDeliberationPublic } from './deliberationPublic.js';
import { seedDemoDisputes } from './disputes.js';
import { seedDemoEldercare } from './eldercare.js';
import { seedDemoEldercareOrders } from './eldercareOrders.js';
import { seedDemoFieldwork } from './fieldwork.js';
import { seedDemoGovernance } from './governance.js';
import { type DemoAccount, seedDemo } from './kundulun.js';
import { seedDemoNotices } from './notices.js';
import { seedDemoParticipation } from './participation.js';
import { seedDemoPartyOrgs } from './partyOrgs.js';
import { seedDemoPlaces } from './places.js';
import { seedDemoProperty } from './property.js';
import { seedDemoProxyPoints } from './proxyPoints.js';
import { seedDemoResidents } from './residents.js';
import { seedDemoServices } from './services.js';
import { seedDemoSocialOrgs } from './socialOrgs.js';
import { seedDemoVolunteerTeams } from './volunteerTeams.js';
import { seedDemoWishes } from './wishes.js';

/**
 * Run at every start. The built-in roles are refreshed; an empty database gets the demo
 * district — or, with SEED_DEMO=false, only the three separated administrators, bound to
 * no unit (the whole installation), who must change the initial password at first login.
 */
export async function seedIfEmpty(
  db: Db,
  opts: {
    seedDemo: boolean;
    crypto: FieldCrypto;
    demoPassword: string;
    /** Told after each step of the demo seed, with its duration: the start-up prints them. */
    onPhase?: (name: string, ms: number) => void;
  },
): Promise<DemoAccount[] | null> {
  await ensureBuiltIns(db);
  const [units] = await db.select({ n: count() }).from(orgUnits);
  const [people] = await db.select({ n: count() }).from(users);
  if (Number(units?.n) > 0 || Number(people?.n) > 0) {
    await ensureCaseDefaults(db);
    await ensureCareDefaults(db);
    await ensureResidentTagDefaults(db);
    await ensureElderServiceDefaults(db);
    return null;
  }
  if (opts.seedDemo) {
    const phase = async <T>(name: string, run: () => Promise<T>): Promise<T> => {
      const t0 = performance.now();
      const out = await run();
      opts.onPhase?.(name, performance.now() - t0);
      return out;
    };
    // The demo's history is backdated up to a year: its months' partitions come first.
    await phase('partitions', () =>
      ensureHistoryPartitions(db, { since: new Date(Date.now() - 400 * 86_400_000) }),
    );
    const accounts = await phase('accounts', () => seedDemo(db, opts));
    await phase('defaults', async () => {
      await ensureResidentTagDefaults(db);
      // The taxonomy names the demo departments, so it follows them.
      await ensureCaseDefaults(db);
      await ensureHotlineDefaults(db);
    });
    await phase('cases', () => seedDemoCases(db, { crypto: opts.crypto }));
    await phase('residents', () => seedDemoResidents(db, { crypto: opts.crypto }));
    await phase('places', () => seedDemoPlaces(db, { crypto: opts.crypto }));
    await phase('fieldwork', () => seedDemoFieldwork(db));
    // Proxy points first: the demo's proxy applications name the point their agent serves at.
    await phase('proxyPoints', () => seedDemoProxyPoints(db));
    await phase('services', () => seedDemoServices(db, { crypto: opts.crypto }));
    await phase('governance', () => seedDemoGovernance(db, { crypto: opts.crypto }));
    await phase('disputes', () => seedDemoDisputes(db, { crypto: opts.crypto }));
    await phase('notices', () => seedDemoNotices(db));
    await phase('wishes', () => seedDemoWishes(db));
    await phase('participation', () => seedDemoParticipation(db, { crypto: opts.crypto }));
    // After the deliberations: residents' suggestions, comments on the published one, the street council.
    await phase('deliberationPublic', () => seedDemoDeliberationPublic(db, { crypto: opts.crypto }));
    // After the volunteers and activities: the teams they form and run.
    await phase('volunteerTeams', () => seedDemoVolunteerTeams(db, { crypto: opts.crypto }));
    // After the residents and places: party members are drawn from the residents on file.
    await phase('partyOrgs', () => seedDemoPartyOrgs(db));
    await phase('socialOrgs', () => seedDemoSocialOrgs(db, { crypto: opts.crypto }));
    // After the cases (codes follow theirs): 红管家 companies, their 物管员 and the cases they handled.
    accounts.push(
      ...(await phase('property', () =>
        seedDemoProperty(db, { crypto: opts.crypto, demoPassword: opts.demoPassword }),
      )),
    );
    // After the residents: the wearables belong to the elders of 保利新华社区.
    await phase('eldercare', () =>
      seedDemoEldercare(db, { crypto: opts.crypto, demoPassword: opts.demoPassword }),
    );
    // After the wearables: an order's home is the safe area's centre when no dwelling is on file.
    await phase('eldercareOrders', () => seedDemoEldercareOrders(db, { crypto: opts.crypto }));
    // Anything dated beyond those months (into the default partition) moves to its own month.
    await phase('partitionSweep', () => ensureHistoryPartitions(db));
    // Fresh statistics for the planner after the bulk load (PGlite runs no autovacuum).
    await phase('analyze', () => db.execute(sql`analyze`));
    return accounts;
  }
  await ensureCaseDefaults(db);
  await ensureCareDefaults(db);
  await ensureResidentTagDefaults(db);
  await ensureElderServiceDefaults(db);

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
