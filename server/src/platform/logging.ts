/**
 * What may reach a log line. Request bodies are never logged; an error is logged by its
 * kind and codes only, because a driver error carries the failed statement's parameters
 * (a password hash, a resident's name and birth date were seen there) and PostgreSQL's
 * own messages quote the offending value (`invalid input syntax for type uuid: "…"`).
 */

/** Paths pino blanks in any object it logs, as a second line of defence. */
export const logRedact = [
  'req.headers.cookie',
  'req.headers.authorization',
  'req.headers["x-csrf-token"]',
  'req.body',
  'res.headers["set-cookie"]',
  'err.params',
  'err.query',
  '*.password',
  '*.currentPassword',
  '*.newPassword',
  '*.passwordHash',
  '*.token',
  '*.totp',
  '*.idNumber',
  '*.phone',
  '*.name',
  '*.params',
];

type LoggedError = {
  type: string;
  code?: string;
  sqlState?: string;
  constraint?: string;
  message: string;
  /** Empty for database errors, whose frames say nothing a SQLSTATE does not. */
  stack: string;
};

const sqlStateOf = (e: unknown): string | undefined => {
  const code = (e as { code?: unknown } | null)?.code;
  return typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code) ? code : undefined;
};

/**
 * An error as it may be logged: its type, codes and — for errors of our own code — the
 * message and stack. A database error keeps only its SQLSTATE and constraint name.
 */
export function errorForLog(err: unknown): LoggedError {
  if (!(err instanceof Error)) return { type: typeof err, message: 'non-error thrown', stack: '' };
  const cause = (err as { cause?: unknown }).cause;
  const sqlState = sqlStateOf(err) ?? sqlStateOf(cause);
  const fromDatabase =
    sqlState !== undefined || err.name === 'DrizzleQueryError' || 'params' in err || 'query' in err;
  if (fromDatabase) {
    const constraint = (cause as { constraint?: unknown } | undefined)?.constraint;
    return {
      type: err.name,
      message: 'database error (statement and parameters withheld)',
      stack: '',
      ...(sqlState ? { sqlState } : {}),
      ...(typeof constraint === 'string' ? { constraint } : {}),
    };
  }
  const code = (err as { code?: unknown }).code;
  return {
    type: err.name,
    message: err.message.slice(0, 300),
    ...(typeof code === 'string' ? { code } : {}),
    stack: err.stack?.split('\n').slice(0, 12).join('\n') ?? '',
  };
}

/** pino options of the server: redaction and the error serializer above. */
export function loggerOptions(level: string) {
  return { level, redact: logRedact, serializers: { err: errorForLog } };
}
