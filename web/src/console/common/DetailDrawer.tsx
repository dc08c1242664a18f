import { Drawer } from 'antd';
import type { ReactNode } from 'react';
import { QueryState } from '../../common/QueryState.js';

/** What the drawer reads of its detail query (TanStack Query's result fits). */
export interface DetailQuery<T> {
  data: T | undefined;
  isLoading: boolean;
  error: unknown;
  refetch: () => unknown;
}

/**
 * A row's detail drawer: open while `id` is set, emptied when closed, with the loading and
 * error states of every page; `children` renders the loaded row.
 */
export function DetailDrawer<T>(props: {
  id: string | number | null;
  onClose: () => void;
  detail: DetailQuery<T>;
  title: ReactNode;
  testId: string;
  width: number;
  extra?: ReactNode;
  children: (row: T) => ReactNode;
}) {
  const { detail } = props;
  return (
    <Drawer
      open={props.id !== null}
      onClose={props.onClose}
      width={props.width}
      title={props.title}
      extra={props.extra}
      data-testid={props.testId}
      destroyOnHidden
    >
      <QueryState loading={detail.isLoading} error={detail.error} onRetry={() => detail.refetch()}>
        {detail.data && props.children(detail.data)}
      </QueryState>
    </Drawer>
  );
}
