// Database errors of the request loop turned into ApiErrors. The SQLSTATEs GL404/GL409/GL422 are
// raised by request_transition() and the status guard (migration 0003).
import { ApiError } from '../../domain/apierror';

export function sqlState(e: unknown): string | undefined {
	return (e as { code?: string } | null)?.code;
}

export function isUniqueViolation(e: unknown, constraint: string): boolean {
	if (sqlState(e) !== '23505') return false;
	const x = e as { constraint?: string; constraint_name?: string; message?: string; detail?: string };
	return [x.constraint, x.constraint_name, x.message, x.detail].some((s) => typeof s === 'string' && s.includes(constraint));
}

export function fromDatabase(e: unknown): unknown {
	const message = (e as Error)?.message ?? String(e);
	switch (sqlState(e)) {
		case 'GL404': return new ApiError(404, 'not_found', message);
		case 'GL409': return new ApiError(409, 'conflict', message);
		case 'GL422': return new ApiError(422, 'illegal_transition', message);
		default: return e;
	}
}
