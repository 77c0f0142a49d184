// 隐患 statuses and the sets every page counts by. One definition: the map, tiles, details, KPIs,
// the big screen, exports, hotspots, 解剖麻雀 sites and visit sheets take their lists from here
// (SQL through src/lib/server/db/fragments.ts).

/** 隐患类型, in the order pages list them (labels in domain/labels.ts HAZARD_TYPE). */
export const HAZARD_TYPES = ['fire_access', 'gas', 'dilapidated', 'flooding', 'road', 'e_bike', 'other'] as const;
export type HazardType = (typeof HAZARD_TYPES)[number];

/** 待整改 → 整改中 → 已整改 → 已复查（销号）. */
export const HAZARD_STATUSES = ['open', 'rectifying', 'rectified', 'verified'] as const;
export type HazardStatus = (typeof HAZARD_STATUSES)[number];

/** 整改未完成: nobody has finished the fix yet; its rectify deadline can pass (超期). */
export const HAZARD_UNRECTIFIED: readonly HazardStatus[] = ['open', 'rectifying'];

/** 整改完成 (已整改 or 已复查). */
export const HAZARD_RECTIFIED: readonly HazardStatus[] = ['rectified', 'verified'];

/** 已整改, waiting for 复查 by another person (its reinspect deadline can pass). */
export const HAZARD_AWAITING_REINSPECTION: HazardStatus = 'rectified';

/** 销号: the fix was checked on site by another person; the hazard leaves the map. */
export const HAZARD_CLOSED: HazardStatus = 'verified';

/** Not yet 销号 (still drawn and counted on the map): every status but HAZARD_CLOSED. */
export const HAZARD_NOT_CLOSED: readonly HazardStatus[] = HAZARD_STATUSES.filter((s) => s !== HAZARD_CLOSED);

/** The deadline a hazard is working to now: re-inspection (复查) once rectified, else rectification (整改). */
export function hazardStageDeadline<T>(h: { status: string; rectifyDeadline: T; reinspectDeadline: T }): T {
	return h.status === HAZARD_AWAITING_REINSPECTION ? h.reinspectDeadline : h.rectifyDeadline;
}
