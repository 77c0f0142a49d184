// Validation of a hazard reported from the field (发现) and of a hazard move's inputs, shared by
// the JSON API and the forms. Pure: the clean value or the first problem, naming its field.
import { ApiError, badParam } from './apierror';
import { HAZARD_TYPES, type HazardType } from './hazard';
import { HAZARD_ACTIONS, type HazardAction } from './hazardflow';
import { coordinate, oneOf, optionalId, text } from './requestinput';

export const HAZARD_SEVERITIES = [1, 2, 3, 4] as const;

export interface NewHazard {
	type: HazardType;
	severity: number;
	title: string;
	description: string | null;
	/** the point; null when a building is named instead (its point is used) */
	lon: number | null;
	lat: number | null;
	buildingId: number | null;
	/** 发现 while handling this request (诉求转隐患), or at this household on a 敲门 visit */
	sourceRequestId: number | null;
	sourceHouseholdId: number | null;
}

/** A clean NewHazard from a JSON body or form fields; throws ApiError(400) naming the field. */
export function parseNewHazard(body: unknown): NewHazard {
	if (!body || typeof body !== 'object' || Array.isArray(body)) throw new ApiError(400, 'invalid_body', '请求体必须是 JSON 对象');
	const b = body as Record<string, unknown>;
	const type = oneOf(b.type, 'type', '隐患类型', HAZARD_TYPES, '' as HazardType);
	if (!type) throw badParam('type', '请选择隐患类型（type）');
	const sev = b.severity === undefined || b.severity === null || b.severity === '' ? 1 : Number(b.severity);
	if (!(HAZARD_SEVERITIES as readonly number[]).includes(sev)) throw badParam('severity', `隐患等级（severity）必须是 1–4（一般、较大、重大、特别重大），收到 ${JSON.stringify(b.severity)}`);
	const title = text(b.title, 'title', '隐患描述', 100, true)!;
	const buildingId = optionalId(b.buildingId, 'buildingId', '楼栋编号');
	const hasPoint = !(b.lon === undefined || b.lon === null || b.lon === '') || !(b.lat === undefined || b.lat === null || b.lat === '');
	if (!hasPoint && buildingId === null) throw badParam('lon', '请在地图上选择隐患位置（lon/lat），或指明楼栋（buildingId）');
	return {
		type, severity: sev, title,
		description: text(b.description, 'description', '详细说明', 2000, false),
		lon: hasPoint ? coordinate(b.lon, 'lon') : null,
		lat: hasPoint ? coordinate(b.lat, 'lat') : null,
		buildingId,
		sourceRequestId: optionalId(b.sourceRequestId, 'sourceRequestId', '来源诉求'),
		sourceHouseholdId: optionalId(b.sourceHouseholdId, 'sourceHouseholdId', '来源住户')
	};
}

export interface HazardMoveFields {
	action: HazardAction | string;
	note: string | null;
	departmentId: number | null;
}

/**
 * A move's fields. The API also takes {action: 'reinspect', result: 'pass' | 'fail'}: 复查 as the
 * field worker says it, mapped to the loop's 销号 (close) and 返工 (reopen).
 */
export function parseHazardMove(b: Record<string, unknown>): HazardMoveFields {
	if (typeof b.action !== 'string' || !b.action) throw badParam('action', `缺少操作（action），可选：${HAZARD_ACTIONS.join('、')}`);
	let action = b.action;
	if (action === 'reinspect') {
		if (b.result !== 'pass' && b.result !== 'fail') throw badParam('result', '复查结果（result）必须是 pass（通过，销号）或 fail（不通过，返工）');
		action = b.result === 'pass' ? 'close' : 'reopen';
	}
	return {
		action,
		note: text(b.note ?? b.reason, 'note', '说明', 500, false),
		departmentId: optionalId(b.departmentId, 'departmentId', '责任部门')
	};
}
