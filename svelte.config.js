import adapter from '@sveltejs/adapter-node';
import { vitePreprocess } from '@sveltejs/vite-plugin-svelte';

/** @type {import('@sveltejs/kit').Config} */
export default {
	preprocess: vitePreprocess(),
	// the cross-site form check lives in src/lib/server/csrf.ts (hooks.server.ts): Open311 clients are exempt there
	kit: { adapter: adapter({ out: 'build' }), csrf: { checkOrigin: false } }
};
