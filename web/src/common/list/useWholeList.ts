import type { TablePaginationConfig } from 'antd';
import { useTranslation } from 'react-i18next';
import type { ListSource } from './ListPage.js';

/**
 * A list the server answers whole (`{items}` without paging: configuration such as categories,
 * departments, roles and tags, a user's tokens, the jobs), shown by the same ListView as the
 * server-paged ones — with their loading, empty and error states — and paged on the client,
 * the pager hidden while everything fits on one page. `items` are the rows the page shows
 * (built from the query's data: a tree, a filter), `query` the request they come from.
 */
export function useWholeList<T>(
  query: ListSource<T>['query'],
  items: T[] | undefined,
  { pageSize = 100, sizeChanger = false }: { pageSize?: number; sizeChanger?: boolean } = {},
): ListSource<T> {
  const { t } = useTranslation();
  const pagination: TablePaginationConfig = {
    ...(sizeChanger ? { defaultPageSize: pageSize, showSizeChanger: true } : { pageSize }),
    hideOnSinglePage: true,
    showTotal: (n) => t('common.total', { count: n }),
  };
  return { filters: {}, setFilters: () => {}, query, items: items ?? [], pagination, filterQuery: '' };
}
