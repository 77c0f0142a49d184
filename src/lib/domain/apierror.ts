// Errors an API endpoint answers with, as {error: {code, message, field}}: pure values, so query
// parsing can be tested without a server. Messages are Chinese: they reach the user.

export class ApiError extends Error {
	constructor(
		public readonly status: number,
		public readonly code: string,
		message: string,
		public readonly field?: string
	) {
		super(message);
	}

	toJSON(): { error: { code: string; message: string; field?: string } } {
		return { error: { code: this.code, message: this.message, ...(this.field ? { field: this.field } : {}) } };
	}
}

export function badParam(field: string, message: string): ApiError {
	return new ApiError(400, 'invalid_param', message, field);
}

export function notFound(message: string, field?: string): ApiError {
	return new ApiError(404, 'not_found', message, field);
}

/** An integer path or query parameter in [min, max]; `label` names it for the message. */
export function intParam(raw: string | null | undefined, field: string, label: string, min: number, max: number): number {
	if (raw == null || raw === '') throw badParam(field, `缺少参数 ${field}（${label}）`);
	const n = Number(raw);
	if (!/^-?\d+$/.test(raw) || !Number.isSafeInteger(n)) throw badParam(field, `${label} ${field} 必须是整数，收到“${raw}”`);
	if (n < min || n > max) throw badParam(field, `${label} ${field} 必须在 ${min}–${max} 之间，收到 ${n}`);
	return n;
}

/** One of `allowed`; the message lists them. */
export function enumParam<T extends string>(raw: string | null | undefined, field: string, label: string, allowed: readonly T[]): T {
	if (raw && (allowed as readonly string[]).includes(raw)) return raw as T;
	const got = raw ? `“${raw}”` : '空值';
	throw badParam(field, `未知的${label} ${field}：${got}，可选：${allowed.join('、')}`);
}

/**
 * PostgreSQL text cannot hold U+0000: a NUL in any text input makes the statement fail (22021),
 * which used to surface as a 500. Every input is checked at the boundary instead, naming the field.
 */
export function nulParam(field: string): ApiError {
	return badParam(field, `参数 ${field} 不能包含空字符`);
}

/** The first field (dotted path for nested JSON) whose key or string value holds a NUL, or null. */
export function fieldWithNul(value: unknown, path = ''): string | null {
	if (typeof value === 'string') return value.includes('\u0000') ? path || 'body' : null;
	if (Array.isArray(value)) {
		for (let i = 0; i < value.length; i++) {
			const hit = fieldWithNul(value[i], `${path}[${i}]`);
			if (hit) return hit;
		}
		return null;
	}
	if (value && typeof value === 'object') {
		for (const [k, v] of Object.entries(value)) {
			const name = path ? `${path}.${k}` : k;
			if (k.includes('\u0000')) return path || 'body';
			const hit = fieldWithNul(v, name);
			if (hit) return hit;
		}
	}
	return null;
}

/** Refuses a set of query or form fields when one of them holds a NUL. */
export function refuseNulFields(fields: Iterable<[string, string]>): void {
	for (const [k, v] of fields) if (k.includes('\u0000') || v.includes('\u0000')) throw nulParam(k.replace(/\u0000/g, '\\0') || 'query');
}
