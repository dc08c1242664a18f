// The field app's service worker: from the moment it installs it keeps the shell, what the
// shell names, and every chunk the app loads later (the screens past the first, listed by the
// build in /m/precache.json: web/vite.m.config.ts), so /m opens and every screen works with
// no network, even one never opened online. API calls always go to the network (the app keeps
// its own data). v2: the screens became chunks; the new name replaces v1's cache, which held
// only what the shell named.
const CACHE = 'civicgrid-m-v2';
const unhashed = ['/m/manifest.webmanifest', '/m/icon.svg', '/m/icon-192.png'];

/** What a build's shell needs: the files it names and the build's list of later chunks. */
async function filesOf(html) {
  const named = [...html.matchAll(/(?:src|href)="(\/assets\/[^"]+)"/g)].map((m) => m[1]);
  const res = await fetch('/m/precache.json', { cache: 'no-store' });
  if (!res.ok) throw new Error(`/m/precache.json: HTTP ${res.status}`);
  const { files } = await res.json();
  return new Set([...named, ...files]);
}

/**
 * Keeps a shell with every file it may ask for, or not at all: the shell is stored last, so
 * the kept shell never names a file that is not kept. Then the files of earlier builds go
 * (a chunk kept only because it was fetched online, the map, is fetched again when next
 * used, online, as it needs the network anyway).
 */
async function keep(shell) {
  const cache = await caches.open(CACHE);
  const files = await filesOf(await shell.clone().text());
  const missing = [];
  // Hashed names never change content: what is kept already is not fetched again.
  for (const f of files) if (!(await cache.match(f))) missing.push(f);
  await cache.addAll([...missing, ...unhashed]);
  await cache.put('/m/', shell);
  for (const req of await cache.keys()) {
    const path = new URL(req.url).pathname;
    if (path.startsWith('/assets/') && !files.has(path)) await cache.delete(req);
  }
}

/** A shell fetched online: kept with its build's files if it is not the one kept already. */
async function follow(shell) {
  const kept = await caches.match('/m/');
  if (kept && (await kept.text()) === (await shell.clone().text())) return;
  await keep(shell);
}

self.addEventListener('install', (event) => {
  // Installed only with everything kept: a worker that could not serve a screen offline
  // does not take over (the browser tries again at the next visit).
  event.waitUntil(
    (async () => {
      const shell = await fetch('/m/', { cache: 'no-store' });
      if (!shell.ok) throw new Error(`/m/: HTTP ${shell.status}`);
      await keep(shell);
      await self.skipWaiting();
    })(),
  );
});

self.addEventListener('activate', (event) => {
  event.waitUntil(
    (async () => {
      for (const key of await caches.keys()) if (key !== CACHE) await caches.delete(key);
      await self.clients.claim();
    })(),
  );
});

self.addEventListener('fetch', (event) => {
  const url = new URL(event.request.url);
  if (event.request.method !== 'GET' || url.origin !== location.origin || url.pathname.startsWith('/api/'))
    return;
  if (event.request.mode === 'navigate') {
    // The shell: fresh when online — and a new build's shell is kept with its chunks (sw.js
    // does not change with a build, so no new worker would come to fetch them) — the kept
    // one when not.
    event.respondWith(
      (async () => {
        try {
          const res = await fetch(event.request);
          if (res.ok && res.headers.get('content-type')?.startsWith('text/html'))
            event.waitUntil(follow(res.clone()).catch(() => undefined));
          return res;
        } catch {
          return (await caches.match('/m/')) ?? Response.error();
        }
      })(),
    );
    return;
  }
  // The build's list is read fresh by keep(), never from here.
  if (url.pathname === '/m/precache.json') return;
  if (url.pathname.startsWith('/assets/') || url.pathname.startsWith('/m/')) {
    // Hashed assets never change: the kept copy, else the network (and keep it).
    event.respondWith(
      caches.match(event.request).then(
        (hit) =>
          hit ??
          fetch(event.request).then(async (res) => {
            if (res.ok) await (await caches.open(CACHE)).put(event.request, res.clone());
            return res;
          }),
      ),
    );
  }
});
