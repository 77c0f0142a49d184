// checkMigrationFiles / readMigrations: migrate() refuses a folder with gaps, duplicates or strays.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkMigrationFiles, readMigrations, RETIRED_MIGRATIONS } from '../../src/lib/server/db/migrate';

describe('checkMigrationFiles', () => {
	it('accepts the landed folder: 0001…0012 with only the retired 0005 missing', () => {
		const versions = readMigrations().map((m) => m.version);
		expect(versions[0]).toBe('0001_domain');
		expect(versions.some((v) => v.startsWith('0005'))).toBe(false);
		expect([...RETIRED_MIGRATIONS.keys()]).toEqual([5]);
	});

	it('sorts a clean sequence and skips the retired number', () => {
		expect(checkMigrationFiles(['0006_b.sql', '0001_a.sql', '0004_x.sql', '0002_c.sql', '0003_d.sql'])).toEqual([
			'0001_a.sql', '0002_c.sql', '0003_d.sql', '0004_x.sql', '0006_b.sql'
		]);
		expect(checkMigrationFiles([])).toEqual([]);
	});

	it('refuses a gap other than the retired one', () => {
		expect(() => checkMigrationFiles(['0001_a.sql', '0002_b.sql', '0004_d.sql'])).toThrow('0003: missing (a gap before 0004)');
		expect(() => checkMigrationFiles(['0002_b.sql'])).toThrow('0001: missing');
	});

	it('refuses files that are not NNNN_name.sql', () => {
		for (const name of ['README.md', '0001_Domain.sql', '1_a.sql', '0001-a.sql', '0001_a.sql.bak', '0001_a.SQL', '.0001_a.sql']) {
			expect(() => checkMigrationFiles(['0001_a.sql', name]), name).toThrow(`${name}: not a migration`);
		}
	});

	it('refuses a number used twice', () => {
		expect(() => checkMigrationFiles(['0001_a.sql', '0002_b.sql', '0002_c.sql'])).toThrow('0002_b.sql, 0002_c.sql: number 0002 used twice');
	});

	it('refuses a file with a retired number', () => {
		expect(() => checkMigrationFiles(['0001_a.sql', '0002_b.sql', '0003_c.sql', '0004_d.sql', '0005_e.sql'])).toThrow(
			'0005_e.sql: number 0005 is retired'
		);
	});

	it('names every problem at once', () => {
		expect(() => checkMigrationFiles(['0001_a.sql', '0003_c.sql', '0003_d.sql', 'notes.txt'])).toThrow(
			/notes\.txt: not a migration[\s\S]*number 0003 used twice[\s\S]*0002: missing/
		);
	});

	it('readMigrations refuses a folder holding a stray file', () => {
		const dir = mkdtempSync(path.join(os.tmpdir(), 'migrations-'));
		try {
			writeFileSync(path.join(dir, '0001_a.sql'), 'SELECT 1;');
			writeFileSync(path.join(dir, '0002_b.sql'), 'SELECT 2;');
			expect(readMigrations(dir)).toEqual([
				{ version: '0001_a', sql: 'SELECT 1;' },
				{ version: '0002_b', sql: 'SELECT 2;' }
			]);
			writeFileSync(path.join(dir, '0003_c.sql~'), 'SELECT 3;');
			expect(() => readMigrations(dir)).toThrow('0003_c.sql~: not a migration');
		} finally {
			rmSync(dir, { recursive: true, force: true });
		}
	});
});
