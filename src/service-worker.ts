/// <reference no-default-lib="true"/>
/// <reference lib="esnext" />
/// <reference lib="webworker" />
/// <reference types="@sveltejs/kit" />
// The offline app (issue 16). SvelteKit registers this worker on every page served in a secure
// context (https, or localhost); over plain http the browser has no service worker and the app
// works online only (SecureContextNotice says so).
//
// - The app shell: every built file and static file (fonts, icons, the offline page) is precached at
//   install, under a cache named by the build's version, and served from there (they are hashed or
//   ship with the build). Older versions' caches go at activation.
// - Pages: network first. A few pages a grid worker needs in the field (OFFLINE_PAGES) are kept, with
//   their data (__data.json) and the map's grid outlines, in a data cache after each successful load,
//   and answered from it when the network is down; any other page answers the Chinese offline page.
// - /api: left to the network (no respondWith), except the map endpoints in OFFLINE_API and the
//   base map's building tiles, which are kept as they are seen (network first; at most TILE_LIMIT,
//   the oldest dropped first), so the streets a worker walked stay drawn offline.
// - Signing out (POST /logout) empties the data cache: the next person on this phone must not read
//   the last one's households.
import { build, files, version } from '$service-worker';

const sw = self as unknown as ServiceWorkerGlobalScope;

const SHELL_CACHE = `shell-${version}`;
/** Not versioned: what the worker last saw of its pages stays readable across a new deploy. */
const DATA_CACHE = 'offline-data-v1';
const OFFLINE_PAGE = '/offline.html';
/** The README's screenshot is no part of the app. */
const SHELL = [...build, ...files.filter((f) => !/^\/screenshot\.png$/.test(f))];
const SHELL_SET = new Set(SHELL);
/** Pages kept for offline reading and offline reports (path, exactly). */
const OFFLINE_PAGES = new Set(['/workspace', '/requests/new', '/hazards/new', '/outbox']);
/** API answers a kept page reads in the browser (the map of my grids and its base map). */
const OFFLINE_API = new Set(['/api/map/meta', '/api/map/grids', '/api/map/basemap']);
/** The building tiles (z15–16), kept apart: many small entries, trimmed to TILE_LIMIT. */
const TILE_CACHE = 'offline-tiles-v1';
const TILE_PREFIX = '/api/map/buildings/';
/** ~ a street's worth of walking around several grids; one tile is a few KB. */
const TILE_LIMIT = 600;

sw.addEventListener('install', (event) => {
	event.waitUntil(
		(async () => {
			const cache = await caches.open(SHELL_CACHE);
			await cache.addAll(SHELL);
			await sw.skipWaiting();
		})()
	);
});

sw.addEventListener('activate', (event) => {
	event.waitUntil(
		(async () => {
			for (const key of await caches.keys()) if (key.startsWith('shell-') && key !== SHELL_CACHE) await caches.delete(key);
			await sw.clients.claim();
		})()
	);
});

/** A kept page's path for `url`: the page itself, or its data (/workspace/__data.json). */
function keptPage(url: URL): string | null {
	const path = url.pathname.replace(/\/__data\.json$/, '') || '/';
	return OFFLINE_PAGES.has(path) ? path : null;
}

/**
 * Sign-outs seen by this worker. An answer that was on its way when someone signed out is not kept:
 * it belongs to the last person, and the next one must not read it.
 */
let signOuts = 0;
/**
 * Between a sign-out and the next sign-in nothing is kept: the last person's page may still be
 * asking (its map, its data) while the sign-out goes through.
 */
let signedOut = false;

