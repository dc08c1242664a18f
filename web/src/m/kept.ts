import { type Reply, request } from './api.js';
import { cache, cached } from './store.js';

export type HouseholdItem = Reply<'GET /api/households'>['items'][number];
/** A dwelling of the grid, as `GET /api/housing-units` lists it (an address may be unknown). */
export type HousingUnit = Reply<'GET /api/housing-units'>['items'][number];
export type ServiceItem = Reply<'GET /api/services'>['items'][number];

/**
 * A list a field screen needs where there may be no network: the copy kept on the phone, and
 * a fresh one from the server (kept as it arrives). The app fetches them as it opens
 * (`keepForOffline`), as it does the case categories, so a screen never opened online still
 * has its list in a basement with no signal.
 */
export interface KeptList<T> {
  /** As last kept on this phone; undefined when never fetched here. */
  kept(): Promise<T[] | undefined>;
  /** From the server, then kept; rejects without a network. */
  refresh(): Promise<T[]>;
}

export function keptList<T>(key: string, fetch: () => Promise<T[]>): KeptList<T> {
  return {
    kept: () => cached<T[]>(key),
    refresh: async () => {
      const items = await fetch();
      await cache(key, items);
      return items;
    },
  };
}

/** The households of my grid (入户走访). */
export const households = (gridId: number) =>
  keptList('households', () => request('GET /api/households', { query: { gridId } }).then((r) => r.items));

/** The dwellings of my grid (房屋核实, 落户). */
export const housingUnits = (gridId: number) =>
  keptList('units', () => request('GET /api/housing-units', { query: { gridId } }).then((r) => r.items));

/** The service catalogue (帮办代办). */
export const services = () => keptList('services', () => request('GET /api/services').then((r) => r.items));

/**
 * Shows the kept copy at once (unless the screen has its list already), then the fresh one:
 * the body of a screen's effect.
 */
export function showKept<T>(list: KeptList<T>, set: (update: (cur: T[]) => T[]) => void): void {
  void list.kept().then((c) => c && set((cur) => (cur.length ? cur : c)));
  list
    .refresh()
    .then((fresh) => set(() => fresh))
    .catch(() => undefined);
}

/** Fetches and keeps, once the app is open online, every list a screen of this user reads offline. */
export function keepForOffline(who: { gridId: number | null; proxies: boolean }): void {
  const lists: KeptList<unknown>[] = [];
  if (who.gridId !== null) lists.push(households(who.gridId), housingUnits(who.gridId));
  if (who.proxies) lists.push(services());
  for (const list of lists) list.refresh().catch(() => undefined);
}
