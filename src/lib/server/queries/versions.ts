// Data versions: cheap fingerprints of the tables behind each map layer, plus a time bucket for
// what depends on now() (overdue flags, 90-day visit classes). Cache keys and ETags carry them,
// so any write (new request, status change, door knock) yields new tiles without anyone having
// to remember to invalidate a cache.
import type { Db, Queryable } from '../db/client';
import { scopeOf, systemOf, type UserDb } from '../access/userdb';
import type { Versions } from '../../domain/measures';
import { ident, sql } from '../db/sql';


/** How long a fingerprint is trusted before it is recomputed, ms. */
const TTL_MS = 15_000;
let last: { at: number; db: Db; value: Promise<Versions> } | null = null;

/** Fingerprints of whole tables, whoever asks: counted on the server's own connection. */
export function versions(asker: Queryable, now = Date.now()): Promise<Versions> {
	const db = systemOf(asker);
	if (last && last.db === db && now - last.at < TTL_MS) return last.value;
	const value = fingerprint(db, now);
	last = { at: now, db, value };
	value.catch(() => (last = null));
	return value;
}

async function fingerprint(db: Db, now: number): Promise<Versions> {
	// point layers: the write counter of 0009_scale.sql (bumped by a statement trigger on every
	// write) plus max(id) from the primary key, in case a bulk load ran with triggers off
	// (session_replication_role = replica); both O(1), whatever the table's size
	const counter = (layer: string) => sql`(SELECT concat_ws('.', ${sequenceValue(`data_version_${layer}`)}, max(id)) FROM ${ident(layer)})`;
	const [r] = await db.sql<Record<keyof Versions, string>>`SELECT
		${counter('households')} AS households,
		${counter('hazards')} AS hazards,
		${counter('requests')} AS requests,
		-- a redraw or a retirement (0021) moves valid_from/valid_to; NULL on a never-updated district
		(SELECT concat_ws('.', count(*) FILTER (WHERE valid_to IS NULL), sum(ST_NPoints(geom)), sum(hashtext(name)), max(greatest(valid_from, valid_to))) FROM grids) AS grids,
		(SELECT concat_ws('.', count(*), max(id), (SELECT count(*) FROM areas), (SELECT sum(hashtext(name)) FROM areas)) FROM basemap_features) AS basemap,
		${counter('buildings')} AS buildings`;
	const bucket = (ms: number) => Math.floor(now / ms).toString(36);
	return {
		households: `${hash(r.households)}-${bucket(3_600_000)}`,
		hazards: `${hash(r.hazards)}-${bucket(600_000)}`,
		requests: `${hash(r.requests)}-${bucket(600_000)}`,
		grids: hash(r.grids),
		basemap: hash(r.basemap),
		// a building tile carries household counts: a new household is a new building tile
		buildings: hash(`${r.buildings}|${r.households}`)
	};
}

/** A data-version sequence's position (last value and whether it was taken): O(1), never blocks. */
const sequenceValue = (name: string) => sql`(SELECT last_value || '.' || is_called FROM ${ident(name)})`;

/**
 * One data-version counter (0009, 0035, 0037: moved on by triggers), read on the server's own
 * connection: the app role may not read the sequences.
 */
export async function sequenceVersion(asker: Queryable, name: string): Promise<string> {
	const [row] = await systemOf(asker).sql<{ v: string }>`SELECT ${sequenceValue(name)} AS v`;
	return row.v;
}

/** Short, URL-safe stand-in for a fingerprint string (FNV-1a, 32 bit). */
function hash(s: string): string {
	let h = 0x811c9dc5;
	for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
	return (h >>> 0).toString(36);
}

/**
 * Whether two versions of a layer describe the same rows. They may still differ in their time
 * bucket (overdue flags, visit classes), which changes attribute bytes but not which row sits at
 * which index of a tile, so a click on an older tile still names the right row.
 */
export function sameRows(a: string, b: string): boolean {
	return a.split('-')[0] === b.split('-')[0];
}

/** Forget the fingerprint (tests, or a writer that wants its change visible at once). */
export function resetVersions(): void {
	last = null;
	tags.clear();
}

// ── per viewer ──────────────────────────────────────────────────────────────────────────────
// Answers cached by the browser for a day must never be reused for someone else on the same
// browser (a shared PC in a 社区 office): the ?v= a client puts in its URLs carries a tag of who
// asks and what they may see (role, jurisdiction, department, grids), so another user's URL, and
// the same user's after their grids change, is another URL. ETags carry the tag too.

const tags = new Map<string, { at: number; value: Promise<string> }>();
const MAX_TAGS = 10_000;

/** A short tag of the asker's scope: equal for two askers only when they see the same rows. */
export function scopeTag(asker: Queryable, now = Date.now()): Promise<string> {
	const scope = scopeOf(asker);
	const userId = 'userId' in asker ? (asker as UserDb).userId : null;
	const key = `${scope}:${userId ?? ''}`;
	const hit = tags.get(key);
	if (hit && now - hit.at < TTL_MS) return hit.value;
	if (tags.size >= MAX_TAGS) tags.clear();
	const value = (async () => {
		if (userId == null) return hash(scope);
		const [r] = await systemOf(asker).sql<{ fp: string | null }>`
			SELECT concat_ws('|', u.id, u.role, u.jurisdiction_code, u.department_id,
			  (SELECT string_agg(g.grid_code, ',' ORDER BY g.grid_code) FROM user_grids g WHERE g.user_id = u.id)) AS fp
			FROM users u WHERE u.id = ${userId}`;
		// admins and the screen share 'all': the same rows, so the same URLs are right for them
		return hash(scope === 'all' ? `all|${r?.fp?.split('|')[1] ?? ''}` : `${scope}|${r?.fp ?? ''}`);
	})();
	tags.set(key, { at: now, value });
	value.catch(() => tags.delete(key));
	return value;
}

/** The versions a viewer puts in URLs: the data version and the viewer's scope tag. */
export async function viewerVersions(asker: Queryable): Promise<Versions> {
	const [v, tag] = await Promise.all([versions(asker), scopeTag(asker)]);
	return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, `${x}~${tag}`])) as unknown as Versions;
}

/** Whether a URL's ?v= names the current data version for this very viewer. */
export const isCurrentFor = (v: string | null, version: string, tag: string): boolean => v === `${version}~${tag}`;
