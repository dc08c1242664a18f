import { type DBSchema, openDB } from 'idb';
import { newUuid } from '../common/retryKey.js';

/**
 * Everything the worker records goes here first (IndexedDB), with the key the server uses
 * to recognise a repeat; the sync loop sends it when there is a connection. Photos are kept
 * as blobs beside the entry until they are uploaded.
 */
export type OutboxKind =
  | 'case'
  | 'action'
  | 'visit'
  | 'householdVisit'
  | 'patrolStart'
  | 'patrolPoints'
  | 'patrolEnd'
  | 'worklog'
  | 'resident'
  | 'settle'
  | 'residentPatch'
  | 'housingPatch'
  | 'proxyApplication';

export interface OutboxEntry {
  id: string;
  kind: OutboxKind;
  /** For the list: what this is, in a few words. */
  label: string;
  createdAt: number;
  body: Record<string, unknown>;
  /** Photo blobs by field (e.g. attachmentIds, beforeAttachmentIds) → blob keys. */
  photos: Record<string, string[]>;
  /** Blob key → server file id, kept as each upload succeeds. */
  uploaded: Record<string, string>;
  status: 'pending' | 'failed';
  error?: string;
  attempts: number;
}

interface FieldDB extends DBSchema {
  outbox: { key: string; value: OutboxEntry };
  blobs: { key: string; value: Blob };
  cache: { key: string; value: unknown };
}

const dbp = openDB<FieldDB>('civicgrid-field', 1, {
  upgrade(db) {
    db.createObjectStore('outbox', { keyPath: 'id' });
    db.createObjectStore('blobs');
    db.createObjectStore('cache');
  },
});

const listeners = new Set<() => void>();
export function onOutboxChange(fn: () => void): () => void {
  listeners.add(fn);
  return () => {
    listeners.delete(fn);
  };
}
const changed = () => {
  for (const fn of listeners) fn();
};

export async function enqueue(
  entry: Omit<OutboxEntry, 'createdAt' | 'uploaded' | 'status' | 'attempts' | 'photos'>,
  photos: Record<string, Blob[]> = {},
) {
  const db = await dbp;
  const keys: Record<string, string[]> = {};
  const tx = db.transaction(['outbox', 'blobs'], 'readwrite');
  for (const [field, blobs] of Object.entries(photos)) {
    keys[field] = [];
    for (const b of blobs) {
      const k = newUuid();
      await tx.objectStore('blobs').put(b, k);
      keys[field].push(k);
    }
  }
  await tx.objectStore('outbox').put({
    ...entry,
    photos: keys,
    uploaded: {},
    createdAt: Date.now() + Math.random() / 1000,
    status: 'pending',
    attempts: 0,
  });
  await tx.done;
  changed();
}

export async function outbox(): Promise<OutboxEntry[]> {
  const all = await (await dbp).getAll('outbox');
  return all.sort((a, b) => a.createdAt - b.createdAt);
}

export async function saveEntry(e: OutboxEntry) {
  await (await dbp).put('outbox', e);
  changed();
}

export async function removeEntry(e: OutboxEntry) {
  const db = await dbp;
  const tx = db.transaction(['outbox', 'blobs'], 'readwrite');
  for (const k of Object.values(e.photos).flat()) await tx.objectStore('blobs').delete(k);
  await tx.objectStore('outbox').delete(e.id);
  await tx.done;
  changed();
}

export async function blob(key: string) {
  return (await dbp).get('blobs', key);
}

export async function cached<T>(key: string): Promise<T | undefined> {
  return (await (await dbp).get('cache', key)) as T | undefined;
}
export async function cache(key: string, value: unknown) {
  await (await dbp).put('cache', value, key);
}

/** A report the server has taken: its case number, kept by the local id it was made with. */
export interface SentReport {
  localId: string;
  caseId: string;
  code: string;
  status: string;
  sentAt: number;
}

/** Called by the sync loop when a report went through; the newest 200 are kept. */
export async function rememberSent(r: SentReport) {
  const all = (await cached<SentReport[]>('sent-reports')) ?? [];
  await cache('sent-reports', [r, ...all.filter((s) => s.localId !== r.localId)].slice(0, 200));
  changed();
}

export async function sentReports(): Promise<SentReport[]> {
  return (await cached<SentReport[]>('sent-reports')) ?? [];
}
