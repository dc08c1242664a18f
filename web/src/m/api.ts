/** The field app's fetch: same-origin cookies, the CSRF header on writes, errors with status. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly field?: string,
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
    );
  }
  return data as T;
}

export const get = <T>(url: string) => call<T>('GET', url);
export const post = <T>(url: string, body?: unknown, headers?: Record<string, string>) =>
  call<T>('POST', url, body ?? {}, headers);
export const put = <T>(url: string, body: unknown) => call<T>('PUT', url, body);
export const patch = <T>(url: string, body: unknown) => call<T>('PATCH', url, body);

export interface Me {
  id: string;
  username: string;
  displayName: string;
  permissions: string[];
  roles?: { code: string; name: string }[];
  jurisdiction: { orgUnitId: number | null; orgUnitName: string | null; level: string | null };
  csrfToken: string | null;
}
