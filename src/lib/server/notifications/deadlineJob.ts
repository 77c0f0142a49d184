// The deadline scan (即将到期 notices) as one periodic job per app process, over all departments:
// a warning must reach a department whether or not anyone there has the app open, and the scan is
// a write that has no place on a GET. Several processes may run it; the unique index of 0018 makes
// the second writer a no-op. While the database is away or still being prepared, the job tries
// again soon (RETRY_MS) instead of waiting a whole period.
import { DEADLINE_SCAN_MINUTES } from '../../domain/notices';
import { ready, SeedingError } from '../db/database';
import { onShutdown } from '../lifecycle';
import { writeDueDeadlineNotices } from './notices';

const RETRY_MS = 15_000;
const KEY = Symbol.for('grid.deadlineJob');
type Holder = { stop: (() => void) | null };
const holder = ((globalThis as Record<symbol, unknown>)[KEY] ??= { stop: null }) as Holder;

/** Starts the job (once per process; a second call is a no-op). Returns its stop. */
export function startDeadlineNotices(everyMs = DEADLINE_SCAN_MINUTES * 60_000): () => void {
	if (holder.stop) return holder.stop;
	let timer: ReturnType<typeof setTimeout> | null = null;
	let lastError = '';
	const schedule = (ms: number) => {
		timer = setTimeout(() => void tick(), ms);
		timer.unref?.();
	};
	const tick = async () => {
		let next = everyMs;
		try {
			await writeDueDeadlineNotices(await ready(), new Date());
			lastError = '';
		} catch (e) {
			next = Math.min(everyMs, RETRY_MS);
			// still preparing the database at start is expected; anything else is said once per kind
			const message = e instanceof Error ? e.message : String(e);
			if (!(e instanceof SeedingError) && message !== lastError) console.warn(`[notices] 到期提醒扫描未完成，稍后重试：${message}`);
			lastError = message;
		}
		if (holder.stop) schedule(next);
	};
	const unregister = onShutdown('streams', () => holder.stop?.());
	holder.stop = () => {
		if (timer) clearTimeout(timer);
		unregister();
		holder.stop = null;
	};
	schedule(1_000);
	return holder.stop;
}
