// The hazard (隐患) loop of issue 19 as data, modelled on workflow.ts:
// 发现 report (open) → 交办 assign (still open, now with a responsible department and a deadline)
// → 开始整改 start (rectifying) → 整改完成 rectify (rectified, after-photo required)
// → 复查 (reinspect) by another person: 复查通过 = 销号 close (verified) or 复查不通过 = 返工 reopen
// (rectifying again, with a new deadline). close and reopen are the glossary's words for 销号 and 返工.
// HAZARD_TRANSITIONS is the single source: the server checks it, migration 0020 copies it into
// hazard_transitions (tests/unit/hazardflow.test.ts keeps them equal), whose guard trigger refuses
// any other status change. The statuses are those of hazard.ts, so the KPI, map, tiles and exports
// keep reading the hazards table as before.
import type { HazardStatus, HazardType } from './hazard';
import { HAZARD_STATUSES } from './hazard';

export type HazardAction = 'assign' | 'start' | 'rectify' | 'close' | 'reopen';
export const HAZARD_ACTIONS: readonly HazardAction[] = ['assign', 'start', 'rectify', 'close', 'reopen'];

export const HAZARD_TRANSITIONS: Record<HazardStatus, Partial<Record<HazardAction, HazardStatus>>> = {
	// 交办 keeps the hazard 待整改 and may be repeated (改交办) until the department starts
	open: { assign: 'open', start: 'rectifying' },
	rectifying: { rectify: 'rectified' },
	rectified: { close: 'verified', reopen: 'rectifying' },
	verified: {}
};

export const HAZARD_ACTION_LABEL: Record<HazardAction | 'report', string> = {
	report: '发现上报',
	assign: '交办',
	start: '开始整改',
	rectify: '整改完成',
	close: '复查通过（销号）',
	reopen: '复查不通过（返工）'
};

/** The status labels of the loop (the map's legend keeps labels.ts HAZARD_STATUS). */
export const HAZARD_FLOW_STATUS_LABEL: Record<HazardStatus, string> = {
	open: '待整改', rectifying: '整改中', rectified: '已整改待复查', verified: '已销号'
};

export type HazardPhotoKind = 'found' | 'before' | 'after';
export const HAZARD_PHOTO_KIND_LABEL: Record<HazardPhotoKind, string> = { found: '发现照片', before: '整改前', after: '整改后' };

/** The photos a move may carry: 整改前 at 开始整改 (optional), 整改后 at 整改完成 (required). */
export function hazardMoveKind(action: string): HazardPhotoKind | null {
	return action === 'start' ? 'before' : action === 'rectify' ? 'after' : null;
}

/**
 * 整改时限 in calendar days (a hazard does not wait for the weekend), by severity
 * (1 一般, 2 较大, 3 重大, 4 特别重大). Defaults after the 安全生产事故隐患排查治理 practice: an
 * ordinary hazard gets a month, a major one a week, the gravest three days.
 */
export const RECTIFY_DAYS_BY_SEVERITY: Readonly<Record<number, number>> = { 1: 30, 2: 15, 3: 7, 4: 3 };
/**
 * Types where a fire or an explosion can kill (燃气, 消防通道堵塞, 电动车违规充电): at most this many
 * days whatever the severity, because 消防 and 燃气 orders are short (责令限期改正 in days, not weeks).
 */
export const LIFE_SAFETY_TYPES: readonly HazardType[] = ['gas', 'fire_access', 'e_bike'];
export const LIFE_SAFETY_MAX_DAYS = 7;
/** 复查 within this many days after 整改完成 (reinspect_deadline). */
export const REINSPECT_DAYS = 3;

const DAY = 86_400_000;

/** The rectification window in days for a hazard of this type and severity. */
export function rectifyDays(type: string, severity: number): number {
	const base = RECTIFY_DAYS_BY_SEVERITY[severity] ?? RECTIFY_DAYS_BY_SEVERITY[1];
	return (LIFE_SAFETY_TYPES as readonly string[]).includes(type) ? Math.min(base, LIFE_SAFETY_MAX_DAYS) : base;
}

/** The deadline a 交办 (or a failed 复查) sets, counted from `from`. */
export function rectifyDeadline(type: string, severity: number, from: Date): Date {
	return new Date(from.getTime() + rectifyDays(type, severity) * DAY);
}

export function reinspectDeadline(from: Date): Date {
	return new Date(from.getTime() + REINSPECT_DAYS * DAY);
}

export function hazardNextStatus(from: HazardStatus, action: HazardAction): HazardStatus | null {
	return HAZARD_TRANSITIONS[from]?.[action] ?? null;
}

