// What the server knows of the demo seed: whether it has run, and how it reports progress. The
// generator itself (db/seed: 1.4k lines with d3-delaunay) is loaded only on a first start, by a
// dynamic import of its entry point, so the serving bundle does not carry it.
import type { Db } from './client';

export interface SeedProgress {
	phase: 'opening' | 'generating' | 'loading' | 'ready' | 'failed';
	done: number;
	total: number;
	message: string;
}

export type OnProgress = (p: SeedProgress) => void;

/** The 'seed' marker goes in last: a seed cut short reads as "not seeded" (db/seed/ensure.ts). */
export async function isSeeded(db: Db): Promise<boolean> {
	return (await db.sql`SELECT 1 FROM app_meta WHERE key = 'seed'`).length > 0;
}

/** Seeds the demo district when the database has none; true when it did. */
export async function seedIfEmpty(db: Db, onProgress: OnProgress = () => {}): Promise<boolean> {
	if (await isSeeded(db)) return false;
	const { ensureDemoDistrict } = await import('../../../../db/seed/ensure');
	return ensureDemoDistrict(db, onProgress);
}
