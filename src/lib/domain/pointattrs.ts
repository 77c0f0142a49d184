// The one attribute byte each point carries in a binary tile, per layer. Packing happens on the
// server from database rows, unpacking in the browser to pick colours; both sides use this file.
import { HAZARD_STATUSES } from './hazard';
import { ALL_STATUSES } from './workflow';

export const TAG_BITS = ['elderly_alone', 'low_income', 'disabled', 'left_behind_child'] as const;

/** 入户走访 recency classes, by days since last_visit_at. */
export const VISIT_CLASS = { never: 0, within30: 1, within90: 2, older: 3 } as const;
export type VisitClass = (typeof VISIT_CLASS)[keyof typeof VISIT_CLASS];

/** a hazard point's 2-bit status code is its index here */
export const HAZARD_STATUS_CODES = HAZARD_STATUSES;
/** a request point's 4-bit status code is its index here */
export const REQUEST_STATUS_CODES = ALL_STATUSES;

const DAY_MS = 86_400_000;

export function visitClass(lastVisit: Date | null, now: Date): VisitClass {
	if (!lastVisit) return VISIT_CLASS.never;
	const days = (now.getTime() - lastVisit.getTime()) / DAY_MS;
	return days <= 30 ? VISIT_CLASS.within30 : days <= 90 ? VISIT_CLASS.within90 : VISIT_CLASS.older;
}

/** bits 0–3: vulnerable tags (TAG_BITS order); bits 4–5: visit class. */
export function packHousehold(tags: readonly string[], visit: VisitClass): number {
	let bits = 0;
	for (const t of tags) {
		const i = TAG_BITS.indexOf(t as (typeof TAG_BITS)[number]);
		if (i >= 0) bits |= 1 << i;
	}
	return bits | (visit << 4);
}

export function unpackHousehold(b: number): { tags: string[]; visit: VisitClass; vulnerable: boolean } {
	const tags = TAG_BITS.filter((_, i) => b & (1 << i));
	return { tags, visit: ((b >> 4) & 3) as VisitClass, vulnerable: (b & 15) !== 0 };
}

/** bits 0–2: severity 1–4; bits 3–4: status; bit 5: overdue. */
export function packHazard(severity: number, status: string, overdue: boolean): number {
	const s = HAZARD_STATUS_CODES.indexOf(status as (typeof HAZARD_STATUS_CODES)[number]);
	if (!(severity >= 1 && severity <= 4) || s < 0) throw new RangeError(`packHazard: severity ${severity}, status ${status}`);
	return severity | (s << 3) | (overdue ? 32 : 0);
}

export function unpackHazard(b: number): { severity: number; status: string; overdue: boolean } {
	return { severity: b & 7, status: HAZARD_STATUS_CODES[(b >> 3) & 3], overdue: (b & 32) !== 0 };
}

/** bits 0–3: status; bit 4: overdue; bit 5: urgent. */
export function packRequest(status: string, overdue: boolean, urgent: boolean): number {
	const s = REQUEST_STATUS_CODES.indexOf(status as (typeof REQUEST_STATUS_CODES)[number]);
	if (s < 0) throw new RangeError(`packRequest: unknown status ${status}`);
	return s | (overdue ? 16 : 0) | (urgent ? 32 : 0);
}

export function unpackRequest(b: number): { status: string; overdue: boolean; urgent: boolean } {
	return { status: REQUEST_STATUS_CODES[b & 15], overdue: (b & 16) !== 0, urgent: (b & 32) !== 0 };
}
