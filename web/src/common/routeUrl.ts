/**
 * The address of a route of core's route map (`'GET /api/users/:id'`): `:name` filled from
 * params, the query's set values appended. Plain code without imports, shared by the
 * console's client and the field app (/m), whose bundle counts its bytes.
 */
export interface RouteParts {
  params?: Record<string, unknown>;
  query?: Record<string, unknown>;
  body?: unknown;
}

export function urlOf(path: string, { params, query }: RouteParts): string {
  const filled = path.replace(/:([A-Za-z]+)/g, (_, name: string) => {
    const v = params?.[name];
    if (v === undefined || v === null) throw new Error(`missing path parameter ${name} of ${path}`);
    return encodeURIComponent(String(v));
  });
  const qs = new URLSearchParams();
  for (const [k, v] of Object.entries(query ?? {})) {
    // An empty filter is no filter: the server would read '' as a value.
    if (v === undefined || v === null || v === '') continue;
    for (const one of Array.isArray(v) ? v : [v]) qs.append(k, String(one));
  }
  const s = qs.toString();
  return s ? `${filled}?${s}` : filled;
}

/** `'GET /api/x'` → `['GET', '/api/x']`. */
export function splitRoute(route: string): [string, string] {
  const at = route.indexOf(' ');
  return [route.slice(0, at), route.slice(at + 1)];
}
