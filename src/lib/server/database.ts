// The process-wide database: opened once, migrated, and seeded with the demo district on a
// fresh machine. Pages and endpoints call `ready()`; while the first start is seeding they get
// `SeedingError` and show `progress()` instead of the map.
import { openConfigured, type Db } from './db';
import { migrate } from './migrate';
import { ensureDemoDistrict, type SeedProgress } from '../../../db/seed/ensure';

let opening: Promise<Db> | null = null;
let seeding: Promise<void> | null = null;
let current: SeedProgress = { phase: 'opening', done: 0, total: 1, message: '正在打开数据库…' };
let failure: Error | null = null;

export class SeedingError extends Error {
	constructor(public progress: SeedProgress) {
		super(`数据准备中：${progress.message}`);
	}
}

/** Opens and migrates the database; starts seeding in the background when it is empty. */
export function open(): Promise<Db> {
	opening ??= (async () => {
		const db = await openConfigured();
		await migrate(db);
		seeding = ensureDemoDistrict(db, (p) => (current = p)).then(
			() => {
				current = { phase: 'ready', done: 1, total: 1, message: '就绪' };
			},
			(e: Error) => {
				failure = e;
				current = { phase: 'failed', done: 0, total: 1, message: `演示数据生成失败：${e.message}` };
				console.error('[seed] failed:', e);
			}
		);
		return db;
	})();
	return opening;
}

/** The database once the demo district is in place; throws SeedingError before that. */
export async function ready(): Promise<Db> {
	const db = await open();
	if (current.phase !== 'ready') throw new SeedingError(current);
	return db;
}

/** Waits for seeding to finish (CLI and tests). */
export async function whenSeeded(): Promise<Db> {
	const db = await open();
	await seeding;
	if (failure) throw failure;
	return db;
}

export function progress(): SeedProgress {
	return current;
}
