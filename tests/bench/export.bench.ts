// Export and open-standards figures on the demo district: each format of the household register
// (time, bytes, and the heap's high-water mark above where it started, to show the stream never
// holds the whole file; run with NODE_OPTIONS=--expose-gc for a figure without garbage), an OGC API page of 10 000 requests, and an Open311 page of 1 000.
import { seedDemoDistrict } from '../../db/seed/ensure';
import { parseOpen311Query } from '../../src/lib/domain/open311';
import { parseItemsQuery } from '../../src/lib/domain/ogc';
import type { SessionUser } from '../../src/lib/server/auth/user';
import { openPglite } from '../../src/lib/server/db/client';
import { exportLayer } from '../../src/lib/server/export/export';
import { parseExportQuery } from '../../src/lib/server/export/layers';
import { migrate } from '../../src/lib/server/db/migrate';
import { collectionFor, readItems } from '../../src/lib/server/ogc/features';
import { listOpen311Requests } from '../../src/lib/server/open311/georeport';

const mib = (n: number) => `${(n / 1048576).toFixed(1)} MiB`;

export async function benchExport(households: number, print: (line: string) => void) {
	const db = await openPglite();
	await migrate(db);
	await seedDemoDistrict(db, { households, now: new Date('2026-11-21T00:00:00+08:00') });
	const [{ id }] = await db.sql<{ id: number }>`SELECT id FROM users WHERE role = 'admin' ORDER BY id LIMIT 1`;
	const admin: SessionUser = { id, username: 'bench', displayName: 'bench', role: 'admin', departmentId: null, title: null };
	for (const format of ['csv', 'geojson', 'xlsx'] as const) {
		global.gc?.();
		const base = process.memoryUsage().heapUsed;
		let peak = base;
		const t = performance.now();
		const file = await exportLayer(db, admin, 'households', parseExportQuery(new URLSearchParams(), null), format);
		let bytes = 0;
		for await (const chunk of file.body as unknown as AsyncIterable<Uint8Array>) {
			// every MiB sent: live objects only, not garbage waiting for a collection
			if (Math.floor((bytes + chunk.byteLength) / 1048576) > Math.floor(bytes / 1048576)) {
				global.gc?.();
				peak = Math.max(peak, process.memoryUsage().heapUsed);
			}
			bytes += chunk.byteLength;
		}
		const ms = performance.now() - t;
		print(`households.${format}: ${file.rows.toLocaleString()} rows, ${mib(bytes)} in ${(ms / 1000).toFixed(1)} s (${Math.round(file.rows / (ms / 1000)).toLocaleString()} rows/s); heap high-water +${mib(peak - base)}`);
	}
	let t = performance.now();
	const page = await readItems(db, collectionFor('requests', null), null, parseItemsQuery(new URLSearchParams('limit=10000')));
	print(`OGC requests items, limit 10000: ${page.features.length} of ${page.matched} in ${(performance.now() - t).toFixed(0)} ms`);
	t = performance.now();
	const rows = await listOpen311Requests(db, parseOpen311Query(new URLSearchParams('page_size=1000'), new Date('2026-11-21T00:00:00+08:00')));
	print(`Open311 requests.json, page_size 1000: ${rows.length} rows in ${(performance.now() - t).toFixed(0)} ms`);
	await db.close();
}
