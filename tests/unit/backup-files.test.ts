// Backup file names, the schedule's settings and its retention (src/lib/server/backup).
import { afterEach, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { backupDir, backupFileName, listBackups, pruneScheduled } from '../../src/lib/server/backup/files';
import { scheduleConfig } from '../../src/lib/server/backup/schedule';
import { splitPassword } from '../../src/lib/server/backup/postgres';

describe('backup files', () => {
	let dir = '';
	afterEach(() => rmSync(dir, { recursive: true, force: true }));

	it('names a backup by Beijing time, kind, schema level and reason', () => {
		const at = new Date('2026-12-01T11:55:24Z');
		expect(backupFileName({ kind: 'pglite', level: '0020_hazard', reason: 'manual' }, at)).toBe('grid-20261201-195524-pglite-0020_hazard-manual.tar.gz');
		expect(backupFileName({ kind: 'postgres', level: null, reason: 'pre-upgrade' }, new Date('2026-12-31T16:00:00Z'))).toBe('grid-20270101-000000-postgres-empty-pre-upgrade.tar.gz');
	});

	it('puts backups under DATA_DIR/backups unless BACKUP_DIR says otherwise', () => {
		expect(backupDir({ DATA_DIR: '/srv/grid' })).toBe('/srv/grid/backups');
		expect(backupDir({ DATA_DIR: '/srv/grid', BACKUP_DIR: '/mnt/b' })).toBe('/mnt/b');
	});

	it('keeps the newest BACKUP_KEEP scheduled backups and never removes manual, pre-upgrade or unfinished ones', async () => {
		dir = mkdtempSync(path.join(os.tmpdir(), 'gridbackup-unit-'));
		const names = [
			'grid-20261101-030000-pglite-0019_kpi-scheduled.tar.gz',
			'grid-20261102-030000-pglite-0019_kpi-pre-upgrade.tar.gz',
			'grid-20261102-030000-pglite-0020_hazard-scheduled.tar.gz',
			'grid-20261103-030000-pglite-0020_hazard-manual.tar.gz',
			'grid-20261103-040000-pglite-0020_hazard-scheduled.tar.gz',
			'grid-20261104-030000-pglite-0020_hazard-scheduled.tar.gz',
			'grid-20261105-030000-pglite-0020_hazard-scheduled.tar.gz.partial',
			'notes.txt'
		];
		names.forEach((n, i) => {
			writeFileSync(path.join(dir, n), 'x');
			utimesSync(path.join(dir, n), 1_800_000_000 + i, 1_800_000_000 + i);
		});
		expect((await listBackups(dir)).map((b) => b.name)).toEqual(names.slice(0, 6));
		expect(await pruneScheduled(dir, 2)).toEqual([names[0], names[2]]);
		expect((await listBackups(dir)).map((b) => b.name)).toEqual([names[1], names[3], names[4], names[5]]);
	});

	it('reads the schedule from the environment: off by default, a bad value names its variable', () => {
		expect(scheduleConfig({})).toBeNull();
		expect(scheduleConfig({ BACKUP_EVERY_HOURS: '0' })).toBeNull();
		expect(scheduleConfig({ BACKUP_EVERY_HOURS: '24' })).toEqual({ everyMs: 86_400_000, keep: 7, firstDelayMs: 600_000 });
		expect(scheduleConfig({ BACKUP_EVERY_HOURS: '6', BACKUP_KEEP: '3', BACKUP_FIRST_DELAY_MINUTES: '0' })).toEqual({ everyMs: 21_600_000, keep: 3, firstDelayMs: 0 });
		expect(() => scheduleConfig({ BACKUP_EVERY_HOURS: 'daily' })).toThrow(/BACKUP_EVERY_HOURS/);
		expect(() => scheduleConfig({ BACKUP_EVERY_HOURS: '24', BACKUP_KEEP: '0' })).toThrow(/BACKUP_KEEP/);
	});

	it('keeps the password off pg_dump’s command line and drops the app’s own startup parameter', () => {
		expect(splitPassword('postgres://grid_owner:s%40cret@db:5432/grid?app.system_read=on&sslmode=require')).toEqual({
			url: 'postgres://grid_owner@db:5432/grid?sslmode=require',
			password: 's@cret'
		});
	});
});
