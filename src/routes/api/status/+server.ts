// Seeding progress for the first-start screen: {phase, done, total, message, percent}.
import { open, progress } from '$lib/server/database';
import { api, jsonResponse } from '$lib/server/queries/http';

export const GET = api(async () => {
	open().catch(() => {}); // a fresh process starts opening (and seeding) on the first poll
	const p = progress();
	const percent = p.total > 0 ? Math.round((100 * p.done) / p.total) : 0;
	return jsonResponse({ ...p, percent, ready: p.phase === 'ready' }, 200, { 'cache-control': 'no-store' });
});
