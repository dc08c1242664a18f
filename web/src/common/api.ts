import {
  type ErrorCode,
  type ErrorParams,
  errorCodes,
  errorText,
  type FieldError,
  type Problem,
} from '@civicgrid/core';
import type { FormInstance } from 'antd';
import i18n from './i18n/index.js';

/** An API failure: the stable code, the status and the field errors of a 400. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: ErrorCode | 'NETWORK',
    readonly errors: FieldError[] = [],
    detail?: string,
  ) {
    super(detail ?? code);
  }
}

let csrfToken: string | null = null;
export function setCsrfToken(token: string | null): void {
  csrfToken = token;
}

let onUnauthenticated: () => void = () => {};
export function setUnauthenticatedHandler(fn: () => void): void {
  onUnauthenticated = fn;
}

export async function api<T>(method: string, url: string, body?: unknown): Promise<T> {
  const headers: Record<string, string> = {};
  if (body !== undefined) headers['content-type'] = 'application/json';
  if (method !== 'GET' && csrfToken) headers['x-csrf-token'] = csrfToken;
  let res: Response;
  try {
    res = await fetch(url, {
      method,
      headers,
      credentials: 'same-origin',
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
  } catch {
    throw new ApiError(0, 'NETWORK');
  }
  if (res.status === 204) return undefined as T;
  const data = await res.json().catch(() => null);
  if (!res.ok) {
    const p = (data ?? {}) as Partial<Problem>;
    const code = (p.code && p.code in errorCodes ? p.code : 'INTERNAL') as ErrorCode;
    if (res.status === 401 && code === 'UNAUTHENTICATED') onUnauthenticated();
    throw new ApiError(res.status, code, p.errors ?? [], p.detail);
  }
  return data as T;
}

/** A multipart upload (one file), with the same CSRF header and error handling. */
export async function upload<T>(url: string, file: Blob, field = 'file'): Promise<T> {
  const body = new FormData();
  body.append(field, file);
  let res: Response;
  try {
    res = await fetch(url, {
      method: 'POST',
      body,
      credentials: 'same-origin',
      headers: csrfToken ? { 'x-csrf-token': csrfToken } : {},
    });
  } catch {
    throw new ApiError(0, 'NETWORK');
  }
  const data = await res.json().catch(() => null);
  if (!res.ok) {
    const p = (data ?? {}) as Partial<Problem>;
    const code = (p.code && p.code in errorCodes ? p.code : 'INTERNAL') as ErrorCode;
    throw new ApiError(res.status, code, p.errors ?? [], p.detail);
  }
  return data as T;
}

export const get = <T>(url: string) => api<T>('GET', url);
export const post = <T>(url: string, body?: unknown) => api<T>('POST', url, body ?? {});
export const patch = <T>(url: string, body: unknown) => api<T>('PATCH', url, body);
export const put = <T>(url: string, body: unknown) => api<T>('PUT', url, body);
export const del = <T>(url: string) => api<T>('DELETE', url);

/** The one place an error becomes words for a person. */
export function errorMessage(e: unknown): string {
  const zh = i18n.language !== 'en-US';
  if (e instanceof ApiError) {
    if (e.code === 'NETWORK') return zh ? '无法连接服务器，请检查网络' : 'Cannot reach the server';
    const first = e.errors[0];
    if (e.code === 'VALIDATION' && first) return `${first.field}: ${fieldMessage(first)}`;
    if (e.code in errorCodes) return errorText(e.code as ErrorCode, zh ? 'zh' : 'en', first?.params);
    return e.message;
  }
  return e instanceof Error ? e.message : String(e);
}

/** A field error in the user's language: its code's text when it has one, else the server's words. */
export function fieldMessage(err: FieldError): string {
  return refusalMessage(err);
}

/**
 * A refusal reported inside a reply (a field error; an item a batch could not do): its code's
 * text in the user's language when the code is known and its parameters came along, else the
 * server's words.
 */
export function refusalMessage(r: { code?: string; message: string; params?: ErrorParams }): string {
  if (r.code && r.code in errorCodes) {
    const text = errorText(r.code as ErrorCode, i18n.language === 'en-US' ? 'en' : 'zh', r.params);
    if (!/\{\w+\}/.test(text)) return text;
  }
  return r.message;
}

/** Puts a 400's field errors on the form's fields; returns whether any matched. */
export function applyFieldErrors(form: FormInstance, e: unknown): boolean {
  if (!(e instanceof ApiError) || e.errors.length === 0) return false;
  const names = new Set(Object.keys(form.getFieldsValue(true)));
  const fields = e.errors
    .map((err) => ({ name: err.field.split('.')[0] as string, errors: [fieldMessage(err)] }))
    .filter((f) => names.has(f.name));
  form.setFields(fields);
  return fields.length > 0;
}

export interface Page<T> {
  items: T[];
  total: number;
}
