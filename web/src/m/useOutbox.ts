import { useEffect, useState } from 'react';
import { type OutboxEntry, onOutboxChange, outbox } from './store.js';

/** What waits in the outbox, kept current: the header's count needs it on every screen. */
export function useOutbox() {
  const [items, setItems] = useState<OutboxEntry[]>([]);
  useEffect(() => {
    const load = () => void outbox().then(setItems);
    load();
    return onOutboxChange(load);
  }, []);
  return items;
}
