// Writes a generated district into an empty, migrated database with COPY. Grids go in first (into
// staging tables: plain ones, since a PostgreSQL pool may run each step on another connection);
// communities, streets and the district are the PostGIS unions of their grids, so each level
// tiles the one above exactly.
import type { Db } from '../../src/lib/server/db/client';
import { CATEGORIES, DEPARTMENTS, DISTRICT, PARENT_CATEGORIES, defaultDeadlines } from './catalog';
import { riverPolygon, type XY } from './geography';
import type { DemoDistrict } from './generate';
import { verifyRequiredByDefault } from '../../src/lib/domain/verification';

export type Cell = string | number | boolean | null | undefined | string[] | Date;

/** COPY text format: tab-separated, \N for NULL, backslash escapes. */
export function tsv(rows: Iterable<Cell[]>): string {
	const out: string[] = [];
	for (const row of rows) out.push(row.map(cell).join('\t'));
	return out.length ? out.join('\n') + '\n' : '';
}

function cell(v: Cell): string {
	if (v === null || v === undefined) return '\\N';
	if (v instanceof Date) return v.toISOString();
	if (Array.isArray(v)) return escape(`{${v.map((s) => `"${s.replace(/["\\]/g, '\\$&')}"`).join(',')}}`);
	return escape(String(v));
}

const NEEDS_ESCAPE = /[\\\t\n\r]/;
function escape(s: string): string {
	if (!NEEDS_ESCAPE.test(s)) return s;
	return s.replace(/[\\\t\n\r]/g, (c) => ({ '\\': '\\\\', '\t': '\\t', '\n': '\\n', '\r': '\\r' })[c]!);
}

// Points go in as hex EWKB: PostGIS parses it about twice as fast as WKT text.
const ewkb = Buffer.alloc(25);
ewkb.writeUInt8(1, 0); // little endian
ewkb.writeUInt32LE(0x20000001, 1); // Point with SRID
ewkb.writeUInt32LE(4326, 5);
function pointHex([x, y]: XY): string {
	ewkb.writeDoubleLE(x, 9);
	ewkb.writeDoubleLE(y, 17);
	return ewkb.toString('hex');
}

const CHUNK_ROWS = 20_000;

/**
 * COPY in chunks, giving the event loop a turn between them: on a first start the server keeps
 * answering the progress screen while PGlite (which runs on this thread) loads the district.
 */
export async function copyMany<T>(db: Db, table: string, columns: string[], items: readonly T[], toRow: (item: T) => Cell[]) {
	for (let i = 0; i < items.length; i += CHUNK_ROWS) {
		await db.copyIn(table, columns, tsv(items.slice(i, i + CHUNK_ROWS).map(toRow)));
		await new Promise((resolve) => setImmediate(resolve));
	}
}

const iso = (ms: number | null | undefined) => (ms ? new Date(Math.round(ms)).toISOString() : null);

export const HOUSEHOLD_COLUMNS = ['id', 'building_id', 'grid_code', 'address', 'head_name', 'phone', 'id_number', 'size', 'tags', 'last_visit_at', 'geom'];

/** A household as a COPY row in HOUSEHOLD_COLUMNS order (the benchmark loads the same rows by plain COPY). */
export function householdRow(d: DemoDistrict): (h: DemoDistrict['households'][number]) => Cell[] {
	return (h) => [h.id, h.building, d.geo.grids[h.grid].code, h.address, h.headName, h.phone, h.idNumber, h.size, h.tags, iso(d.lastVisit[h.id]), pointHex(d.geo.toLonLat(h.p))];
}

