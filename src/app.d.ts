// See https://svelte.dev/docs/kit/types#app.d.ts
import type { SessionUser } from '$lib/server/auth/user';
import type { MapArea } from '$lib/domain/maparea';

declare global {
	/** package.json's version, put in at build time (vite.config.ts) */
	const __APP_VERSION__: string;
	namespace App {
		interface Error {
			message: string;
			code?: string;
			field?: string;
		}
		interface Locals {
			/** who is signed in (hooks.server.ts), or null for an anonymous visitor */
			user: SessionUser | null;
		}
		interface PageData {
			/** where the signed-in user works: every map's first view and scope (+layout.server.ts) */
			mapArea?: MapArea | null;
		}
	}
}
export {};
