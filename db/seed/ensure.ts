// Seeds the demo district into an empty database (first start) and leaves a seeded one alone.
import type { Db } from '../../src/lib/server/db';

export interface SeedProgress {
	phase: 'opening' | 'generating' | 'loading' | 'indexing' | 'ready' | 'failed';
	done: number;
	total: number;
	message: string;
}

export type OnProgress = (p: SeedProgress) => void;

export async function ensureDemoDistrict(db: Db, onProgress: OnProgress = () => {}): Promise<void> {
	const rows = await db.sql`SELECT value FROM app_meta WHERE key = 'seed'`;
	if (rows.length) return;
	onProgress({ phase: 'generating', done: 0, total: 1, message: '正在生成演示区县…' });
	throw new Error('demo district generator not written yet');
}
