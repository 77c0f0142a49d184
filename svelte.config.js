import adapter from '@sveltejs/adapter-node';
import { vitePreprocess } from '@sveltejs/vite-plugin-svelte';

/** @type {import('@sveltejs/kit').Config} */
export default {
	preprocess: vitePreprocess(),
	kit: {
		adapter: adapter({ out: 'build' }),
		// the cross-site checks live in hooks.server.ts (src/lib/server/http/csrf.ts): they cover JSON as
		// well as forms, and exempt only Open311, whose clients prove themselves with an API key
		csrf: { checkOrigin: false },
		// the offline worker is registered by the app once the page has what it came for
		// (src/lib/components/offline/register.ts), not at `load`: its precache no longer races the map
		serviceWorker: { register: false },
		// Content-Security-Policy: scripts only from this server (SvelteKit adds hashes for its own
		// inline start-up script); MapLibre runs its workers from blob: URLs; styles may be inline
		// because Svelte's style: directives write style attributes.
		csp: {
			mode: 'hash',
			directives: {
				'default-src': ['self'],
				'script-src': ['self'],
				'style-src': ['self', 'unsafe-inline'],
				'img-src': ['self', 'data:', 'blob:'],
				'font-src': ['self', 'data:'],
				'connect-src': ['self'],
				// the offline service worker (src/service-worker.ts) and MapLibre's blob: workers
				'worker-src': ['self', 'blob:'],
				'manifest-src': ['self'],
				'child-src': ['self', 'blob:'],
				'object-src': ['none'],
				'base-uri': ['self'],
				'form-action': ['self'],
				'frame-ancestors': ['none']
			}
		}
	}
};
