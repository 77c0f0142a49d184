// Several photos per request (0016) on both back ends: a report with photos, the limits (count,
// size, type) refused naming the field with nothing written, the 处置前/处置后 pair at 接单 and
// 办结, idempotent retries, and who may read them (row-level security).
import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { PHOTO_MAX_BYTES, PHOTO_MAX_COUNT } from '../../src/lib/domain/photos';
import { parseNewRequest } from '../../src/lib/domain/requestinput';
import type { Actor } from '../../src/lib/domain/workflow';
import { asUser } from '../../src/lib/server/access/userdb';
import type { Queryable } from '../../src/lib/server/db/client';
import { requestDetail } from '../../src/lib/server/requests/detail';
import { photosFromBody } from '../../src/lib/server/requests/http';
import { listPhotos, photoDir, readPhoto } from '../../src/lib/server/requests/photos';
import { reportRequest, requestPhoto, type Photo } from '../../src/lib/server/requests/report';
import { moveRequest } from '../../src/lib/server/requests/transition';
import { describeBackends, unique } from './helpers/backends';
import { insertLoopFixture, loopActors, RL, type People } from './requests.fixture';

const NOW = new Date('2025-06-02T02:00:00Z');
const previousDataDir = process.env.DATA_DIR;
process.env.DATA_DIR = mkdtempSync(path.join(tmpdir(), 'photos-test-'));
afterAll(() => {
	process.env.DATA_DIR = previousDataDir;
});

/** A photo of `n` bytes whose content says which one it is. */
const photo = (tag: string, n = 64, type = 'image/jpeg'): Photo => {
	const bytes = new Uint8Array(n);
	bytes.set(new TextEncoder().encode(tag).slice(0, n));
	return { type, bytes };
};
const files = () => readdirSync(photoDir()).length;

