/* Service worker: precache the app shell, serve every navigation from it, never cache the API. */
importScripts('/static/vendor/workbox/workbox-sw.js');
importScripts('/static/precache-manifest.js');

// debug:false so localhost does not pull the (unvendored) dev builds.
workbox.setConfig({modulePathPrefix: '/static/vendor/workbox/', debug: false});

const {precacheAndRoute, cleanupOutdatedCaches, createHandlerBoundToURL} = workbox.precaching;
const {registerRoute, NavigationRoute} = workbox.routing;
const {NetworkOnly} = workbox.strategies;

// Install waits for every file; one failure fails the install and the old version stays in charge.
precacheAndRoute(self.__XJ_PRECACHE, {ignoreURLParametersMatching: [/.*/]});
cleanupOutdatedCaches();

// The API is always live: records must reach the server or fail visibly, never come from a cache.
// (Writes are not routed at all: the browser sends them straight to the network.)
registerRoute(({url}) => url.pathname.startsWith('/api/'), new NetworkOnly());

// /, /d/GZ3K7M2Q, /scan ... all open the cached shell, so deep links work in a basement.
// The office pages (online only) come from the server's computed manifest: one list, pwa/precache.py.
const officePages = (self.__XJ_OFFICE_PAGES || []).map((name) => new RegExp(`^/${name}(?:/|$)`));
registerRoute(new NavigationRoute(createHandlerBoundToURL('/static/index.html'), {
  denylist: [/^\/api\//, /^\/static\//, ...officePages],
}));

// Only the page decides when the new version takes over (never under a half-filled checklist).
self.addEventListener('message', (event) => {
  if (event.data && event.data.type === 'SKIP_WAITING') self.skipWaiting();
});
