// One way to write SQL: the `sql` tag. Its text comes only from template literals in our code;
// every interpolated value becomes a parameter, except another Fragment, which is spliced in with
// its own values. Fragments compose (a WHERE built from conditions, a KPI predicate reused by
// counts and lists) and are numbered $1…$n only once, when a whole statement is run
// (`db.run(fragment)` or `toQuery`). Modelled on porsager's postgres and slonik's sql.fragment.

/** A piece of SQL: text parts around values, where a value may itself be a Fragment. */
export class Fragment {
	constructor(
		readonly strings: readonly string[],
		readonly values: readonly unknown[]
	) {
		if (strings.length !== values.length + 1) throw new Error('Fragment: strings must surround the values');
	}
}

/** Tagged template: `sql\`a = ${x} AND ${otherFragment}\``. */
export function sql(strings: TemplateStringsArray | readonly string[], ...values: unknown[]): Fragment {
	return new Fragment([...strings], values);
}

/** No SQL at all (an optional clause left out). */
export const empty = new Fragment([''], []);

/** The fragments with `separator` between them (`sql\`, \`` by default); `empty` when there are none. */
export function join(fragments: readonly Fragment[], separator: Fragment = sql`, `): Fragment {
	if (fragments.length === 0) return empty;
	const values: unknown[] = [fragments[0]];
	for (const f of fragments.slice(1)) values.push(separator, f);
	return new Fragment(['', ...values.slice(1).map(() => ''), ''], values);
}

/** Conditions joined with AND; `true` when there are none (WHERE needs something). */
export function and(conditions: readonly Fragment[]): Fragment {
	return conditions.length ? join(conditions, sql` AND `) : sql`true`;
}

const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/**
 * An identifier (table, column, alias, function), quoted; `ident('r', 'grid_code')` is "r"."grid_code".
 * Only plain names pass: a name is never data a user typed, but the check makes that a rule.
 */
export function ident(...parts: string[]): Fragment {
	if (parts.length === 0) throw new Error('ident: no name');
	for (const p of parts) if (!NAME.test(p)) throw new Error(`ident: not a plain identifier: "${p}"`);
	return new Fragment([parts.map((p) => `"${p}"`).join('.')], []);
}

const CODE = /^[A-Za-z0-9_.]+$/;

/**
 * A list of fixed codes as SQL literals, `('a','b')`: for constants of our own vocabulary (status
 * lists) that the planner must see as constants (a partial index's predicate matches only literals).
 * Codes are letters, digits, `_` and `.`, so no quote can reach the text.
 */
export function codes(values: readonly string[]): Fragment {
	if (values.length === 0) throw new Error('codes: empty list');
	for (const v of values) if (!CODE.test(v)) throw new Error(`codes: not a plain code: "${v}"`);
	return new Fragment([`(${values.map((v) => `'${v}'`).join(',')})`], []);
}

/** A whole statement: `$n` text and its parameters, numbered from 1 in order of appearance. */
export function toQuery(fragment: Fragment): { text: string; params: unknown[] } {
	const params: unknown[] = [];
	const walk = (f: Fragment): string => {
		let text = f.strings[0];
		for (let i = 0; i < f.values.length; i++) {
			const v = f.values[i];
			text += (v instanceof Fragment ? walk(v) : `$${params.push(v)}`) + f.strings[i + 1];
		}
		return text;
	};
	return { text: walk(fragment), params };
}
