import { hasAuthenticator, nextCode } from './totp';

/** Direct API calls for setting up end-to-end scenarios (the browser does the part under test). */
export interface ApiSession {
  get<T = unknown>(path: string): Promise<T>;
  post<T = unknown>(path: string, body?: unknown): Promise<T>;
  put<T = unknown>(path: string, body?: unknown): Promise<T>;
}

export async function apiLogin(
  baseUrl: string,
  username: string,
  password = 'Demo@2026',
): Promise<ApiSession> {
  // An administrator types his authenticator's code once enrolled (see totp.ts).
  const totp = hasAuthenticator(username) ? await nextCode(username) : undefined;
  const res = await fetch(`${baseUrl}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password, ...(totp ? { totp } : {}) }),
  });
  if (!res.ok) throw new Error(`login ${username}: ${res.status}`);
  const cookie = (res.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
  const me = (await res.json()) as { csrfToken: string; totpRequired: boolean; totpEnabled: boolean };
  const { csrfToken } = me;
  const call = async <T>(method: string, path: string, body?: unknown): Promise<T> => {
    const r = await fetch(`${baseUrl}${path}`, {
      method,
      headers: {
        cookie,
        'x-csrf-token': csrfToken,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: body === undefined ? null : JSON.stringify(body),
    });
    if (!r.ok) throw new Error(`${method} ${path}: ${r.status} ${await r.text()}`);
    return (await r.json()) as T;
  };
  const session: ApiSession = {
    get: (p) => call('GET', p),
    post: (p, b) => call('POST', p, b),
    put: (p, b) => call('PUT', p, b),
  };
  // …and enrols one first, as the console would make him.
  if (me.totpRequired && !me.totpEnabled) {
    const { secret } = await session.post<{ secret: string }>('/api/auth/totp/setup');
    await session.post('/api/auth/totp/confirm', { code: await nextCode(username, secret) });
  }
  return session;
}

type TreeNode = { id: number; name: string; children?: TreeNode[] };

export function findUnit(roots: TreeNode[], name: string): TreeNode | undefined {
  for (const n of roots) {
    if (n.name === name) return n;
    const hit = findUnit(n.children ?? [], name);
    if (hit) return hit;
  }
  return undefined;
}

/** A point well inside the first grid of a community, from its polygon. */
export async function pointInCommunity(s: ApiSession, community: string) {
  const tree = await s.get<TreeNode[]>('/api/org/tree');
  const unit = findUnit(tree, community);
  if (!unit) throw new Error(`no unit ${community}`);
  const grids = await s.get<{ items: { geometry: { coordinates: number[][][] } }[] }>(
    `/api/org/units/${unit.id}/grids`,
  );
  const ring = grids.items[0]?.geometry.coordinates[0] ?? [];
  const xs = ring.map((p) => p[0] as number);
  const ys = ring.map((p) => p[1] as number);
  return {
    lng: (Math.min(...xs) + Math.max(...xs)) / 2,
    lat: (Math.min(...ys) + Math.max(...ys)) / 2,
  };
}
