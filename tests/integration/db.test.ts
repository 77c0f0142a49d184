// The Db interface (src/lib/server/db/client.ts) on both back ends: parameters, transactions, COPY, types.
import { expect, it } from 'vitest';
import { describeBackends, unique } from './helpers/backends';
import { ensurePlace } from './helpers/fixtures';

const HOSTILE = "x'; drop table departments; --";

describeBackends('db layer', (getDb) => {
	it('passes tagged-template values as parameters, never as SQL text', async () => {
		const db = getDb();
		expect(await db.sql`SELECT ${HOSTILE}::text AS v`).toEqual([{ v: HOSTILE }]);
		const code = unique('dep');
		await db.sql`INSERT INTO departments (code, name) VALUES (${code}, ${HOSTILE})`;
		expect(await db.sql`SELECT name FROM departments WHERE code = ${code}`).toEqual([{ name: HOSTILE }]);
		// the table the value names is still there
		expect(await db.sql`SELECT to_regclass('departments') IS NOT NULL AS present`).toEqual([{ present: true }]);
	});

	it('query() binds $n parameters', async () => {
		const rows = await getDb().query('SELECT $1::int + $2::int AS sum, $3::text AS s', [2, 3, '甲乙']);
		expect(rows).toEqual([{ sum: 5, s: '甲乙' }]);
	});

	it('exec() runs several statements', async () => {
		const db = getDb();
		const table = unique('exec_');
		await db.exec(`CREATE TABLE ${table} (n int); INSERT INTO ${table} VALUES (1), (2);`);
		expect(await db.query(`SELECT sum(n) AS total FROM ${table}`)).toEqual([{ total: 3 }]);
		await db.exec(`DROP TABLE ${table}`);
	});

	it('transaction() commits and returns what the callback returns', async () => {
		const db = getDb();
		const code = unique('dep');
		const id = await db.transaction(async (tx) => {
			const [row] = await tx.sql<{ id: number }>`INSERT INTO departments (code, name) VALUES (${code}, '提交') RETURNING id`;
			return row.id;
		});
		expect(await db.sql`SELECT id FROM departments WHERE code = ${code}`).toEqual([{ id }]);
	});

	it('transaction() rolls back everything when the callback throws', async () => {
		const db = getDb();
		const [a, b] = [unique('dep'), unique('dep')];
		await expect(
			db.transaction(async (tx) => {
				await tx.sql`INSERT INTO departments (code, name) VALUES (${a}, '回滚一')`;
				await tx.query('INSERT INTO departments (code, name) VALUES ($1, $2)', [b, '回滚二']);
				throw new Error('stop here');
			})
		).rejects.toThrow('stop here');
		expect(await db.sql`SELECT count(*) AS n FROM departments WHERE code IN (${a}, ${b})`).toEqual([{ n: 0 }]);
	});

	it('transaction() rolls back when a statement fails, and the connection stays usable', async () => {
		const db = getDb();
		const code = unique('dep');
		await expect(
			db.transaction(async (tx) => {
				await tx.sql`INSERT INTO departments (code, name) VALUES (${code}, '重复')`;
				await tx.sql`INSERT INTO departments (code, name) VALUES (${code}, '重复')`;
			})
		).rejects.toThrow(/duplicate key|unique/i);
		expect(await db.sql`SELECT count(*) AS n FROM departments WHERE code = ${code}`).toEqual([{ n: 0 }]);
	});

	it('copyIn() loads EWKT geometry, text[] and Chinese text', async () => {
		const db = getDb();
		const place = await ensurePlace(db);
		const name = unique('楼');
		await db.copyIn('buildings', ['grid_code', 'name', 'kind', 'floors', 'geom'], `${place.grid}\t${name}\tapartment\t6\tSRID=4326;POINT(112.9 28.2)\n`);
		const [building] = await db.sql<{ id: number }>`SELECT id FROM buildings WHERE name = ${name}`;
		const lines = [
			[building.id, place.grid, '一单元101', '张三', '\\N', 3, '{elderly_alone,low_income}', 'SRID=4326;POINT(112.9 28.2)'],
			[building.id, place.grid, '一单元102', '李四', '13800000000', 1, '{}', 'SRID=4326;POINT(112.901 28.201)'],
			[building.id, place.grid, '一单元103', '王五', '\\N', 2, '{"a,b",c}', 'SRID=4326;POINT(112.902 28.202)']
		];
		await db.copyIn(
			'households',
			['building_id', 'grid_code', 'address', 'head_name', 'phone', 'size', 'tags', 'geom'],
			lines.map((l) => l.join('\t') + '\n').join('')
		);
		const rows = await db.sql`SELECT address, head_name, phone, size, tags, ST_SRID(geom) AS srid,
				ST_X(geom) AS x, ST_Y(geom) AS y
			FROM households WHERE building_id = ${building.id} ORDER BY address`;
		expect(rows).toEqual([
			{ address: '一单元101', head_name: '张三', phone: null, size: 3, tags: ['elderly_alone', 'low_income'], srid: 4326, x: 112.9, y: 28.2 },
			{ address: '一单元102', head_name: '李四', phone: '13800000000', size: 1, tags: [], srid: 4326, x: 112.901, y: 28.201 },
			{ address: '一单元103', head_name: '王五', phone: null, size: 2, tags: ['a,b', 'c'], srid: 4326, x: 112.902, y: 28.202 }
		]);
		// the GiST index answers a bbox query over what was loaded
		const [hit] = await db.sql`SELECT count(*) AS n FROM households
			WHERE building_id = ${building.id} AND geom && ST_MakeEnvelope(112.8995, 28.1995, 112.9015, 28.2015, 4326)`;
		expect(hit).toEqual({ n: 2 });
	});

	it('copyIn() refuses identifiers that are not plain names', async () => {
		await expect(getDb().copyIn('departments; drop table areas', ['code'], 'x\n')).rejects.toThrow('copyIn: bad identifier');
		await expect(getDb().copyIn('departments', ['code", name'], 'x\n')).rejects.toThrow('copyIn: bad identifier');
	});

	it('returns int8 (count, bigint) and numeric as JS numbers', async () => {
		const db = getDb();
		const [row] = await db.sql`SELECT count(*) AS n, 9007199254740991::int8 AS big, sum(x) AS total, 1.5::numeric AS num
			FROM generate_series(1, 4) AS x`;
		expect(row).toEqual({ n: 4, big: Number.MAX_SAFE_INTEGER, total: 10, num: 1.5 });
		expect(typeof row.n).toBe('number');
		const [areas] = await db.sql`SELECT count(*) AS n FROM areas`;
		expect(typeof areas.n).toBe('number');
	});

	it('returns jsonb, timestamptz and booleans as JS values', async () => {
		const [row] = await getDb().sql`SELECT ${{ a: [1, '二'] }}::jsonb AS j,
			'2024-05-01T08:00:00Z'::timestamptz AS t, true AS b`;
		expect(row.j).toEqual({ a: [1, '二'] });
		expect(row.t).toBeInstanceOf(Date);
		expect((row.t as Date).toISOString()).toBe('2024-05-01T08:00:00.000Z');
		expect(row.b).toBe(true);
	});

	it('reads a JSON text parameter bound to jsonb as the document it spells, on both back ends', async () => {
		const db = getDb();
		const text = JSON.stringify({ a: [1, '二'] });
		const key = unique('json');
		await db.sql`INSERT INTO app_meta (key, value) VALUES (${key}, ${text})`;
		expect(await db.sql`SELECT jsonb_typeof(value) AS type, value FROM app_meta WHERE key = ${key}`).toEqual([
			{ type: 'object', value: { a: [1, '二'] } }
		]);
		expect(await db.sql`SELECT ${text}::jsonb AS j`).toEqual([{ j: { a: [1, '二'] } }]);
	});
});
