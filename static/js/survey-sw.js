// Service worker for survey forms: a collaborator can open a form again without network.
//
// Served by surveys.collect.webform.service_worker (so its scope can cover the survey pages). The page
// sends the URLs to keep (itself, its form XML, the ODK bundle, the glue) in a `longdan-precache`
// message. Kept pages and form XML are answered from the network first and from the cache when the
// network is down; kept static files from the cache at once, refreshed in the background. Nothing
// else is stored, and POSTs (the responses) are never touched: the page keeps unsent responses itself.
const CACHE = 'longdan-survey-v1';

self.addEventListener('install', () => self.skipWaiting());

self.addEventListener('activate', (event) => {
  event.waitUntil(
    caches
      .keys()
      .then((names) =>
        Promise.all(
          names
            .filter((name) => name.startsWith('longdan-survey-') && name !== CACHE)
            .map((name) => caches.delete(name)),
        ),
      )
      .then(() => self.clients.claim()),
  );
});

async function keep(urls) {
  const cache = await caches.open(CACHE);
  await Promise.all(
    urls
      .filter((url) => new URL(url).origin === self.location.origin)
      .map(async (url) => {
        try {
          const response = await fetch(url, { credentials: 'same-origin', cache: 'no-cache' });
          if (response.ok) await cache.put(url, response);
        } catch {
          // offline right now: kept on the next visit
        }
      }),
  );
}

self.addEventListener('message', (event) => {
  const data = event.data || {};
  if (data.type === 'longdan-precache' && Array.isArray(data.urls)) {
    event.waitUntil(keep(data.urls));
  }
});

const isStatic = (url) => url.pathname.includes('/static/');

async function networkFirst(request, cached) {
  const cache = await caches.open(CACHE);
  try {
    const response = await fetch(request);
    if (response.ok) await cache.put(request, response.clone());
    return response;
  } catch (error) {
    if (cached) return cached;
    throw error;
  }
}

async function cacheFirst(request, cached) {
  const refresh = fetch(request)
    .then(async (response) => {
      if (response.ok) await (await caches.open(CACHE)).put(request, response.clone());
      return response;
    })
    .catch(() => null);
  return cached || (await refresh) || Response.error();
}

self.addEventListener('fetch', (event) => {
  const request = event.request;
  if (request.method !== 'GET') return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  event.respondWith(
    (async () => {
      const cache = await caches.open(CACHE);
      const cached = await cache.match(request, { ignoreVary: true });
      if (!cached) {
        // Not one of ours: straight to the network, as if there were no service worker.
        return fetch(request);
      }
      return isStatic(url) ? cacheFirst(request, cached) : networkFirst(request, cached);
    })(),
  );
});
