// A private, throwaway PostgreSQL 15 cluster for the fault tests: they stop and restart PostgreSQL,
// which the shared CI cluster (TEST_DATABASE_URL) must never see, since other suites use it at the
// same time. initdb refuses to run as root, so as root the cluster belongs to the `postgres` OS user
// (runuser); otherwise to whoever runs the tests. Unix socket and data live in one temporary folder.
import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { freePort } from '../support/app.mjs';

export const PG_BIN = process.env.PG_BIN || '/usr/lib/postgresql/15/bin';

/** Why a private cluster cannot be made here, or null when it can. */
export function unavailableReason() {
	for (const tool of ['initdb', 'pg_ctl', 'pg_isready', 'postgres']) {
		if (!existsSync(path.join(PG_BIN, tool))) return `${path.join(PG_BIN, tool)} not found (apt-get install postgresql-15 postgresql-15-postgis-3; .ci/run does this)`;
	}
	if (process.getuid?.() === 0 && spawnSync('id', ['-u', 'postgres']).status !== 0) return 'running as root but there is no `postgres` OS user to own the cluster';
	return null;
}

/** [command, arguments] that run a PostgreSQL tool as the cluster's owner. */
function ownerCommand(tool, args) {
	return process.getuid?.() === 0 ? ['runuser', ['-u', 'postgres', '--', path.join(PG_BIN, tool), ...args]] : [path.join(PG_BIN, tool), args];
}

/** Runs a PostgreSQL tool as the cluster's owner; throws with its output when it fails. */
function asOwner(tool, args, { check = true } = {}) {
	const [cmd, argv] = ownerCommand(tool, args);
	const r = spawnSync(cmd, argv, { encoding: 'utf8', cwd: os.tmpdir() });
	if (check && r.status !== 0) throw new Error(`${tool} ${args.join(' ')} failed (exit ${r.status}): ${r.stderr || r.stdout}`);
	return r;
}

/**
 * Creates and starts a cluster on a free port with a superuser `fault` (password auth over TCP).
 * Returns { url, port, start(), stop(mode), restart(mode), isReady(), destroy() }.
 */
export async function createCluster() {
	const dir = mkdtempSync(path.join(os.tmpdir(), 'grid-fault-pg-'));
	const data = path.join(dir, 'data');
	const log = path.join(dir, 'postgres.log');
	const port = await freePort();
	const password = Math.random().toString(36).slice(2) + Math.random().toString(36).slice(2);
	if (process.getuid?.() === 0) {
		const uid = Number(execFileSync('id', ['-u', 'postgres']).toString());
		const gid = Number(execFileSync('id', ['-g', 'postgres']).toString());
		chownSync(dir, uid, gid);
	}
	chmodSync(dir, 0o700);
	const pwfile = path.join(dir, 'pw');
	writeFileSync(pwfile, password + '\n', { mode: 0o600 });
	if (process.getuid?.() === 0) execFileSync('chown', ['postgres', pwfile]);
	asOwner('initdb', ['-D', data, '-U', 'fault', `--pwfile=${pwfile}`, '--auth-local=trust', '--auth-host=scram-sha-256', '-E', 'UTF8', '--locale=C.UTF-8']);
	rmSync(pwfile, { force: true });
	const options = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=60`;

	const startArgs = () => ['start', '-w', '-t', '60', '-D', data, '-l', log, '-o', options];
	const stopArgs = (mode = 'fast') => ['stop', '-w', '-t', '60', '-D', data, '-m', mode];
	const restartArgs = (mode = 'fast') => ['restart', '-w', '-t', '60', '-D', data, '-m', mode, '-l', log, '-o', options];
	const cluster = {
		url: `postgres://fault:${password}@127.0.0.1:${port}/postgres`,
		port,
		dir,
		/** pg_ctl start, waiting until it accepts connections. */
		start() {
			asOwner('pg_ctl', startArgs());
		},
		/** pg_ctl stop -m fast|immediate, waiting until it is down. */
		stop(mode = 'fast') {
			asOwner('pg_ctl', stopArgs(mode));
		},
		/** pg_ctl restart -m fast|immediate, waiting until it accepts connections again. */
		restart(mode = 'fast') {
			asOwner('pg_ctl', restartArgs(mode));
		},
		/** [command, arguments] of the same, to run without blocking (the load goes on meanwhile) */
		startArgs: () => ownerCommand('pg_ctl', startArgs()),
		stopArgs: (mode) => ownerCommand('pg_ctl', stopArgs(mode)),
		restartArgs: (mode) => ownerCommand('pg_ctl', restartArgs(mode)),
		/** pg_isready over TCP: true when the server accepts connections. */
		isReady() {
			return spawnSync(path.join(PG_BIN, 'pg_isready'), ['-q', '-h', '127.0.0.1', '-p', String(port)]).status === 0;
		},
		destroy() {
			asOwner('pg_ctl', ['stop', '-w', '-t', '30', '-D', data, '-m', 'immediate'], { check: false });
			rmSync(dir, { recursive: true, force: true });
		}
	};
	cluster.start();
	return cluster;
}
