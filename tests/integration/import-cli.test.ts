// `npm run import` as a person runs it: a real process against a real database (an embedded
// PGlite in a fresh DATA_DIR, and PostgreSQL through DATABASE_URL when TEST_DATABASE_URL is set).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, dropTestDatabase, TEST_DATABASE_URL, withDatabase } from './helpers/backends';

const TSX = path.resolve('node_modules/tsx/dist/cli.mjs');
const AREAS = 'tests/fixtures/import/good/areas.geojson';

function cli(env: Record<string, string>, ...args: string[]) {
	const r = spawnSync(process.execPath, [TSX, 'db/import/cli.ts', ...args], {
		encoding: 'utf8', timeout: 120_000, env: { ...process.env, DATABASE_URL: '', ...env }
	});
	return { status: r.status, out: r.stdout + r.stderr };
}

function cases(env: () => Record<string, string>) {
	it('commits a file, exit 0, and then names the rows it would duplicate, exit 1', () => {
		const first = cli(env(), '--layer', 'areas', '--file', AREAS, '--crs', 'wgs84', '--commit');
		expect(first.out).toMatch(/已提交（第 1 次导入）：areas 3/);
		expect(first.status).toBe(0);
		const again = cli(env(), '--layer', 'areas', '--file', AREAS, '--crs', 'wgs84');
		expect(again.out).toMatch(/错误 {2}第 1 个要素 {2}区划代码 {2}区划代码 430188 已存在/);
		expect(again.out).toMatch(/有错误：未写入任何数据/);
		expect(again.status).toBe(1);
	}, 240_000);
}

describe('npm run import', () => {
	it('refuses to guess the coordinate system: exit 2 with the usage', () => {
		const r = cli({}, '--layer', 'grids', '--file', AREAS);
		expect(r.status).toBe(2);
		expect(r.out).toMatch(/--crs 必须明确给出：wgs84、gcj02、bd09/);
	});

	describe('pglite', () => {
		const dir = mkdtempSync(path.join(os.tmpdir(), 'import-cli-'));
		afterAll(() => rmSync(dir, { recursive: true, force: true }));
		cases(() => ({ DATA_DIR: dir }));
	});

	describe.skipIf(!TEST_DATABASE_URL)('postgres', () => {
		let name = '';
		beforeAll(async () => {
			name = await createTestDatabase(TEST_DATABASE_URL!);
		});
		afterAll(async () => {
			if (name) await dropTestDatabase(TEST_DATABASE_URL!, name);
		});
		cases(() => ({ DATABASE_URL: withDatabase(TEST_DATABASE_URL!, name) }));
	});
});
