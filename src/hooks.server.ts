import type { ServerInit } from '@sveltejs/kit';
import { open } from '$lib/server/database';

// Open the database (and, on a fresh machine, start seeding the demo district) as the server
// starts, not on the first request, so the progress screen has something to show at once.
export const init: ServerInit = async () => {
	open().catch((e) => console.error('[db] could not open the database:', e));
};
