// Every request passes these in order; each handle is one concern (src/lib/server/hooks/).
import type { ServerInit } from '@sveltejs/kit';
import { sequence } from '@sveltejs/kit/hooks';
import { open } from '$lib/server/db/database';
import { installLogRedaction } from '$lib/server/logging';
import { startDeadlineNotices } from '$lib/server/notifications/deadlineJob';
import { privateCaching } from '$lib/server/hooks/caching';
import { compression } from '$lib/server/hooks/compression';
import { csrf } from '$lib/server/hooks/csrf';
import { observe } from '$lib/server/hooks/observe';
import { databaseFaultsHandle } from '$lib/server/hooks/faults';
import { bodyGuard, screenGate, signInGate } from '$lib/server/hooks/gates';
import { securityHeaders } from '$lib/server/hooks/headers';
import { session } from '$lib/server/hooks/session';

export { handleError } from '$lib/server/hooks/faults';

installLogRedaction();

// Open the database (and, on a fresh machine, start seeding the demo district) as the server
// starts, not on the first request, so the progress screen has something to show at once.
export const init: ServerInit = async () => {
	open().catch((e) => console.error('[db] could not open the database:', e));
	startDeadlineNotices();
};

// Refusals from an earlier handle skip the later ones: a cross-site post never reaches the session
// lookup, and the headers and caching apply to what the app itself rendered (as before the split).
// observe is first: its request id and access line cover every answer, the refusals included;
// compression next, so what every later handle answers leaves gzipped (the built files never come here).
export const handle = sequence(observe, compression, databaseFaultsHandle, csrf, session, signInGate, screenGate, bodyGuard, securityHeaders, privateCaching);
