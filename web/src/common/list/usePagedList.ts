import { useQuery } from '@tanstack/react-query';
import type { TablePaginationConfig } from 'antd';
import { useCallback, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router-dom';
import { get, type Page } from '../api.js';

/** A list's filters as the URL holds them: text, or absent. */
export type ListFilters = Record<string, string | undefined>;

/** DESIGN §2: `pageSize ≤ 200`; a hand-edited URL asking for more gets the most there is. */
export const maxPageSize = 200;
const pageSizes = [10, 20, 50, 100, 200];

export interface PagedListOptions<T, K extends string> {
  /** The list's endpoint, `/api/audit-log`; it answers `{items, total}`. */
  url: string;
  /** The query key's head, for invalidating after a write (`['users']`); the url otherwise. */
  key?: string;
  /** The filters this list reads from the URL (and sends to the API, unless `toQuery` says otherwise). */
  filters: readonly K[];
  /**
   * Filters kept out of the URL (in the page's state): a searched ID number or phone must not
   * land in the browser's history or a shared link.
   */
  transient?: readonly K[];
  /** Namespaces the URL's parameters when one page shows several lists (`org.page`). */
  prefix?: string;
  pageSize?: number;
  /** The API's query from the URL's filters: a day becomes an instant, a default is added. */
  toQuery?: (filters: Record<K, string | undefined>) => ListFilters;
  /** Replaces the plain GET (a typed client call, say); gets the full query, page included. */
  fetch?: (query: URLSearchParams) => Promise<Page<T>>;
  enabled?: boolean;
}

function queryOf(filters: ListFilters): URLSearchParams {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(filters)) if (v !== undefined && v !== '') q.set(k, v);
  return q;
}

/**
 * A server-paged list whose page, page size and filters live in the URL's search params, so
 * a filtered page can be linked and the back button steps back through pages and filters.
 * A filter change goes back to page 1. The data is TanStack Query's, keyed by the API query.
 */
export function usePagedList<T, K extends string>(opts: PagedListOptions<T, K>) {
  const { t } = useTranslation();
  const [params, setParams] = useSearchParams();
  const prefix = opts.prefix ?? '';
  const read = (k: string) => params.get(`${prefix}${k}`) ?? undefined;
  const page = Math.max(1, Math.floor(Number(read('page'))) || 1);
  const pageSize = Math.min(
    maxPageSize,
    Math.max(1, Math.floor(Number(read('pageSize'))) || (opts.pageSize ?? 20)),
  );
  const [held, setHeld] = useState<ListFilters>({});
  const isTransient = (k: string) => opts.transient?.includes(k as K) ?? false;
  const filters = Object.fromEntries(
    opts.filters.map((k) => [k, isTransient(k) ? held[k] : read(k)]),
  ) as Record<K, string | undefined>;
  const apiFilters = opts.toQuery ? opts.toQuery(filters) : filters;
  const query = queryOf({ ...apiFilters, page: String(page), pageSize: String(pageSize) });
  const fetcher = opts.fetch ?? ((q: URLSearchParams) => get<Page<T>>(`${opts.url}?${q}`));
  const result = useQuery({
    queryKey: [opts.key ?? opts.url, query.toString()],
    queryFn: () => fetcher(query),
    enabled: opts.enabled ?? true,
  });

  const update = useCallback(
    (patch: ListFilters, toFirstPage: boolean) =>
      setParams((cur) => {
        const next = new URLSearchParams(cur);
        for (const [k, v] of Object.entries(patch))
          if (v === undefined || v === '') next.delete(`${prefix}${k}`);
          else next.set(`${prefix}${k}`, v);
        if (toFirstPage) next.delete(`${prefix}page`);
        return next;
      }),
    [setParams, prefix],
  );
  const setFilters = (patch: Partial<Record<K, string | undefined>>) => {
    const entries = Object.entries(patch) as [string, string | undefined][];
    const kept = entries.filter(([k]) => isTransient(k));
    if (kept.length) setHeld((cur) => ({ ...cur, ...Object.fromEntries(kept) }));
    update(Object.fromEntries(entries.filter(([k]) => !isTransient(k))), true);
  };
  const setPage = useCallback(
    (p: number, size: number) =>
      update(
        {
          page: p > 1 && size === pageSize ? String(p) : undefined,
          pageSize: size === (opts.pageSize ?? 20) ? undefined : String(size),
        },
        false,
      ),
    [update, pageSize, opts.pageSize],
  );

  const pagination: TablePaginationConfig = {
    current: page,
    pageSize,
    total: result.data?.total ?? 0,
    showSizeChanger: true,
    pageSizeOptions: pageSizes,
    showTotal: (n) => t('common.total', { count: n }),
    onChange: setPage,
  };
  return {
    filters,
    setFilters,
    page,
    pageSize,
    setPage,
    query: result,
    items: result.data?.items ?? [],
    total: result.data?.total ?? 0,
    pagination,
    /** The API's query of the filters alone (no page): for an export of the same rows. */
    filterQuery: queryOf(apiFilters).toString(),
  };
}

export type PagedList<T, K extends string = string> = ReturnType<typeof usePagedList<T, K>>;
