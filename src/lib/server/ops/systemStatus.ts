// What the admin's 系统状态 panel shows: the release, the database's migration level against the
// latest this program knows, and readiness — the same facts /api/status and /api/health/ready give.
import { current, migrations } from '../db/database';
import type { MigrationStatus } from '../db/migrate';
import { readiness, type Readiness } from './readiness';

export interface SystemStatus {
	version: string;
	backend: 'pglite' | 'postgres' | null;
	migrations: MigrationStatus | null;
	readiness: Readiness;
	/** seconds since the process started */
	uptimeS: number;
	node: string;
	/** whether a scraper can read /metrics with a token (METRICS_TOKEN set, ≥ 16 characters) */
	metricsToken: boolean;
}

export async function systemStatus(): Promise<SystemStatus> {
	return {
		version: __APP_VERSION__,
		backend: current()?.kind ?? null,
		migrations: migrations(),
		readiness: await readiness(),
		uptimeS: Math.round(process.uptime()),
		node: process.version,
		metricsToken: (process.env.METRICS_TOKEN ?? '').length >= 16
	};
}
