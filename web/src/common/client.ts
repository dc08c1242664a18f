import type { Routes } from '@civicgrid/core/api/routes';
import type { z } from 'zod';
import { api } from './api.js';
import { type RouteParts, splitRoute, urlOf } from './routeUrl.js';

// Types only from the route map: its schemas stay out of the bundle (the phone pages count
// their bytes); the server validates what is sent.

type Route = keyof Routes;
type SchemaOf<K extends Route, F extends string> = Routes[K] extends { [P in F]: infer S extends z.ZodType }
  ? S
  : never;

/**
 * Path and query values as the page holds them: the parsed types (a number for an id the
 * server coerces from text), optional where the server has a default or none is needed.
 */
type Values<S extends z.ZodType> = {
  [P in keyof z.input<S>]: P extends keyof z.output<S> ? z.output<S>[P] : never;
};

/** Nothing to give. */
type None = Record<never, never>;
type Part<Name extends string, T> = [T] extends [never]
  ? None
  : None extends T
    ? { [P in Name]?: T }
    : { [P in Name]: T };

export type Params<K extends Route> = [SchemaOf<K, 'params'>] extends [never]
  ? never
  : Values<SchemaOf<K, 'params'>>;
export type Query<K extends Route> = [SchemaOf<K, 'query'>] extends [never]
  ? never
  : Values<SchemaOf<K, 'query'>>;
export type Body<K extends Route> = [SchemaOf<K, 'body'>] extends [never]
  ? never
  : z.input<SchemaOf<K, 'body'>>;
/** What the route answers, as the server's reply schema gives it. */
export type Reply<K extends Route> = z.output<Routes[K]['reply']>;

export type Args<K extends Route> = Part<'params', Params<K>> &
  Part<'query', Query<K>> &
  Part<'body', Body<K>>;

/** Routes answering JSON (or nothing): downloads are linked with `href`. */
export type JsonRoute = { [K in Route]: [Reply<K>] extends [never] ? never : K }[Route];
export type DownloadRoute = Exclude<Route, JsonRoute>;

export type ArgList<K extends Route> = None extends Args<K> ? [args?: Args<K>] : [args: Args<K>];

/**
 * Calls a route of the map: `call('GET /api/users/:id', { params: { id } })`. Arguments and
 * reply are typed from the route's schemas in core; CSRF and errors as `api` does them.
 */
export function call<K extends JsonRoute>(route: K, ...[args]: ArgList<K>): Promise<Reply<K>> {
  const [method, path] = splitRoute(route);
  const parts = (args ?? {}) as RouteParts;
  // A POST without a body still sends `{}`: the server's JSON parser refuses an empty one.
  const body = parts.body ?? (method === 'POST' ? {} : undefined);
  return api<Reply<K>>(method, urlOf(path, parts), body);
}

/** The address of a download (xlsx, pdf), for a link or `window.open`. */
export function href<K extends DownloadRoute>(route: K, ...[args]: ArgList<K>): string {
  return urlOf(splitRoute(route)[1], (args ?? {}) as RouteParts);
}
