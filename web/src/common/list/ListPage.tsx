import { DownloadOutlined } from '@ant-design/icons';
import { App, Button, Card, Input, Space, Table, type TableProps } from 'antd';
import { type ReactNode, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { errorMessage } from '../api.js';
import { downloadExport } from '../download.js';
import { QueryState } from '../QueryState.js';
import type { PagedList } from './usePagedList.js';

export interface ListSearch {
  /** The filter the box sets (`q`). */
  filter: string;
  placeholder?: string;
  testId?: string;
  width?: number;
}

export interface ListExport {
  /** The export endpoint; the list's filters are added to it. */
  url: string;
  /** Until the server names the file. */
  fileName?: string;
  label?: ReactNode;
  testId?: string;
  /** Extra parameters of the export (`reveal=true`). */
  extra?: Record<string, string>;
  disabled?: boolean;
}

/** What the page gives the table beyond rows and pagination: columns, row key, test id… */
export type ListTableProps<T> = Omit<TableProps<T>, 'dataSource' | 'pagination' | 'loading'> & {
  'data-testid'?: string;
};

/** An export button that downloads through `downloadExport` and shows a refusal's reason. */
export function ExportButton({
  url,
  query,
  fileName,
  label,
  testId,
  extra,
  disabled,
}: ListExport & { query: string }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [busy, setBusy] = useState(false);
  const params = new URLSearchParams(query);
  for (const [k, v] of Object.entries(extra ?? {})) params.set(k, v);
  return (
    <Button
      icon={<DownloadOutlined />}
      loading={busy}
      disabled={disabled}
      data-testid={testId}
      onClick={async () => {
        setBusy(true);
        try {
          await downloadExport(`${url}?${params}`, fileName);
        } catch (e) {
          message.error(errorMessage(e));
        } finally {
          setBusy(false);
        }
      }}
    >
      {label ?? t('common.export')}
    </Button>
  );
}

/**
 * What a list view reads of its list: a server-paged one (usePagedList) or one the server
 * answers whole (useWholeList).
 */
export type ListSource<T> = Pick<
  PagedList<T>,
  'filters' | 'setFilters' | 'items' | 'pagination' | 'filterQuery'
> & {
  query: { isLoading: boolean; isFetching: boolean; error: Error | null; refetch: () => unknown };
};

interface ListProps<T> {
  list: ListSource<T>;
  table: ListTableProps<T>;
  search?: ListSearch;
  filters?: ReactNode;
  actions?: ReactNode;
  export?: ListExport;
  /** Shown between the filter bar and the table (an alert, a verdict). */
  notice?: ReactNode;
  empty?: ReactNode;
  /** "共 12 人": the list's own words for its count; "共 12 条" otherwise. */
  totalText?: (count: number) => ReactNode;
}

function Toolbar<T>(props: ListProps<T>) {
  return (
    <>
      {props.actions}
      {props.export && <ExportButton {...props.export} query={props.list.filterQuery} />}
    </>
  );
}

function ListBody<T extends object>(props: ListProps<T> & { inlineToolbar: boolean }) {
  const { t } = useTranslation();
  const { list, search } = props;
  const toolbar = props.inlineToolbar && (props.actions || props.export);
  return (
    <>
      {(search || props.filters || toolbar) && (
        <Space wrap style={{ marginBottom: 16 }}>
          {search && (
            <Input.Search
              // A new key when the URL changes (back button), so the box shows the URL's text.
              key={list.filters[search.filter] ?? ''}
              allowClear
              defaultValue={list.filters[search.filter] ?? ''}
              placeholder={search.placeholder ?? t('common.search')}
              style={{ width: search.width ?? 240 }}
              data-testid={search.testId}
              onSearch={(v) => list.setFilters({ [search.filter]: v.trim() || undefined })}
            />
          )}
          {props.filters}
          {toolbar && <Toolbar {...props} />}
        </Space>
      )}
      {props.notice}
      <QueryState
        loading={list.query.isLoading}
        error={list.query.error}
        onRetry={() => list.query.refetch()}
      >
        <Table<T>
          size="small"
          {...props.table}
          dataSource={list.items}
          loading={list.query.isFetching && !list.query.isLoading}
          pagination={props.totalText ? { ...list.pagination, showTotal: props.totalText } : list.pagination}
          locale={{ emptyText: props.empty ?? t('common.empty'), ...props.table.locale }}
        />
      </QueryState>
    </>
  );
}

/**
 * A list inside a page that has its own frame (a tab): the filter bar with the actions and
 * export at its end, and the server-paged table with its states.
 */
export function ListView<T extends object>(props: ListProps<T> & { children?: ReactNode }) {
  return (
    <>
      <ListBody {...props} inlineToolbar />
      {props.children}
    </>
  );
}

/**
 * The console's list page: a title, a toolbar (the page's actions and the export), a filter
 * bar (a search box and the page's filters), and a server-paged table with the loading,
 * empty and error states of every page. The page gives columns and filters; paging, the
 * URL and the export follow from `list` (usePagedList).
 */
export function ListPage<T extends object>(
  props: ListProps<T> & {
    title: ReactNode;
    testId?: string;
    /** The page's dialogs and drawers. */
    children?: ReactNode;
  },
) {
  const toolbar = (props.actions || props.export) && (
    <Space wrap>
      <Toolbar {...props} />
    </Space>
  );
  return (
    <Card title={props.title} extra={toolbar} data-testid={props.testId}>
      <ListBody {...props} inlineToolbar={false} />
      {props.children}
    </Card>
  );
}
