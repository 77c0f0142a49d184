// Load (issue 18): many signed-in users at once against the built app, started as a user starts it
// (tests/support/app.mjs) on a demo district of `households`, on PostgreSQL (with row-level
// security, as every request runs) and on the embedded PGlite.
//   open load  — `users` virtual users, each with its own session (leaders, grid workers,
//                departments, the command centre), each waiting an exponential think time (mean
//                `thinkS`) between requests, so ~users ÷ thinkS req/s are offered; the mix is the
//                map's: point tiles 50 %, grid stats 20 %, request list 20 %, KPI 10 %. p50/p95/p99,
//                errors (HTTP ≥ 400) and timeouts (20 s), beside the goals. The same load runs
//                30 s first (warm-up: cold caches after the start), printed apart, not counted.
//   ceiling    — closed loop: 1, 2, 4 … users without think time, each step `stepS` seconds; the
//                ceiling is the throughput of the last step whose p95 stayed ≤ 500 ms.
// npm run bench -- --only load [--households 200000]   (PostgreSQL: BENCH_DATABASE_URL or TEST_DATABASE_URL)
import { mkdirSync } from 'node:fs';
import { startApp } from '../support/app.mjs';
import { NO_POSTGRES, POSTGRES_URL, pgliteBackend, postgresBackend, type Backend } from './backends';
import { fmt, percentile } from './report';
import { MAX_TILE_ZOOM } from '../../src/lib/domain/tiles';

/** Goals of issue 18. */
const GOAL = { pgP95: 500, pgP99: 1500, pgliteP95: 1000, ceilingP95: 500 };
const TIMEOUT_MS = 20_000;
/** Seconds of the same load run first and reported apart (cold caches after a start). */
const WARMUP_S = 30;

type Kind = 'tile' | 'gridStats' | 'requests' | 'kpi';
const MIX: [Kind, number][] = [['tile', 0.5], ['gridStats', 0.2], ['requests', 0.2], ['kpi', 0.1]];

interface Sample { kind: Kind; ms: number; ok: boolean; timeout: boolean; status: number }
interface Grid { code: string; lon: number; lat: number }
interface VUser { cookie: string; role: 'leader' | 'grid_worker' | 'department' | 'dispatcher'; grid: Grid; area: string | null }

function tileOf(lon: number, lat: number, z: number) {
	const n = 2 ** z;
	const x = Math.floor(((lon + 180) / 360) * n);
	const r = (lat * Math.PI) / 180;
	const y = Math.floor(((1 - Math.log(Math.tan(r) + 1 / Math.cos(r)) / Math.PI) / 2) * n);
	return { z, x, y };
}

