// The one mapping from what a server call threw to what the user is told: an ApiError as it is,
// the database's own refusals by SQLSTATE, anything else null (a real bug, left to the caller to
// log or rethrow). API answers (respond.ts), form actions and page loads (guards.ts) all use it.
import { ApiError } from '../../domain/apierror';

const sqlState = (e: unknown): string | undefined => {
	const code = (e as { code?: unknown } | null)?.code;
	return typeof code === 'string' ? code : undefined;
};

/**
 * The database's refusals as API errors: row-level security and column grants (0007) say 42501
 * when a statement reaches past what the user may touch; P0002 is "no such row" from a checking
 * function; GL404/GL409/GL422 are raised by request_transition() and the status guard (0003).
 */
export function fromDatabaseError(e: unknown): ApiError | null {
	const code = sqlState(e);
	if (code === '42501') return new ApiError(403, 'forbidden', '无权访问或修改该数据');
	if (code === 'P0002') return new ApiError(404, 'not_found', '没有找到该数据');
	// a NUL that slipped past the boundary checks (guard.ts, readJson): the input's fault, not ours
	if (code === '22021') return new ApiError(400, 'invalid_param', '参数不能包含空字符');
	const message = (e as Error)?.message ?? String(e);
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
