/**
 * Accounts the console may not touch — the system, security and audit administrators'
 * (三员分立: no administrator acts on another's, nor on his own) — are kept from the
 * server's shell, audited as `cli:<os user>`:
 *
 *   npm run admin:reset-password -- <username> [--reset-totp]
 *   npm run admin:create -- <username> <role[,role…]> [--name 显示名] [--unit <org code> | --department <code>]
 *   npm run admin:disable -- <username>
 *   npm run admin:enable -- <username>
 *
 * A new or reset password is printed once and must be changed at the next login; an
 * administrator then enrols an authenticator. With the embedded database (no
 * DATABASE_URL), stop the server first: PGlite opens its directory in one process only.
 * Exits 0 when done, 1 when refused (unknown account, roles joining duties…), 2 when it
 * cannot run.
 */
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import {
  createAccountByOperator,
  OperatorError,
  resetPasswordByOperator,
  setDisabledByOperator,
} from '../modules/accounts/operator.js';
import { linkAuditChain } from '../platform/audit/chain.js';
import { auditSealOf, registerAuditSeal } from '../platform/audit/trail.js';
import { loadConfig } from '../platform/config.js';
import { type Database, openPglite, openPostgres } from '../platform/db.js';

const usage = `usage:
  admin reset-password <username> [--reset-totp]
  admin create <username> <role[,role…]> [--name <display name>] [--unit <org unit code> | --department <code>]
  admin disable <username>
  admin enable <username>`;

async function run(db: Database['db'], argv: string[]): Promise<string> {
  const { positionals, values } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      'reset-totp': { type: 'boolean' },
      name: { type: 'string' },
      unit: { type: 'string' },
      department: { type: 'string' },
    },
  });
  const [command, username, roleList] = positionals;
  if (!username) throw new OperatorError(usage);
  switch (command) {
    case 'reset-password': {
      const resetTotp = values['reset-totp'] === true;
      const { password } = await resetPasswordByOperator(db, username, { resetTotp });
      return `one-time password for ${username}: ${password}\n(changed at the next login${resetTotp ? '; the authenticator is removed and enrolled again' : ''})`;
    }
    case 'create': {
      if (!roleList || (values.unit && values.department)) throw new OperatorError(usage);
      const { password } = await createAccountByOperator(db, {
        username,
        displayName: values.name ?? username,
        roles: roleList.split(','),
        unitCode: values.unit,
        departmentCode: values.department,
      });
      return `created ${username}; one-time password: ${password}\n(changed at the first login)`;
    }
    case 'disable':
    case 'enable':
      await setDisabledByOperator(db, username, command === 'disable');
      return `${username} ${command}d`;
    default:
      throw new OperatorError(usage);
  }
}

let database: Database | undefined;
try {
  // Never make keys here: rows sealed or fields encrypted with a key the server lacks are lost.
  const config = loadConfig(process.env, { createMissingKeys: false });
  database = config.DATABASE_URL
    ? await openPostgres(config.DATABASE_URL, { max: 1 })
    : await openPglite(join(config.dataDir, 'pgdata'));
  registerAuditSeal(database.db, auditSealOf(config));
  console.log(await run(database.db, process.argv.slice(2)));
  // Its audit row chained now, not when a server next runs the appender.
  await linkAuditChain(database.db, undefined, { wait: true });
  await database.close();
  process.exit(0);
} catch (e) {
  await database?.close().catch(() => undefined);
  if (e instanceof OperatorError || (e as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
    console.error((e as Error).message);
    process.exit(1);
  }
  console.error(`admin could not run: ${(e as Error).message}`);
  process.exit(2);
}
