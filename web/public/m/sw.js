// The field app's service worker: the shell and its hashed assets are kept, so /m opens
// with no network; API calls always go to the network (the app keeps its own data).
const CACHE = 'civicgrid-m-v1';

self.addEventListener('install', (event) => {
  event.waitUntil(
    (async () => {
      const cache = await caches.open(CACHE);
      const res = await fetch('/m/', { cache: 'no-store' });
      const html = await res.clone().text();
      await cache.put('/m/', res);
      // The entry's scripts and styles, named in the shell.
      const assets = [...html.matchAll(/(?:src|href)="(\/assets\/[^"]+)"/g)].map((m) => m[1]);
      await cache.addAll([...new Set(assets), '/m/manifest.webmanifest', '/m/icon.svg', '/m/icon-192.png']);
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
    // The shell: fresh when online, the kept one when not.
    event.respondWith(
      fetch(event.request)
        .then(async (res) => {
          if (res.ok) await (await caches.open(CACHE)).put('/m/', res.clone());
          return res;
        })
        .catch(async () => (await caches.match('/m/')) ?? Response.error()),
    );
    return;
  }
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
