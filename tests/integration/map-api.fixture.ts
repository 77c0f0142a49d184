// A small synthetic district for the map's integration tests and local development: 2 streets ×
// 2 communities × 4 grids on a 0.1° square near Changsha, households, hazards, requests and a
// base map. Deterministic (seeded), so tests can compare exact counts.
import type { Db } from '../../src/lib/server/db/client';

export const FIX = {
	district: '430198',
	bbox: [112.9, 28.18, 113.0, 28.28] as [number, number, number, number],
	householdsPerGrid: 50,
	/** the fixture's "now": deadlines and visits are placed relative to it */
	now: new Date()
};

function rng(seed: number) {
	return () => ((seed = (seed * 1664525 + 1013904223) >>> 0) / 2 ** 32);
}

const square = (x: number, y: number, w: number, h: number) =>
	`SRID=4326;MULTIPOLYGON(((${x} ${y},${x + w} ${y},${x + w} ${y + h},${x} ${y + h},${x} ${y})))`;
const point = (x: number, y: number) => `SRID=4326;POINT(${x} ${y})`;
const DAY = 86_400_000;

/** Inserts the fixture into a migrated, empty database; returns the grid codes (west→east, north→south). */
export async function insertMapFixture(db: Db, households = FIX.householdsPerGrid): Promise<string[]> {
	const [x0, y0] = FIX.bbox;
	const d = FIX.district;
	await db.sql`INSERT INTO areas VALUES (${d}, 'district', '演示区', NULL, 'urban', ${square(x0, y0, 0.1, 0.1)}, ${point(x0 + 0.05, y0 + 0.05)})`;
	const grids: { code: string; x: number; y: number }[] = [];
	for (let s = 0; s < 2; s++) {
		const street = `${d}00${s + 1}`;
		const sx = x0 + s * 0.05;
		await db.sql`INSERT INTO areas VALUES (${street}, 'street', ${['东湖街道', '西岭街道'][s]}, ${d}, 'urban', ${square(sx, y0, 0.05, 0.1)}, ${point(sx + 0.025, y0 + 0.05)})`;
		for (let c = 0; c < 2; c++) {
			const community = `${street}00${c + 1}`;
			const cy = y0 + 0.05 - c * 0.05;
			const name = ['桃园社区', '柳塘社区', '枫林社区', '白沙村'][s * 2 + c];
			await db.sql`INSERT INTO areas VALUES (${community}, 'community', ${name}, ${street}, ${s ? 'rural' : 'urban'}, ${square(sx, cy, 0.05, 0.05)}, ${point(sx + 0.025, cy + 0.025)})`;
			for (let g = 0; g < 4; g++) {
				const gx = sx + (g % 2) * 0.025;
				const gy = cy + 0.025 - Math.floor(g / 2) * 0.025;
				const code = `${community}00${g + 1}`;
				await db.sql`INSERT INTO grids (code, community_code, name, geom, label_point)
					VALUES (${code}, ${community}, ${name + '第' + (g + 1) + '网格'}, ${square(gx, gy, 0.025, 0.025)}, ${point(gx + 0.0125, gy + 0.0125)})`;
				grids.push({ code, x: gx, y: gy });
			}
		}
	}
	await insertPeople(db, grids, households);
	await insertBasemap(db);
	await db.sql`INSERT INTO app_meta (key, value) VALUES ('seed', ${JSON.stringify({ fixture: 'map', synthetic: true })})`;
	return grids.map((g) => g.code);
}

