import { HttpError, hasCsrf, patch, post, put, type Reply, request, setCsrf } from './api.js';
import { blob, type OutboxEntry, outbox, rememberSent, removeEntry, saveEntry } from './store.js';

/**
 * Sends the outbox in order. Each entry carries the key the server recognises a repeat by
 * (idempotencyKey, clientId, a phone-made patrol id, numbered points), and photos already
 * uploaded are remembered, so a send cut off halfway can simply be tried again: nothing is
 * lost and nothing arrives twice. A 4xx is the data's fault: the entry is marked failed
 * with the reason and the rest go on. No connection (or a 5xx): stop and try later.
 */
let running: Promise<void> | null = null;
let onAuthLost: () => void = () => {};
export function setAuthLostHandler(fn: () => void) {
  onAuthLost = fn;
}

async function upload(e: OutboxEntry, field: string): Promise<string[]> {
  const ids: string[] = [];
  for (const key of e.photos[field] ?? []) {
    let id = e.uploaded[key];
    if (!id) {
      const b = await blob(key);
      if (!b) throw new HttpError(400, '照片已丢失');
      const form = new FormData();
      form.append('file', b, 'photo.jpg');
      id = (await post<Reply<'POST /api/files'>>('/api/files', form)).id;
      e.uploaded[key] = id;
      await saveEntry(e);
    }
    ids.push(id);
  }
  return ids;
}

async function send(e: OutboxEntry) {
  const photos: Record<string, string[]> = {};
  for (const field of Object.keys(e.photos)) photos[field] = await upload(e, field);
  const b = e.body;
  switch (e.kind) {
    case 'case': {
      const selfResolve = b.selfResolve as Record<string, unknown> | undefined;
      const created = await post<Reply<'POST /api/cases'>>('/api/cases', {
        ...b,
        idempotencyKey: e.id,
        attachmentIds: photos.attachmentIds ?? [],
        ...(selfResolve
          ? {
              selfResolve: {
                ...selfResolve,
                beforeAttachmentIds: photos.beforeAttachmentIds ?? [],
                afterAttachmentIds: photos.afterAttachmentIds ?? [],
              },
            }
          : {}),
      });
      // The worker sees the case number on the receipt and in 我的上报.
      await rememberSent({
        localId: e.id,
        caseId: created.id,
        code: created.code,
        status: created.status,
        sentAt: Date.now(),
      });
      return;
    }
    case 'action':
      // Sent again after a lost reply, the same key makes it a no-op on the server.
      await post(
        `/api/cases/${b.caseId}/actions/${b.action}`,
        { ...(b.body as object), ...(photos.attachmentIds ? { attachmentIds: photos.attachmentIds } : {}) },
        { 'idempotency-key': e.id },
      );
      return;
    case 'visit':
      await post(`/api/care/cases/${b.caseId}/visits`, {
        ...(b.visit as object),
        clientId: e.id,
        photoIds: photos.photoIds ?? [],
      });
      return;
    case 'householdVisit':
      await post('/api/household-visits', { ...b, photoIds: photos.photoIds ?? [] });
      return;
    case 'patrolStart':
      await post('/api/patrols', b);
      return;
    case 'patrolPoints':
      await post(`/api/patrols/${b.patrolId}/points`, { points: b.points });
      return;
    case 'patrolEnd':
      await post(`/api/patrols/${b.patrolId}/end`, { endedAt: b.endedAt });
      return;
    case 'worklog':
      await put(`/api/worklogs/mine/${b.day}`, { notes: b.notes });
      return;
    case 'resident':
      await post('/api/residents', b);
      return;
    case 'settle':
      await put(`/api/residents/${b.residentId}/household`, {
        housingUnitId: b.housingUnitId,
        relationToHead: b.relationToHead,
      });
      return;
    case 'residentPatch':
      await patch(`/api/residents/${b.residentId}`, b.patch);
      return;
    case 'housingPatch':
      await patch(`/api/housing-units/${b.unitId}`, b.patch);
      return;
    case 'proxyApplication': {
      // 帮办代办: each material's photo (m<i>) and the signed form's (consent) as file ids.
      const materials = (b.materials as { name: string; provided: boolean }[]).map((m, i) => {
        const fileId = photos[`m${i}`]?.[0];
        return fileId ? { ...m, fileId } : m;
      });
      const consentFile = photos.consent?.[0];
      await post('/api/proxy-applications', {
        ...b,
        materials,
        consent: { ...(b.consent as object), ...(consentFile ? { fileId: consentFile } : {}) },
        idempotencyKey: e.id,
      });
      return;
    }
  }
}

async function drain() {
  const queue = await outbox();
  if (!queue.length) return;
  // Opened offline, the app may not know the session's CSRF token yet.
  if (!hasCsrf()) {
    try {
      setCsrf((await request('GET /api/me')).csrfToken);
    } catch (err) {
      if (err instanceof HttpError && err.status === 401) onAuthLost();
      return;
    }
  }
  for (const e of queue) {
    if (e.status === 'failed') continue;
    try {
      await send(e);
      await removeEntry(e);
    } catch (err) {
      if (err instanceof HttpError && err.status === 401) {
        onAuthLost();
        return;
      }
      if (
        err instanceof HttpError &&
        err.status >= 400 &&
        err.status < 500 &&
        err.status !== 408 &&
        err.status !== 429
      ) {
        await saveEntry({ ...e, status: 'failed', error: err.message, attempts: e.attempts + 1 });
        continue;
      }
      await saveEntry({ ...e, attempts: e.attempts + 1 });
      return; // offline or the server is down: later
    }
  }
}

export function syncNow(): Promise<void> {
  if (!navigator.onLine) return Promise.resolve();
  if (!running)
    running = drain().finally(() => {
      running = null;
    });
  return running;
}

export function startSync() {
  window.addEventListener('online', () => void syncNow());
  setInterval(() => void syncNow(), 15_000);
  void syncNow();
}

export async function retry(e: OutboxEntry) {
  await saveEntry({ ...e, status: 'pending', error: undefined });
  await syncNow();
}