/** A seeded random (mulberry32), so two runs offer the same requests. */
function rng(seed: number) {
	let a = seed >>> 0;
	return () => {
		a = (a + 0x6d2b79f5) >>> 0;
		let t = a;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
}

async function signIn(base: string, user: string): Promise<string> {
	const res = await fetch(`${base}/login/demo?user=${encodeURIComponent(user)}&redirect=/workspace`, { redirect: 'manual' });
	const cookie = res.headers.getSetCookie().find((c) => c.startsWith('gg_session='));
	if (!cookie) throw new Error(`${user}: no session from /login/demo (HTTP ${res.status})`);
	return cookie.split(';')[0];
}

/** The grids of the district with a rough centre each (mean of the outer ring), read as admin. */
async function grids(base: string, cookie: string): Promise<Grid[]> {
	const fc = await (await fetch(`${base}/api/map/grids`, { headers: { cookie } })).json();
	return fc.features.map((f: any) => {
		const ring: number[][] = f.geometry.type === 'MultiPolygon' ? f.geometry.coordinates[0][0] : f.geometry.coordinates[0];
		const lon = ring.reduce((s, p) => s + p[0], 0) / ring.length;
		const lat = ring.reduce((s, p) => s + p[1], 0) / ring.length;
		return { code: String(f.properties.code), lon, lat };
	});
}

/** 200 users as the issue has them: a third grid workers (each their own account), leaders, departments, the command centre. */
async function makeUsers(base: string, count: number, all: Grid[], random: () => number): Promise<VUser[]> {
	const users: VUser[] = [];
	const cookies = new Map<string, string>();
	const session = async (name: string) => {
		// one session per virtual user, as 200 people each signed in would have (the leaders and
		// departments share an account name, not a session)
		const c = await signIn(base, name);
		cookies.set(name, c);
		return c;
	};
	for (let i = 0; i < count; i++) {
		const grid = all[Math.floor(random() * all.length)];
		const r = i % 6;
		if (r === 0 || r === 1) users.push({ cookie: await session(`wg${grid.code}`), role: 'grid_worker', grid, area: grid.code });
		else if (r === 2) users.push({ cookie: await session('leader1'), role: 'leader', grid, area: null });
		else if (r === 3) users.push({ cookie: await session('leader_street'), role: 'leader', grid, area: null });
		else if (r === 4) users.push({ cookie: await session('chengguan1'), role: 'department', grid, area: null });
		else users.push({ cookie: await session('dispatcher'), role: 'dispatcher', grid, area: grid.code.slice(0, 9) });
	}
	return users;
}

function pick(random: () => number): Kind {
	let r = random();
	for (const [k, w] of MIX) {
		if ((r -= w) < 0) return k;
	}
	return 'tile';
}

function urlFor(kind: Kind, u: VUser, random: () => number): string {
	switch (kind) {
		case 'tile': {
			// leaders look at the district and streets, grid workers at their grid; a few tiles around the centre
			const z = u.role === 'grid_worker' ? 15 + Math.floor(random() * 2) : 12 + Math.floor(random() * 3);
			const t = tileOf(u.grid.lon, u.grid.lat, Math.min(z, MAX_TILE_ZOOM));
			const layer = random() < 0.6 ? 'households' : random() < 0.5 ? 'requests' : 'hazards';
			return `/api/map/tiles/${layer}/${t.z}/${t.x + Math.floor(random() * 3) - 1}/${t.y + Math.floor(random() * 3) - 1}`;
		}
		case 'gridStats':
			return `/api/map/grid-stats?measure=${['open_per_100', 'overdue', 'coverage'][Math.floor(random() * 3)]}`;
		case 'requests':
			return `/api/requests?status=open&limit=50${u.area ? `&area=${u.area}` : ''}`;
		case 'kpi':
			return `/api/kpi${u.area ? `?area=${u.area}` : ''}`;
	}
}

async function hit(base: string, u: VUser, kind: Kind, path: string): Promise<Sample> {
	const t = performance.now();
	try {
		const res = await fetch(`${base}${path}`, { headers: { cookie: u.cookie }, signal: AbortSignal.timeout(TIMEOUT_MS) });
		await res.arrayBuffer();
		return { kind, ms: performance.now() - t, ok: res.status < 400, timeout: false, status: res.status };
	} catch (e) {
		const timeout = (e as Error).name === 'TimeoutError';
		return { kind, ms: performance.now() - t, ok: false, timeout, status: 0 };
	}
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Each user loops: think (exponential, mean thinkMs; none when 0), then one request, until the end. */
async function drive(base: string, users: VUser[], seconds: number, thinkMs: number, seed: number): Promise<{ samples: Sample[]; seconds: number }> {
	const samples: Sample[] = [];
	const start = performance.now();
	const end = start + seconds * 1000;
	await Promise.all(
		users.map(async (u, i) => {
			const random = rng(seed * 7919 + i);
			// users arrive spread over the first think time, not in one burst
			if (thinkMs) await sleep(random() * thinkMs);
			while (performance.now() < end) {
				const kind = pick(random);
				samples.push(await hit(base, u, kind, urlFor(kind, u, random)));
				// never past the end: a last think would stretch the run (up to ~5 × ln(users) s at the
				// tail) and lower the req/s it reports below what was offered and served
				if (thinkMs) await sleep(Math.min(-Math.log(1 - random()) * thinkMs, Math.max(0, end - performance.now())));
			}
		})
	);
	return { samples, seconds: (performance.now() - start) / 1000 };
}

function summary(samples: Sample[], seconds: number) {
	const ms = samples.map((s) => s.ms);
	const errors = samples.filter((s) => !s.ok && !s.timeout).length;
	const timeouts = samples.filter((s) => s.timeout).length;
	const statuses = [...new Set(samples.filter((s) => !s.ok).map((s) => s.status))].join(',');
	return { n: samples.length, rps: samples.length / seconds, p50: percentile(ms, 50), p95: percentile(ms, 95), p99: percentile(ms, 99), errors, timeouts, statuses };
}

async function onBackend(backend: Backend, households: number, users: number, seconds: number, thinkS: number, print: (l: string) => void) {
	mkdirSync('test-results/bench', { recursive: true });
	const logPath = `test-results/bench/load-${backend.name}.log`;
	const t0 = performance.now();
	const app = await startApp({ logPath, timeoutMs: 180_000, env: { ...backend.serverEnv, SEED_HOUSEHOLDS: String(households) }, dataDir: backend.serverEnv.DATA_DIR });
	try {
		const base = `http://127.0.0.1:${app.port}`;
		for (;;) {
			const s = await fetch(`${base}/api/status`).then((r) => r.json()).catch(() => null);
			if (s?.ready) break;
			if (performance.now() - t0 > 900_000) throw new Error(`${backend.name}: the demo district was not ready after 900 s (${logPath})`);
			await sleep(2000);
		}
		print(`${backend.name}: demo district of ${households.toLocaleString('en')} households ready in ${((performance.now() - t0) / 1000).toFixed(0)} s`);
		const random = rng(18);
		const admin = await signIn(base, 'admin');
		const all = await grids(base, admin);
		const vusers = await makeUsers(base, users, all, random);
		// warm: each kind once, as a server that has been up a while has its code compiled
		for (const k of MIX.map(([k]) => k)) await hit(base, vusers[0], k, urlFor(k, vusers[0], random));

		// the same load for WARMUP_S first, reported apart: a server just started (or a district just
		// loaded) has cold caches and a cold buffer pool, which a server in service has not
		const warm = await drive(base, vusers, WARMUP_S, thinkS * 1000, 2);
		const w = summary(warm.samples, warm.seconds);
		print(`${backend.name}: warm-up, the first ${WARMUP_S} s of the same load after start (not counted below): ${fmt(w.rps)} req/s, ` +
			`p50 ${fmt(w.p50)} ms, p95 ${fmt(w.p95)} ms, p99 ${fmt(w.p99)} ms, errors ${w.errors}, timeouts ${w.timeouts}`);
		const open = await drive(base, vusers, seconds, thinkS * 1000, 1);
		const s = summary(open.samples, open.seconds);
		const p95Goal = backend.name === 'PostgreSQL' ? GOAL.pgP95 : GOAL.pgliteP95;
		const met = s.p95 <= p95Goal && (backend.name !== 'PostgreSQL' || s.p99 <= GOAL.pgP99) && s.errors === 0 && s.timeouts === 0;
		print(`${backend.name}: ${users} users, think ${thinkS} s (offered ~${(users / thinkS).toFixed(0)} req/s), ${seconds} s: ` +
			`${fmt(s.rps)} req/s served, p50 ${fmt(s.p50)} ms, p95 ${fmt(s.p95)} ms (goal ≤ ${p95Goal}), p99 ${fmt(s.p99)} ms` +
			`${backend.name === 'PostgreSQL' ? ` (goal ≤ ${GOAL.pgP99})` : ''}, errors ${s.errors}, timeouts ${s.timeouts} (goal 0)${s.statuses ? ` [HTTP ${s.statuses}]` : ''} — goal met: ${met ? 'yes' : 'NO'}`);
		for (const [kind] of MIX) {
			const k = summary(open.samples.filter((x) => x.kind === kind), open.seconds);
			print(`    ${kind.padEnd(10)} n ${String(k.n).padStart(6)}  p50 ${fmt(k.p50).padStart(6)} ms  p95 ${fmt(k.p95).padStart(6)} ms  p99 ${fmt(k.p99).padStart(6)} ms  errors ${k.errors}  timeouts ${k.timeouts}`);
		}

		// the closed-loop ceiling
		let ceiling = 0;
		let crossedAt = '';
		for (let n = 1; n <= 64; n *= 2) {
			const run = await drive(base, vusers.slice(0, n), Math.max(8, Math.round(seconds / 6)), 0, 100 + n);
			const c = summary(run.samples, run.seconds);
			print(`    closed loop ${String(n).padStart(3)} users: ${fmt(c.rps).padStart(6)} req/s, p95 ${fmt(c.p95).padStart(6)} ms, errors ${c.errors}, timeouts ${c.timeouts}`);
			if (c.p95 > GOAL.ceilingP95 || c.errors || c.timeouts) {
				crossedAt = `${n} users`;
				break;
			}
			ceiling = Math.max(ceiling, c.rps);
		}
		print(`${backend.name}: closed-loop ceiling (req/s while p95 ≤ ${GOAL.ceilingP95} ms): ${fmt(ceiling)} req/s${crossedAt ? `, p95 crossed ${GOAL.ceilingP95} ms at ${crossedAt}` : ', not crossed up to 64 users'}`);
	} finally {
		await app.stop();
	}
}

export async function benchLoad(households: number, print: (line: string) => void, { users = 200, seconds = 60, thinkS = 5 } = {}) {
	print(`load: ${users} signed-in users, mix tiles 50 % / grid stats 20 % / request list 20 % / KPI 10 %, the app built and started as users start it`);
	if (POSTGRES_URL) {
		const pg = await postgresBackend('load');
		try {
			await onBackend(pg, households, users, seconds, thinkS, print);
		} finally {
			await pg.drop();
		}
	} else {
		print(`PostgreSQL: NOT RUN — ${NO_POSTGRES}`);
	}
	const lite = pgliteBackend('load');
	try {
		await onBackend(lite, households, users, seconds, thinkS, print);
	} finally {
		await lite.drop();
	}
}
