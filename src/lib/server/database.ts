// The process-wide database: opened once, migrated, and seeded with the demo district on a
// fresh machine. Pages and endpoints call `ready()`; while the first start is seeding they get
// `SeedingError` and show `progress()` instead of the map.
import type { Db } from './db';
import { openForServing } from './connect';
import type { SeedProgress } from '../../../db/seed/ensure';

interface State {
	opening: Promise<Db> | null;
	seeding: Promise<void> | null;
	current: SeedProgress;
	failure: Error | null;
}
// On globalThis, not in module scope: `vite dev` re-evaluates server modules after an edit, and a
// second PGlite opened on the same ./data folder would corrupt it.
const state: State = ((globalThis as { __gridDatabase?: State }).__gridDatabase ??= {
	opening: null,
	seeding: null,
	current: { phase: 'opening', done: 0, total: 1, message: '正在打开数据库…' },
	failure: null
});

export class SeedingError extends Error {
	constructor(public progress: SeedProgress) {
		super(`数据准备中：${progress.message}`);
	}
}

/** Opens and migrates the database; starts seeding in the background when it is empty. */
export function open(): Promise<Db> {
	state.opening ??= (async () => {
		// owner connection: migrate + first seed, then closed; db: the serving role (connect.ts)
		const { db, seeding } = await openForServing(process.env, (p) => (state.current = p));
		state.seeding = seeding.then(
			() => {
				state.current = { phase: 'ready', done: 1, total: 1, message: '就绪' };
			},
			(e: Error) => {
				state.failure = e;
				state.current = { phase: 'failed', done: 0, total: 1, message: `演示数据生成失败：${e.message}` };
				console.error('[seed] failed:', e);
			}
		);
		return db;
	})();
	return state.opening;
}

/** The database once the demo district is in place; throws SeedingError before that. */
export async function ready(): Promise<Db> {
	const db = await open();
	if (state.current.phase !== 'ready') throw new SeedingError(state.current);
	return db;
}

export function progress(): SeedProgress {
	return state.current;
}
