import { useEffect, useState } from 'react';
import { request } from '../m/api.js';

/** The unread count for the header's 消息 link. */
export function useUnread(path: string): number {
  const [n, setN] = useState(0);
  // biome-ignore lint/correctness/useExhaustiveDependencies: counted again on each page change
  useEffect(() => {
    request('GET /api/notifications', { query: { page: 1, pageSize: 1 } })
      .then((r) => setN(r.unread))
      .catch(() => undefined);
  }, [path]);
  return n;
}