async function insertPeople(db: Db, grids: { code: string; x: number; y: number }[], perGrid: number) {
	const r = rng(42);
	const now = FIX.now.getTime();
	await db.exec(`INSERT INTO categories (code, name) VALUES ('municipal', '市政设施');
		INSERT INTO categories (code, parent_code, name) VALUES ('streetlight', 'municipal', '路灯损坏')`);
	const hh: string[] = [];
	const tags = ['{}', '{}', '{}', '{elderly_alone}', '{low_income,disabled}', '{left_behind_child}'];
	let building = 0;
	for (const g of grids) {
		const [bx, by] = [g.x + 0.0125, g.y + 0.0125];
		await db.sql`INSERT INTO buildings (grid_code, name, kind, floors, geom) VALUES (${g.code}, '1栋', 'apartment', 6, ${point(bx, by)})`;
		building++;
		for (let i = 0; i < perGrid; i++) {
			const [x, y] = [g.x + 0.001 + r() * 0.023, g.y + 0.001 + r() * 0.023];
			const visit = r() < 0.6 ? new Date(now - r() * 200 * DAY).toISOString() : '\\N';
			const t = tags[Math.floor(r() * tags.length)];
			hh.push([building, g.code, `演示路${i + 1}号`, '张三华', '13812341234', '43010219900101123X', 3, t, visit, `SRID=4326;POINT(${x} ${y})`].join('\t'));
		}
	}
	await db.copyIn('households', ['building_id', 'grid_code', 'address', 'head_name', 'phone', 'id_number', 'size', 'tags', 'last_visit_at', 'geom'], hh.join('\n') + '\n');
	const statuses = ['reported', 'dispatched', 'accepted', 'resolved', 'closed', 'escalated'];
	for (let i = 0; i < grids.length * 6; i++) {
		const g = grids[i % grids.length];
		const status = statuses[i % statuses.length];
		const reported = new Date(now - (5 + r() * 20) * DAY);
		const deadline = new Date(reported.getTime() + (i % 3 === 0 ? 2 : 40) * DAY);
		const [x, y] = [g.x + 0.002 + r() * 0.02, g.y + 0.002 + r() * 0.02];
		// 接单 due a day after the report: a request still waiting for it (dispatched) is overdue by that
		const accept = new Date(reported.getTime() + DAY);
		await db.sql`INSERT INTO requests (code, category_code, channel, status, title, grid_code, reported_at, accept_deadline, resolve_deadline, address, geom)
			VALUES (${'SQ' + String(i).padStart(6, '0')}, 'streetlight', 'hotline_12345', ${status}, '路灯不亮', ${g.code}, ${reported}, ${accept}, ${deadline}, '演示路', ${point(x, y)})`;
	}
	for (let i = 0; i < grids.length * 2; i++) {
		const g = grids[i % grids.length];
		const found = new Date(now - 30 * DAY);
		const deadline = new Date(found.getTime() + (i % 2 ? 10 : 60) * DAY);
		await db.sql`INSERT INTO hazards (code, type, severity, status, title, grid_code, found_at, rectify_deadline, geom)
			VALUES (${'YH' + String(i).padStart(6, '0')}, 'gas', ${1 + (i % 4)}, ${i % 5 === 4 ? 'verified' : 'open'}, '燃气管道老化', ${g.code}, ${found}, ${deadline}, ${point(g.x + 0.005, g.y + 0.005 + (i % 3) * 0.004)})`;
	}
}

async function insertBasemap(db: Db) {
	const [x0, y0, x1, y1] = FIX.bbox;
	const rows: [string, string | null, string][] = [
		['land', null, square(x0 - 0.05, y0 - 0.05, 0.2, 0.2)],
		['water', '月亮湖', square(x0 + 0.06, y0 + 0.06, 0.012, 0.008)],
		['river', '清溪河', `SRID=4326;LINESTRING(${x0 - 0.05} ${y0 + 0.03},${x0 + 0.05} ${y0 + 0.045},${x1 + 0.05} ${y0 + 0.035})`],
		['park', '滨河公园', square(x0 + 0.02, y0 + 0.035, 0.01, 0.006)],
		['road_arterial', '人民大道', `SRID=4326;LINESTRING(${x0 - 0.05} ${y0 + 0.05},${x1 + 0.05} ${y0 + 0.05})`],
		['road_arterial', '解放路', `SRID=4326;LINESTRING(${x0 + 0.05} ${y0 - 0.05},${x0 + 0.05} ${y1 + 0.05})`],
		['road_local', '桃园路', `SRID=4326;LINESTRING(${x0 + 0.025} ${y0},${x0 + 0.025} ${y1})`],
		['place', '清溪镇', point(x0 + 0.07, y0 + 0.02)]
	];
	for (const [kind, name, geom] of rows) await db.sql`INSERT INTO basemap_features (kind, name, geom) VALUES (${kind}, ${name}, ${geom})`;
}