export function hazardAllowedActions(from: HazardStatus): HazardAction[] {
	return Object.keys(HAZARD_TRANSITIONS[from] ?? {}) as HazardAction[];
}

/** What the guards need besides the status. */
export interface HazardContext {
	/** the responsible department (交办); null until assigned */
	departmentId: number | null;
	/** who recorded the latest 整改完成 */
	rectifiedBy: number | null;
	/** after-photos sent with this move */
	photos: number;
}

export type HazardCheck = { ok: true; to: HazardStatus } | { ok: false; code: 'illegal_transition' | 'guard'; message: string };

const listActions = (from: HazardStatus) => {
	const acts = hazardAllowedActions(from);
	return acts.length ? acts.map((a) => `${HAZARD_ACTION_LABEL[a]}（${a}）`).join('、') : '无（已销号）';
};

/** Whether `action` by `actorId` may happen now; messages in Chinese for the person who pressed. */
export function checkHazardMove(from: HazardStatus, action: string, actorId: number, ctx: HazardContext): HazardCheck {
	const state = `${HAZARD_FLOW_STATUS_LABEL[from] ?? from}（${from}）`;
	if (!(HAZARD_ACTIONS as readonly string[]).includes(action)) {
		return { ok: false, code: 'illegal_transition', message: `未知操作“${action}”。当前状态${state}，允许的操作：${listActions(from)}` };
	}
	const to = hazardNextStatus(from, action as HazardAction);
	if (!to) {
		return { ok: false, code: 'illegal_transition', message: `当前状态${state}不能${HAZARD_ACTION_LABEL[action as HazardAction]}（${action}）。允许的操作：${listActions(from)}` };
	}
	if (action === 'start' && ctx.departmentId === null) {
		return { ok: false, code: 'guard', message: '隐患尚未交办责任部门，请先交办' };
	}
	if (action === 'rectify' && ctx.photos === 0) {
		return { ok: false, code: 'guard', message: '整改完成必须附整改后照片（photos）' };
	}
	if ((action === 'close' || action === 'reopen') && ctx.rectifiedBy === actorId) {
		return { ok: false, code: 'guard', message: '复查须由整改完成登记人以外的人进行，你登记了整改完成，不能复查' };
	}
	return { ok: true, to };
}

/** Who acts; the hazard's grid workers and department decide the rest. */
export interface HazardActor { id: number; role: string; departmentId: number | null }
export interface HazardAssignment { departmentId: number | null; gridManagerIds: number[] }

/**
 * null when allowed, else the reason. 交办 is the command centre's and the leaders'; the responsible
 * department starts and records 整改完成; 复查 is 属地's (the grid's 网格员) or a leader's. Admins
 * (指挥中心) may do everything, still not 复查 their own 整改完成 (checkHazardMove).
 */
export function hazardAuthorityProblem(action: HazardAction, actor: HazardActor, a: HazardAssignment): string | null {
	if (actor.role === 'admin') return null;
	const department = actor.role === 'department_staff' && actor.departmentId !== null && actor.departmentId === a.departmentId;
	const gridManager = actor.role === 'grid_manager' && a.gridManagerIds.includes(actor.id);
	let ok: boolean;
	switch (action) {
		case 'assign': ok = actor.role === 'leader'; break;
		case 'start': case 'rectify': ok = department; break;
		case 'close': case 'reopen': ok = gridManager || actor.role === 'leader'; break;
		default: ok = false;
	}
	return ok ? null : `当前账号无权对此隐患执行“${HAZARD_ACTION_LABEL[action]}”`;
}

/** Whether a move needs a note (复查不通过 says what is still wrong). */
export const HAZARD_NEEDS_NOTE: readonly HazardAction[] = ['reopen'];

/** 隐患编号 for a hazard reported in the app: 'YH', the Beijing date and the row id. */
export function hazardCode(id: number, day: string): string {
	return `YH${day.replaceAll('-', '')}${String(id).padStart(6, '0')}`;
}

export { HAZARD_STATUSES };

/**
 * The department 交办 proposes for a type (departments.code of the demo district and most real ones):
 * 消防 for fire access and e-bike charging, 燃气 for gas, 住建 for buildings and roads, 水务 for
 * waterlogging. The dispatcher may choose another; 'other' proposes none.
 */
export const HAZARD_TYPE_DEPARTMENT: Readonly<Record<HazardType, string | null>> = {
	fire_access: 'xiaofang', e_bike: 'xiaofang', gas: 'ranqi', dilapidated: 'zhujian', road: 'zhujian', flooding: 'shuiwu', other: null
};

/** Who reports a hazard (发现): grid workers, leaders and the command centre. */
export const HAZARD_REPORTER_ROLES = ['admin', 'grid_manager', 'leader'] as const;
