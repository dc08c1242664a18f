import { existsSync } from 'node:fs';

/**
 * The local PostgreSQL as admin: over its Unix socket when there is one (Debian's
 * /var/run/postgresql), as an app server on the database's own machine should connect — each
 * statement's round trip costs less CPU than over loopback TCP — else over 127.0.0.1.
 */
export const localAdminUrl = existsSync('/var/run/postgresql/.s.PGSQL.5432')
  ? 'postgresql://postgres@localhost/postgres?host=/var/run/postgresql'
  : 'postgresql://postgres@127.0.0.1:5432/postgres';