/** Network first; a good answer is kept under `key`, and when the network fails the kept one answers. */
async function networkFirst(request: Request, key: string, fallback: () => Promise<Response>, cacheName = DATA_CACHE): Promise<Response> {
	const session = signOuts;
	try {
		const response = await fetch(request);
		// a redirect (to /login after the session ended) or an error page is never kept
		if (response.status === 200 && !response.redirected && response.type === 'basic') await keep(cacheName, key, response.clone(), session);
		return response;
	} catch {
		// caches.match does not make the cache: a miss after a sign-out leaves nothing behind
		return (await caches.match(key, { cacheName })) ?? fallback();
	}
}

/** Puts still being written: a sign-out waits for them (a few seconds at most) before it empties the caches. */
const writing = new Set<Promise<unknown>>();

/** Puts an answer in its cache, unless a sign-out came since it was asked for (or while it was written). */
async function keep(cacheName: string, key: string, response: Response, session: number): Promise<void> {
	if (session !== signOuts || signedOut) return;
	// registered in the same tick as the check: a sign-out from now on sees it and waits for it
	const put = (async () => {
		const cache = await caches.open(cacheName);
		await cache.put(key, response);
		if (cacheName === TILE_CACHE) await trim(cache, TILE_LIMIT);
	})();
	writing.add(put);
	try {
		await put;
	} catch {
		// not kept (the body broke off): the network's answer was still given to the page
	} finally {
		writing.delete(put);
		if (session !== signOuts) await caches.delete(cacheName);
	}
}

/** Empties what the last person saw, once the puts under way have ended (or after 10 s). */
async function forgetKeptPages(): Promise<void> {
	await Promise.race([Promise.allSettled([...writing]), new Promise((r) => setTimeout(r, 10_000))]);
	await Promise.all([caches.delete(DATA_CACHE), caches.delete(TILE_CACHE)]);
}

/** Drops the oldest entries beyond `limit` (Cache keys come back in insertion order). */
async function trim(cache: Cache, limit: number): Promise<void> {
	const keys = await cache.keys();
	for (const old of keys.slice(0, Math.max(0, keys.length - limit))) await cache.delete(old);
}

const offlinePage = async () =>
	(await caches.match(OFFLINE_PAGE)) ?? new Response('当前没有网络', { status: 503, headers: { 'content-type': 'text/plain; charset=utf-8' } });
const unavailable = () =>
	Response.json({ error: { code: 'offline', message: '当前没有网络，且没有离线副本' } }, { status: 503 });

sw.addEventListener('fetch', (event) => {
	const { request } = event;
	const url = new URL(request.url);
	if (url.origin !== sw.location.origin) return;
	if (request.method === 'POST' && url.pathname === '/logout') {
		// the tiles hold no one's data (buildings and road names), but what was walked is no one else's business
		signOuts++;
		signedOut = true;
		event.waitUntil(forgetKeptPages());
		return;
	}
	// a sign-in (the password form, the demo accounts): from now on pages are kept again
	if (request.method === 'POST' && url.pathname.startsWith('/login')) signedOut = false;
	if (request.method !== 'GET') return;

	if (SHELL_SET.has(url.pathname)) {
		event.respondWith(caches.match(url.pathname).then((hit) => hit ?? fetch(request)));
		return;
	}
	if (url.pathname.startsWith('/api/')) {
		// the grids' version tag (?v=) changes with the data: one copy per path is enough offline
		if (OFFLINE_API.has(url.pathname)) event.respondWith(networkFirst(request, url.pathname, async () => unavailable()));
		// a missing tile offline is an empty one (204): the map draws what it has and says nothing
		else if (url.pathname.startsWith(TILE_PREFIX)) event.respondWith(networkFirst(request, url.pathname, async () => new Response(null, { status: 204 }), TILE_CACHE));
		return;
	}
	const kept = keptPage(url);
	if (request.mode === 'navigate') {
		event.respondWith(kept ? networkFirst(request, kept, offlinePage) : fetch(request).catch(offlinePage));
	} else if (kept && url.pathname.endsWith('/__data.json')) {
		event.respondWith(networkFirst(request, `${kept}/__data.json`, async () => unavailable()));
	}
});