describeBackends('request photos', (getDb) => {
	let p: People;
	let admin: Actor, zj: Actor, gmA: Actor, gmB: Actor;
	beforeAll(async () => {
		p = await insertLoopFixture(getDb(), NOW);
		({ admin, zj, gmA, gmB } = loopActors(p));
	});

	const input = (extra: Record<string, unknown> = {}) =>
		parseNewRequest({ categoryCode: 'property.elevator', description: '3栋电梯停运', lon: RL.pointA[0], lat: RL.pointA[1], ...extra });
	const report = (photos: Photo | Photo[] | null, key: string | null = null) => reportRequest(asUser(getDb(), gmA), gmA, input(), photos, key, NOW);
	const move = async (id: number, actor: Actor, action: string, photos: Photo[] = [], extra: Record<string, unknown> = {}) => {
		const [{ version }] = await getDb().sql<{ version: number }>`SELECT version FROM requests WHERE id = ${id}`;
		return moveRequest(asUser(getDb(), actor), actor, { requestId: id, action, version, now: NOW, photos, ...extra });
	};
	const bytesOf = async (db: Queryable, id: number, photoId: number) => new TextDecoder().decode((await readPhoto(db, id, photoId))!.bytes).replace(/\0+$/, '');

	it('a report keeps several photos, in order, each readable; the first is also the request\'s one photo', async () => {
		const r = await report([photo('one'), photo('two', 80, 'image/png'), photo('three', 90, 'image/webp')]);
		const db = asUser(getDb(), gmA);
		const photos = await listPhotos(db, r.id);
		expect(photos.map((x) => x.kind)).toEqual(['report', 'report', 'report']);
		expect(await Promise.all(photos.map((x) => bytesOf(db, r.id, x.id)))).toEqual(['one', 'two', 'three']);
		const [row] = await getDb().sql`SELECT type, bytes, created_by, e.action FROM request_photos p JOIN request_events e ON e.id = p.event_id WHERE p.id = ${photos[1].id}`;
		expect(row).toMatchObject({ type: 'image/png', bytes: 80, created_by: p.gmA, action: 'report' });
		// the older single-photo endpoint answers the first photo
		const legacy = await requestPhoto(db, r.id);
		expect(new TextDecoder().decode(legacy!.bytes).replace(/\0+$/, '')).toBe('one');
		const detail = await requestDetail(db, r.id);
		expect(detail!.photos).toHaveLength(3);
		expect(detail!.hasPhoto).toBe(true);
	});

	it('an older request with only photo_path stays readable; one without photos has none', async () => {
		const old = await report(photo('legacy'));
		// as before 0016: the photo in requests.photo_path only
		await getDb().sql`DELETE FROM request_photos WHERE request_id = ${old.id}`;
		const db = asUser(getDb(), gmA);
		expect(new TextDecoder().decode((await requestPhoto(db, old.id))!.bytes).replace(/\0+$/, '')).toBe('legacy');
		expect((await requestDetail(db, old.id))!.photos).toEqual([]);
		const none = await report(null);
		expect(await listPhotos(db, none.id)).toEqual([]);
		expect(await requestPhoto(db, none.id)).toBeNull();
	});

	it('refuses past the limits, naming the field, and writes no request, row or file', async () => {
		const before = { files: files(), requests: (await getDb().sql`SELECT count(*)::int AS n FROM requests`)[0].n };
		const tooMany = Array.from({ length: PHOTO_MAX_COUNT + 1 }, (_, i) => photo(`p${i}`));
		await expect(report(tooMany)).rejects.toMatchObject({ status: 400, field: 'photos', message: `照片（photos）最多 ${PHOTO_MAX_COUNT} 张，收到 ${PHOTO_MAX_COUNT + 1} 张` });
		await expect(report([photo('ok'), photo('big', PHOTO_MAX_BYTES + 1)])).rejects.toMatchObject({ status: 400, field: 'photos', message: expect.stringMatching(/^第 2 张照片（photos）不能超过 5\.0 MB/) });
		await expect(report([photo('gif', 10, 'image/gif')])).rejects.toMatchObject({ status: 400, field: 'photos', message: expect.stringContaining('只能是 JPG、PNG 或 WebP，收到 image/gif') });
		await expect(report(photo('svg', 10, 'image/svg+xml'))).rejects.toMatchObject({ status: 400, field: 'photo' });
		await expect(report([photo('empty', 0)])).rejects.toMatchObject({ status: 400, field: 'photos', message: expect.stringContaining('空文件') });
		// exactly the limit is fine
		const max = await report(Array.from({ length: PHOTO_MAX_COUNT }, (_, i) => photo(`m${i}`)));
		expect(await listPhotos(asUser(getDb(), gmA), max.id)).toHaveLength(PHOTO_MAX_COUNT);
		expect(files()).toBe(before.files + PHOTO_MAX_COUNT);
		expect((await getDb().sql`SELECT count(*)::int AS n FROM requests`)[0].n).toBe(before.requests + 1);
	});

	it('a report refused by the database (outside the user\'s grids) names the grid and leaves no file', async () => {
		const before = files();
		const outside = reportRequest(asUser(getDb(), gmA), gmA, input({ lon: RL.pointB[0], lat: RL.pointB[1] }), [photo('x')], null, NOW);
		await expect(outside).rejects.toMatchObject({ status: 403, field: 'lon', message: expect.stringContaining(`第二网格（${RL.gridB}）`) });
		expect(files()).toBe(before);
	});

	it('a retried report with the same key and photos creates one request and keeps one set of files', async () => {
		const key = unique('photos-');
		const first = await report([photo('a'), photo('b')], key);
		const filesAfterFirst = files();
		const again = await report([photo('a'), photo('b')], key);
		expect(again).toEqual({ ...first, replayed: true });
		expect(files()).toBe(filesAfterFirst);
		expect(await listPhotos(asUser(getDb(), gmA), first.id)).toHaveLength(2);
		// other photos under the same key are another body
		await expect(report([photo('a'), photo('c')], key)).rejects.toMatchObject({ status: 422, code: 'idempotency_key_reused' });
		expect(files()).toBe(filesAfterFirst);
	});

	it('处置前 at 接单 and 处置后 at 办结: the pair, tied to their events, seen by the department and the grid worker', async () => {
		const r = await report(photo('scene'));
		await move(r.id, admin, 'dispatch', [], { departmentId: p.zhujian });
		await move(r.id, zj, 'accept', [photo('before')]);
		await move(r.id, zj, 'resolve', [photo('after-1'), photo('after-2')]);
		for (const who of [zj, gmA, admin]) {
			const photos = await listPhotos(asUser(getDb(), who), r.id);
			expect(photos.map((x) => x.kind), `${who.role} sees the photos`).toEqual(['report', 'before', 'after', 'after']);
		}
		const rows = await getDb().sql`SELECT p.kind, e.action FROM request_photos p JOIN request_events e ON e.id = p.event_id WHERE p.request_id = ${r.id} ORDER BY p.id`;
		expect(rows.map((x) => `${x.kind}:${x.action}`)).toEqual(['report:report', 'before:accept', 'after:resolve', 'after:resolve']);
		const db = asUser(getDb(), zj);
		const photos = await listPhotos(db, r.id);
		expect(await bytesOf(db, r.id, photos[3].id)).toBe('after-2');
		// another grid's worker sees neither the request nor its photos
		expect(await listPhotos(asUser(getDb(), gmB), r.id)).toEqual([]);
		expect(await readPhoto(asUser(getDb(), gmB), r.id, photos[1].id)).toBeNull();
	});

	it('photos only with 接单 or 办结, within the limits; a refused move writes nothing', async () => {
		const r = await report(null);
		const before = files();
		await expect(move(r.id, admin, 'dispatch', [photo('x')], { departmentId: p.zhujian })).rejects.toMatchObject({ status: 400, field: 'photos' });
		await move(r.id, admin, 'dispatch', [], { departmentId: p.zhujian });
		await expect(move(r.id, zj, 'accept', [photo('x', 10, 'text/plain')])).rejects.toMatchObject({ status: 400, field: 'photos' });
		// a refused move (stale version) removes the files it wrote
		await expect(moveRequest(asUser(getDb(), zj), zj, { requestId: r.id, action: 'accept', version: 1, now: NOW, photos: [photo('stale')] }))
			.rejects.toMatchObject({ status: 409 });
		expect(files()).toBe(before);
		const [{ status }] = await getDb().sql`SELECT status FROM requests WHERE id = ${r.id}`;
		expect(status).toBe('dispatched');
		expect(await listPhotos(asUser(getDb(), zj), r.id)).toEqual([]);
		// a retried 办结 with the same key and photo records the photo once
		await move(r.id, zj, 'accept');
		const key = unique('resolve-');
		const [{ version }] = await getDb().sql<{ version: number }>`SELECT version FROM requests WHERE id = ${r.id}`;
		const resolve = { requestId: r.id, action: 'resolve', version, idempotencyKey: key, now: NOW, photos: [photo('done')] };
		await moveRequest(asUser(getDb(), zj), zj, resolve);
		expect(await moveRequest(asUser(getDb(), zj), zj, resolve)).toMatchObject({ replayed: true });
		expect((await listPhotos(asUser(getDb(), zj), r.id)).map((x) => x.kind)).toEqual(['after']);
		expect(files()).toBe(before + 1);
	});

	it('the history cannot be rewritten by the app role, and the screen cannot add photos', async () => {
		const r = await report(photo('kept'));
		const db = asUser(getDb(), admin);
		await expect(db.sql`UPDATE request_photos SET kind = 'after' WHERE request_id = ${r.id}`).rejects.toMatchObject({ code: '42501' });
		await expect(db.sql`DELETE FROM request_photos WHERE request_id = ${r.id}`).rejects.toMatchObject({ code: '42501' });
		const [e] = await getDb().sql<{ id: number }>`SELECT id FROM request_events WHERE request_id = ${r.id}`;
		const [{ id: screen }] = await getDb().sql<{ id: number }>`INSERT INTO users (username, display_name, role) VALUES (${unique('screen')}, '大屏', 'screen') RETURNING id`;
		const path_ = `${crypto.randomUUID()}.jpg`;
		await expect(asUser(getDb(), { id: screen, role: 'screen' }).sql`
			INSERT INTO request_photos (request_id, event_id, kind, path, type, bytes, created_by) VALUES (${r.id}, ${e.id}, 'after', ${path_}, 'image/jpeg', 1, ${screen})`)
			.rejects.toMatchObject({ code: '42501' });
		// a path that is not a name the server made is refused by the table itself
		await expect(getDb().sql`INSERT INTO request_photos (request_id, event_id, kind, path, type, bytes) VALUES (${r.id}, ${e.id}, 'after', '../../etc/passwd', 'image/jpeg', 1)`)
			.rejects.toThrow();
	});

	it('the JSON API takes photos as an array of data URLs (or the one photo as before), naming the field', () => {
		const url = (s: string) => `data:image/jpeg;base64,${Buffer.from(s).toString('base64')}`;
		const list = photosFromBody({ photos: [url('a'), url('bb')] }) as Photo[];
		expect(list.map((x) => x.bytes.byteLength)).toEqual([1, 2]);
		expect(photosFromBody({ photo: url('a') })).toMatchObject({ type: 'image/jpeg' });
		expect(photosFromBody({})).toBeNull();
		expect(() => photosFromBody({ photos: 'nope' })).toThrow(expect.objectContaining({ field: 'photos' }));
		expect(() => photosFromBody({ photos: ['data:text/plain,hi'] })).toThrow(expect.objectContaining({ field: 'photos' }));
	});
});
