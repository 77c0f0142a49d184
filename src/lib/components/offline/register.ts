// Registers the offline worker (src/service-worker.ts) once the page has what it came for
// (issue 18, a first map visit ≤ 2 MB), instead of at `load` as SvelteKit does by default
// (kit.serviceWorker.register is off in svelte.config.js). Registered at `load`, the worker's
// install precached the whole app shell (~760 KiB br) while the map was still fetching its own
// chunks (maplibre, deck.gl: a chunk could cross the wire twice, once for the page and once for
// the precache, the HTTP cache not having it yet), and once it claimed the page the map's later
// requests were answered by it (the page's resource timing then has no transfer size for them).
// Nothing else changes: the same worker, the same scope, registered on every page; it claims the
// page at activation as before, so the first page works offline as soon as it is installed.
import { dev } from '$app/environment';

/** Waits a page asked for; each settles (or the cap runs out) before the worker is registered. */
const waits: Promise<unknown>[] = [];
/** The longest a page may hold the registration back, counted from `load`. */
const MAX_WAIT_MS = 60_000;

/** A page (the map) holds the registration back until `until` settles: call it from onMount. */
export function postponeServiceWorker(until: Promise<unknown>): void {
	waits.push(until);
}

/** Registers the worker after `load`, the pages' waits and an idle moment. From the root layout's onMount. */
export async function registerServiceWorker(): Promise<void> {
	if (!('serviceWorker' in navigator)) return; // not a secure context (plain http on the intranet)
	if (document.readyState !== 'complete') await new Promise((r) => addEventListener('load', r, { once: true }));
	const cap = new Promise((r) => setTimeout(r, MAX_WAIT_MS));
	// a wait added while the earlier ones ran (a page mounted late) is waited for too
	while (waits.length) await Promise.race([Promise.allSettled(waits.splice(0)), cap]);
	await new Promise((r) => ('requestIdleCallback' in window ? requestIdleCallback(r, { timeout: 2000 }) : setTimeout(r, 0)));
	try {
		await navigator.serviceWorker.register('/service-worker.js', { type: dev ? 'module' : 'classic' });
	} catch (e) {
		console.warn('离线功能未启用（service worker 注册失败）：', e);
	}
}
