import { type ErrorCode, errorCodes, type FieldError, type Problem } from '@civicgrid/core';

/** The one error type of the server: a stable code, optional detail and field errors. */
export class AppError extends Error {
  readonly code: ErrorCode;
  readonly status: number;
  readonly errors: FieldError[] | undefined;
  constructor(code: ErrorCode, detail?: string, errors?: FieldError[]) {
    super(detail ?? errorCodes[code].en);
    this.code = code;
    this.status = errorCodes[code].status;
    this.errors = errors;
  }
}

export function fieldError(field: string, rule: string, message: string): AppError {
  return new AppError('VALIDATION', message, [{ field, rule, message }]);
}

export function problemOf(code: ErrorCode, detail?: string, errors?: FieldError[]): Problem {
  const entry = errorCodes[code];
  return {
    type: `https://civicgrid.dev/problems/${code.toLowerCase().replaceAll('_', '-')}`,
    title: entry.zh,
    status: entry.status,
    code,
    ...(detail ? { detail } : {}),
    ...(errors?.length ? { errors } : {}),
  };
}