/** The load, as named steps, so the caller can report progress between them. */
export function loadSteps(db: Db, d: DemoDistrict): [string, () => Promise<unknown>][] {
	const { geo, people } = d;
	const lonLat = (p: XY) => geo.toLonLat(p).join(' ');
	const pt = (p: XY) => pointHex(geo.toLonLat(p));
	const polygon = (r: XY[]) => `SRID=4326;MULTIPOLYGON(((${r.map(lonLat).join(',')})))`;
	const line = (l: XY[]) => `SRID=4326;LINESTRING(${l.map(lonLat).join(',')})`;
	const union = `ST_Multi(ST_Union(g.geom))`;
	const areaInsert = `INSERT INTO areas (code, level, name, parent_code, setting, geom, label_point)`;

	return [
		['行政区划与网格', async () => {
			await db.exec(`CREATE TABLE seed_grids (code text, community_code text, street_code text, name text, setting text, geom geometry(MultiPolygon, 4326));
				CREATE TABLE seed_areas (code text, name text, parent_code text, setting text)`);
			await db.copyIn('seed_grids', ['code', 'community_code', 'street_code', 'name', 'setting', 'geom'], tsv(geo.grids.map((g) => {
				const c = geo.communities[g.community];
				return [g.code, c.code, geo.streets[c.street].code, g.name, g.setting, polygon(g.ring)];
			})));
			await db.copyIn('seed_areas', ['code', 'name', 'parent_code', 'setting'], tsv([
				...geo.streets.map((s) => [s.code, s.name, DISTRICT.code, s.setting]),
				...geo.communities.map((c) => [c.code, c.name, geo.streets[c.street].code, c.setting])
			]));
			await db.query(`${areaInsert} SELECT $1, 'district', $2, NULL, 'urban', ${union}, ST_PointOnSurface(ST_Union(g.geom)) FROM seed_grids g`, [DISTRICT.code, `${DISTRICT.name}（演示）`]);
			for (const [level, key] of [['street', 'street_code'], ['community', 'community_code']]) {
				await db.exec(`${areaInsert} SELECT a.code, '${level}', a.name, a.parent_code, a.setting, ${union}, ST_PointOnSurface(ST_Union(g.geom))
					FROM seed_areas a JOIN seed_grids g ON g.${key} = a.code GROUP BY a.code, a.name, a.parent_code, a.setting`);
			}
		}],
		['部门、类别与人员', async () => {
			await db.copyIn('departments', ['id', 'code', 'name'], tsv(DEPARTMENTS.map((dep, i) => [i + 1, dep.code, dep.name])));
			await db.copyIn('users', ['id', 'username', 'display_name', 'role', 'title', 'department_id', 'phone'],
				tsv(people.users.map((u) => [u.id, u.username, u.displayName, u.role, u.title, u.department, u.phone])));
			// the district's leaders see the whole district; one street leader (街道书记) sees only their street
			await db.query(`UPDATE users SET jurisdiction_code = $1 WHERE role = 'leader'`, [DISTRICT.code]);
			await db.exec(`INSERT INTO users (id, username, display_name, role, title, jurisdiction_code)
				SELECT (SELECT max(id) + 1 FROM users), 'leader_street', '罗建平', 'leader', name || '党工委书记', code
				  FROM areas WHERE level = 'street' ORDER BY code LIMIT 1`);
			await db.exec(`INSERT INTO grids (code, community_code, name, manager_id, geom, label_point)
				SELECT g.code, g.community_code, g.name, u.id, g.geom, ST_PointOnSurface(g.geom) FROM seed_grids g JOIN users u ON u.username = 'wg' || g.code;
				INSERT INTO user_grids (user_id, grid_code) SELECT manager_id, code FROM grids;
				DROP TABLE seed_grids; DROP TABLE seed_areas`);
			await db.copyIn('categories', ['code', 'parent_code', 'name', 'nature', 'department_id', 'verify_required'], tsv([
				...PARENT_CATEGORIES.map((c) => [c.code, null, c.name, 'request', null, false]),
				...CATEGORIES.map((c) => [c.code, c.parent, c.name, c.nature, DEPARTMENTS.findIndex((x) => x.code === c.dept) + 1, verifyRequiredByDefault(c.code, c.parent)])
			]));
			await db.copyIn('deadline_rules', ['category_code', 'priority', 'accept_working_days', 'resolve_working_days', 'whistle_report_hours'],
				tsv(CATEGORIES.flatMap((c) => (['normal', 'urgent'] as const).map((p) => {
					const dl = defaultDeadlines(c.nature, p);
					return [c.code, p, dl.accept, dl.resolve, dl.whistleHours];
				}))));
			await db.copyIn('leader_pairings', ['leader_id', 'target_kind', 'area_code', 'name', 'geom'],
				tsv(people.pairings.map((p) => [p.leader, p.kind, p.areaCode, p.name, p.p && pt(p.p)])));
		}],
		['居民楼与住户', async () => {
			await copyMany(db, 'buildings', ['id', 'grid_code', 'name', 'kind', 'floors', 'geom'], d.buildings,
				(b) => [b.id, geo.grids[b.grid].code, b.name, b.kind, b.floors, pt(b.p)]);
			await copyMany(db, 'households', HOUSEHOLD_COLUMNS, d.households, householdRow(d));
		}],
		['敲门走访记录', () => copyMany(db, 'door_knocks', ['household_id', 'visitor_id', 'visited_at'], d.knocks, (k) => [k.household, k.visitor, iso(k.at)])],
		['关爱走访记录', () => copyMany(db, 'care_visits', ['household_id', 'visitor_id', 'visited_at', 'situation', 'help_kind', 'help_text', 'next_step'], d.careVisits,
			(v) => [v.household, v.visitor, iso(v.at), v.situation, v.helpKind, v.helpText, v.nextStep])],
		['隐患', () => copyMany(db, 'hazards', ['id', 'code', 'type', 'severity', 'status', 'title', 'grid_code', 'building_id', 'found_at', 'rectify_deadline', 'rectified_at', 'reinspect_deadline', 'reinspected_at', 'geom'],
			d.hazards, (h) => [h.id, h.code, h.type, h.severity, h.status, h.title, geo.grids[h.grid].code, h.building, iso(h.foundAt), iso(h.rectifyDeadline), iso(h.rectifiedAt), iso(h.reinspectDeadline), iso(h.reinspectedAt), pt(h.p)])],
		['领导走访', async () => {
			await db.copyIn('visits', ['id', 'leader_id', 'title', 'visit_type', 'unannounced', 'status', 'planned_date', 'started_at', 'finished_at', 'route', 'findings', 'decisions'],
				tsv(d.visits.map((v) => [v.id, v.leader, v.title, v.type, v.unannounced, 'done', iso(v.date)!.slice(0, 10), iso(v.startedAt), iso(v.finishedAt), v.stops.length > 1 ? line(v.stops.map((s) => s.p)) : null, v.findings, v.decisions])));
			await db.copyIn('visit_stops', ['visit_id', 'seq', 'grid_code', 'name', 'purpose', 'arrive_at', 'depart_at', 'geom'],
				tsv(d.visits.flatMap((v) => v.stops.map((s, i) => [v.id, i + 1, geo.grids[s.grid].code, s.name, s.purpose, iso(s.arrive), iso(s.depart), pt(s.p)]))));
		}],
		['诉求与流转记录', async () => {
			await copyMany(db, 'requests', ['id', 'code', 'kind', 'category_code', 'channel', 'status', 'priority', 'title', 'description', 'grid_code', 'department_id', 'household_id', 'reporter_name', 'address',
				'reported_at', 'dispatched_at', 'accepted_at', 'resolved_at', 'evaluated_at', 'closed_at', 'accept_deadline', 'resolve_deadline', 'satisfaction', 'solved', 'reopen_count', 'leader_id', 'mediator_id', 'visit_id', 'claimed_by', 'version', 'geom'],
				d.requests, (r) => [r.id, r.code, r.kind, r.category, r.channel, r.status, r.priority, r.title, r.description, geo.grids[r.grid].code, r.department, r.household, r.reporterName, r.address,
					iso(r.stamps.reported), iso(r.stamps.dispatched), iso(r.stamps.accepted), iso(r.stamps.resolved), iso(r.stamps.evaluated), iso(r.stamps.closed), iso(r.acceptDeadline), iso(r.resolveDeadline),
					r.satisfaction, r.solved, r.reopenCount, r.leader, r.mediator, r.visit, r.claimedBy, r.events.length, pt(r.p)]);
			await copyMany(db, 'request_events', ['request_id', 'from_status', 'to_status', 'action', 'actor_id', 'department_id', 'at', 'reason', 'payload'],
				d.requests.flatMap((r) => r.events.map((e) => [r.id, e] as const)), ([id, e]) => [id, e.from, e.to, e.action, e.actor, e.department, iso(e.at), e.reason, e.payload]);
			await db.copyIn('whistle_summons', ['request_id', 'department_id', 'summoned_at', 'deadline', 'checked_in_at'],
				tsv(d.requests.flatMap((r) => r.whistles.map((s) => [r.id, s.department, iso(s.whistledAt), iso(s.deadline), iso(s.checkedInAt)]))));
		}],
		['底图要素', async () => {
			const features: Cell[][] = [
				['river', '清溪河', `SRID=4326;POLYGON((${riverPolygon(geo.river).map(lonLat).join(',')}))`],
				...geo.lakes.map((l, i) => ['water', ['白鹭湖水库', '金田水库'][i], `SRID=4326;POLYGON((${l.map(lonLat).join(',')}))`]),
				...geo.roads.map((r) => [r.kind, r.name, line(r.line)]),
				...geo.streets.filter((s) => s.setting === 'rural').map((s) => ['place', `${s.name}人民政府`, pt(s.center)]),
				['place', '区人民政府', pt([800, 900])]
			];
			await db.copyIn('basemap_features', ['kind', 'name', 'geom'], tsv(features));
			// land: the district and a margin around it, so the map is not an island in the void
			await db.exec(`INSERT INTO basemap_features (kind, name, geom)
				SELECT 'land', NULL, ST_Expand(ST_Envelope(geom), 0.05) FROM areas WHERE level = 'district'`);
		}],
		['建立索引与统计', async () => {
			for (const t of ['users', 'departments', 'buildings', 'households', 'hazards', 'requests', 'visits']) {
				await db.query(`SELECT setval(pg_get_serial_sequence('${t}', 'id'), (SELECT coalesce(max(id), 1) FROM ${t}))`);
			}
			await db.exec('ANALYZE');
		}]
	];
}
