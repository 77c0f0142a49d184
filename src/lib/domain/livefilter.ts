// Who hears which live event (/api/live). The hub fans one NOTIFY out to every open stream; each
// stream passes it through liveEventFor() with its viewer's scope, loaded once per stream. The
// rules follow row-level security (0007_access.sql) as far as an event's fields allow:
// admins everything; leaders their jurisdiction's grids; grid managers their own grids; department
// staff what is dispatched or whistled to their department; the big screen every event, but only
// the aggregate fields it draws (kind, grid, category, status) — no request code, no point finer
// than the grid. Anyone else (mediators: events do not say whose dispute it is) hears nothing.
// A notice (0018_notify.sql) goes to its recipient alone, whatever the role: not even admins or
// the big screen hear another user's notices.

export interface LiveViewerScope {
	role: string;
	/** leaders: the district or street code their grids start with */
	jurisdiction: string | null;
	/** grid managers: their grids */
	grids: readonly string[];
	/** department staff: their department */
	departmentId: number | null;
	/** the viewer: notices go to their recipient only (a scope without it hears no notice) */
	userId?: number | null;
}

/** What the database triggers of 0006_live.sql publish: 新诉求, 状态变化, 吹哨, 报到, 隐患; and 0018's 通知. */
export type LiveKind = 'request' | 'status' | 'whistle' | 'checkin' | 'hazard' | 'notice';

/** One live event on the wire (/api/live SSE `live` frames): the same shape on server and screen. */
export interface LiveEvent {
	id: number;
	/** ISO time */
	at: string;
	kind: LiveKind;
	[field: string]: unknown;
}

export interface LiveEventLike {
	id: number;
	at: string;
	kind: string;
	[field: string]: unknown;
}

/** What the screen may receive: enough to count, colour a grid and name a category. */
export const SCREEN_FIELDS = ['id', 'at', 'kind', 'grid', 'cat', 'catName', 'status', 'from', 'priority', 'channel', 'dept', 'type', 'severity'] as const;

export function liveEventFor<E extends LiveEventLike>(e: E, s: LiveViewerScope): LiveEventLike | null {
	if (e.kind === 'notice') return s.userId != null && e.user === s.userId ? e : null;
	const grid = typeof e.grid === 'string' ? e.grid : null;
	switch (s.role) {
		case 'admin':
			return e;
		case 'screen': {
			const out: Record<string, unknown> = {};
			for (const k of SCREEN_FIELDS) if (e[k] !== undefined) out[k] = e[k];
			return out as LiveEventLike;
		}
		case 'leader':
			return s.jurisdiction && grid?.startsWith(s.jurisdiction) ? e : null;
		case 'grid_manager':
			return grid && s.grids.includes(grid) ? e : null;
		case 'department_staff':
			// hazards are not a department's business (no hazard rows under row-level security)
			return s.departmentId !== null && e.kind !== 'hazard' && e.dept === s.departmentId ? e : null;
		default:
			return null;
	}
}
