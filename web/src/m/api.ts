import type { ArgList, JsonRoute, Reply } from '../common/client.js';
import { type RouteParts, splitRoute, urlOf } from '../common/routeUrl.js';

export type { Reply };

/** The field app's fetch: same-origin cookies, the CSRF header on writes, errors with status. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly field?: string,
    /** Every field the server refused (problem+json `errors`), for a form that marks each. */
    readonly errors: { field: string; message: string }[] = [],
  ) {
    super(message);
  }
}

let csrf: string | null = null;
export function setCsrf(token: string | null) {
  csrf = token;
}
export const hasCsrf = () => csrf !== null;

export async function call<T>(
  method: string,
  url: string,
  body?: unknown,
  extra: Record<string, string> = {},
): Promise<T> {
  const headers: Record<string, string> = { ...extra };
  let payload: BodyInit | undefined;
  if (body instanceof FormData) payload = body;
  else if (body !== undefined) {
    headers['content-type'] = 'application/json';
    payload = JSON.stringify(body);
  }
  if (method !== 'GET' && csrf) headers['x-csrf-token'] = csrf;
  const res = await fetch(url, { method, headers, body: payload ?? null, credentials: 'same-origin' });
  const data = res.status === 204 ? null : await res.json().catch(() => null);
  if (!res.ok) {
    const p = (data ?? {}) as {
      title?: string;
      detail?: string;
      errors?: { field: string; message: string }[];
    };
    const first = p.errors?.[0];
    throw new HttpError(
      res.status,
      first?.message ?? p.detail ?? p.title ?? `HTTP ${res.status}`,
      first?.field,
      p.errors?.map((e) => ({ field: e.field, message: e.message })) ?? [],
    );
  }
  return data as T;
}

/**
 * Calls a route of core's route map (core/src/api/routes.ts): `request('GET /api/households',
 * { query: { gridId } })`, arguments and reply typed from the route's zod schemas. Types
 * only: no zod in this bundle, the server validates what is sent.
 */
export function request<K extends JsonRoute>(route: K, ...[args]: ArgList<K>): Promise<Reply<K>> {
  const [method, path] = splitRoute(route);
  const parts = (args ?? {}) as RouteParts;
  // A POST without a body still sends `{}`: the server's JSON parser refuses an empty one.
  return call<Reply<K>>(method, urlOf(path, parts), parts.body ?? (method === 'POST' ? {} : undefined));
}

export const get = <T>(url: string) => call<T>('GET', url);
export const post = <T>(url: string, body?: unknown, headers?: Record<string, string>) =>
  call<T>('POST', url, body ?? {}, headers);
export const put = <T>(url: string, body: unknown) => call<T>('PUT', url, body);
export const patch = <T>(url: string, body: unknown) => call<T>('PATCH', url, body);

/** Who is signed in, as `GET /api/me` answers. */
export type Me = Reply<'GET /api/me'>;
