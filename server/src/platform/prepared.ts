import { createHash } from 'node:crypto';
import pg from 'pg';

/**
 * The statements of the hot write path — every report's case, event, notifications and
 * audit row, and the audit appender's passes — as server-side prepared statements: parsed
 * once per connection, and after a few runs planned once (PostgreSQL's plan cache). Sent
 * unnamed, PostgreSQL parses and plans them on every run: for the appender's reads over a
 * partitioned `audit_log` that planning was 6 ms a pass, more than the work itself.
 *
 * Only these are prepared: a prepared statement keeps its plan in the connection's memory,
 * and a cached generic plan suits a fixed insert or an index lookup, not the console's
 * filtered reads, whose plans depend on the values. Each is named by a hash of its text, so
 * a text that differs (another column list, another row count) is another statement and
 * never a clash with one parsed before.
 */
const hotStatements: readonly RegExp[] = [
  /^insert into "(cases|case_events|notifications|audit_log)" /,
  /^select pg_try_advisory_xact_lock\(/,
  /^\s*update audit_log a set chain_seq = l\.seq/,
  /^select "id", "at", "actor_id", [^;]*\(select chain_seq from audit_log/,
];

/** Names by text; bounded, so texts that vary without end fall back to unnamed statements. */
const names = new Map<string, string | null>();
const namesMax = 500;

export function preparedNameOf(text: string): string | null {
  const known = names.get(text);
  if (known !== undefined) return known;
  const name = hotStatements.some((re) => re.test(text))
    ? `cg_${createHash('sha1').update(text).digest('hex').slice(0, 20)}`
    : null;
  if (names.size < namesMax) names.set(text, name);
  return name;
}

/** A pg client that sends the hot statements prepared (see above); the pool makes these. */
export class PreparingClient extends pg.Client {
  // biome-ignore lint/suspicious/noExplicitAny: pg's query() is a set of overloads; this passes them through.
  override query(...args: any[]): any {
    const config = args[0] as { text?: unknown; name?: string } | string | undefined;
    if (config && typeof config === 'object' && typeof config.text === 'string' && !config.name) {
      const name = preparedNameOf(config.text);
      if (name) args[0] = { ...config, name };
    }
    return (super.query as (...a: unknown[]) => unknown)(...args);
  }
}
