// The one mapping from what a server call threw to what the user is told: an ApiError as it is
// (the OGC and Open311 errors are ApiErrors too), the database's own refusals by SQLSTATE, a
// district still seeding or an unreachable database as 503, anything else a logged 500. Every
// answer format uses it: the map API's JSON (respond.ts), OGC API exceptions (ogc/http.ts), Open311
// error lists (open311/http.ts), form actions and page loads (guards.ts).
import { ApiError } from '../../domain/apierror';
import { SeedingError } from '../db/database';
import { isDatabaseUnavailable } from '../db/client';
import { UNAVAILABLE, UNAVAILABLE_RETRY_S } from './unavailable';

const sqlState = (e: unknown): string | undefined => {
	const code = (e as { code?: unknown } | null)?.code;
	return typeof code === 'string' ? code : undefined;
};

/**
 * The database's refusals as API errors: row-level security and column grants (0007) say 42501
 * when a statement reaches past what the user may touch; P0002 is "no such row" from a checking
 * function; GL404/GL409/GL422 are raised by request_transition() and the status guard (0003),
 * GL403 by a checking function refusing the caller (visit_decision_done, 0025).
 */
export function fromDatabaseError(e: unknown): ApiError | null {
	const code = sqlState(e);
	if (code === '42501') return new ApiError(403, 'forbidden', '无权访问或修改该数据');
	if (code === 'P0002') return new ApiError(404, 'not_found', '没有找到该数据');
	// a NUL that slipped past the boundary checks (guard.ts, readJson): the input's fault, not ours
	if (code === '22021') return new ApiError(400, 'invalid_param', '参数不能包含空字符');
	const message = (e as Error)?.message ?? String(e);
	// 57014: the statement timeout fired (db/heavy.ts names the report when it was one)
	if (code === '57014') return new ApiError(504, 'timeout', '查询超时，请缩小范围或时段后重试');
	if (code === 'GL403') return new ApiError(403, 'forbidden', message);
	if (code === 'GL404') return new ApiError(404, 'not_found', message);
	if (code === 'GL409') return new ApiError(409, 'conflict', message);
	if (code === 'GL422') return new ApiError(422, 'illegal_transition', message);
	return null;
}

/** What the user is told about `e`, or null when it is not theirs to know (an internal error). */
export function toApiError(e: unknown): ApiError | null {
	return e instanceof ApiError ? e : fromDatabaseError(e);
}

/** A unique-constraint violation (23505) on `constraint`: the caller decides what it means. */
export function isUniqueViolation(e: unknown, constraint: string): boolean {
	if (sqlState(e) !== '23505') return false;
	const x = e as { constraint?: string; constraint_name?: string; message?: string; detail?: string };
	return [x.constraint, x.constraint_name, x.message, x.detail].some((s) => typeof s === 'string' && s.includes(constraint));
}

/** What a failed call comes to: what the user is told, and when to retry. */
export interface Failure {
	error: ApiError;
	retryAfterS?: number;
	/** what was thrown, for a format that shows more (the seeding progress) */
	thrown: unknown;
}

export const INTERNAL = { code: 'internal', message: '服务器内部错误，请稍后重试' } as const;

/** Classifies anything thrown; a real bug is logged under `tag` and told as a bare 500. */
export function toFailure(e: unknown, tag: string): Failure {
	const refused = toApiError(e);
	if (refused) return { error: refused, retryAfterS: (refused as { retryAfterS?: number }).retryAfterS, thrown: e };
	if (e instanceof SeedingError) return { error: new ApiError(503, 'seeding', e.message), retryAfterS: 2, thrown: e };
	// logged once per outage by the database client
	if (isDatabaseUnavailable(e)) return { error: new ApiError(503, UNAVAILABLE.code, UNAVAILABLE.message), retryAfterS: UNAVAILABLE_RETRY_S, thrown: e };
	console.error(`[${tag}]`, e);
	return { error: new ApiError(500, INTERNAL.code, INTERNAL.message), thrown: e };
}

/** How an answer format writes a failure (JSON error object, OGC exception, Open311 error list). */
export type ErrorFormat = (failure: Failure) => Response;

/** Runs an endpoint; whatever it throws is classified once and written in `format`. */
export async function answerOrFail(fn: () => Promise<Response>, format: ErrorFormat, tag: string): Promise<Response> {
	try {
		return await fn();
	} catch (e) {
		return format(toFailure(e, tag));
	}
}
