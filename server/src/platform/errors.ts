import {
  type ErrorCode,
  type ErrorParams,
  errorCodes,
  errorText,
  type FieldError,
  type Problem,
} from '@civicgrid/core';

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

/**
 * A domain refusal of one field: `rule` is the short rule name (`unique`, `checkDigit`),
 * `code` the stable code of this refusal from core's catalogue (core/src/errorCodes/), whose
 * status the reply takes and whose message the web shows in the user's language, with
 * `params` filling its `{name}` placeholders.
 */
export function fieldError(field: string, rule: string, code: ErrorCode, params?: ErrorParams): AppError {
  const message = errorText(code, 'zh', params);
  return new AppError(code, message, [{ field, rule, message, code, ...(params ? { params } : {}) }]);
}

export function problemOf(code: ErrorCode, detail?: string, errors?: FieldError[]): Problem {
  // A field error of the reply's own code carries its parameters: the title is filled from them
  // rather than sent with its `{name}` placeholders.
  const params = errors?.find((e) => e.code === code)?.params;
  return {
    type: `https://civicgrid.dev/problems/${code.toLowerCase().replaceAll('_', '-')}`,
    title: errorText(code, 'zh', params),
    status: errorCodes[code].status,
    code,
    ...(detail ? { detail } : {}),
    ...(params ? { params } : {}),
    ...(errors?.length ? { errors } : {}),
  };
}
