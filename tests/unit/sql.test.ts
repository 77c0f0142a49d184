// The SQL fragment tag (src/lib/server/db/sql.ts): nesting, joining, $n numbering, and that no
// value ever becomes SQL text.
import { describe, expect, it } from 'vitest';
import { and, codes, empty, Fragment, ident, join, sql, toQuery } from '../../src/lib/server/db/sql';
import { toParams } from '../../src/lib/server/db/client';

describe('sql fragments', () => {
	it('turns values into numbered parameters', () => {
		expect(toQuery(sql`SELECT * FROM t WHERE a = ${1} AND b = ${'x'}`)).toEqual({
			text: 'SELECT * FROM t WHERE a = $1 AND b = $2',
			params: [1, 'x']
		});
	});

	it('numbers nested fragments in order of appearance, across any depth', () => {
		const inner = sql`c IN (${'p'}, ${'q'})`;
		const middle = sql`b = ${2} AND ${inner}`;
		const q = toQuery(sql`SELECT ${0} WHERE a = ${1} AND ${middle} AND d = ${3} LIMIT ${10}`);
		expect(q.text).toBe('SELECT $1 WHERE a = $2 AND b = $3 AND c IN ($4, $5) AND d = $6 LIMIT $7');
		expect(q.params).toEqual([0, 1, 2, 'p', 'q', 3, 10]);
	});

	it('gives a fragment used twice its own parameters each time', () => {
		const now = new Date(0);
		const due = sql`deadline < ${now}`;
		const q = toQuery(sql`SELECT ${due} AS late WHERE ${due}`);
		expect(q.text).toBe('SELECT deadline < $1 AS late WHERE deadline < $2');
		expect(q.params).toEqual([now, now]);
	});

	it('joins with a separator, and empty lists to empty', () => {
		expect(toQuery(join([sql`a = ${1}`, sql`b`, sql`c = ${2}`], sql` OR `))).toEqual({ text: 'a = $1 OR b OR c = $2', params: [1, 2] });
		expect(toQuery(join([sql`x`, sql`y`])).text).toBe('x, y');
		expect(toQuery(join([]))).toEqual({ text: '', params: [] });
		expect(toQuery(sql`SELECT 1 ${empty}`)).toEqual({ text: 'SELECT 1 ', params: [] });
	});

	it('ANDs conditions, and stands for true when there are none', () => {
		expect(toQuery(and([sql`a = ${1}`, sql`b = ${2}`])).text).toBe('a = $1 AND b = $2');
		expect(toQuery(and([])).text).toBe('true');
	});

	it('never puts a value into the text, however it looks', () => {
		const evil = `'; DROP TABLE users; --`;
		const q = toQuery(sql`SELECT * FROM users WHERE name = ${evil} AND ${sql`x = ${'$1'}`}`);
		expect(q.text).toBe('SELECT * FROM users WHERE name = $1 AND x = $2');
		expect(q.params).toEqual([evil, '$1']);
		// an object that merely looks like a fragment stays a value
		const fake = { strings: ['1; DROP TABLE users'], values: [] };
		expect(toQuery(sql`SELECT ${fake}`)).toEqual({ text: 'SELECT $1', params: [fake] });
	});

	it('accepts only plain identifiers and codes', () => {
		expect(toQuery(sql`SELECT ${ident('r', 'grid_code')} AS ${ident('gridCode')}`).text).toBe('SELECT "r"."grid_code" AS "gridCode"');
		for (const bad of ['a b', 'x"; DROP TABLE t; --', '', '1abc', 'a.b']) expect(() => ident(bad)).toThrow(/identifier/);
		expect(toQuery(sql`s IN ${codes(['open', 'property.elevator'])}`).text).toBe(`s IN ('open','property.elevator')`);
		for (const bad of [`o'pen`, 'a b', '']) expect(() => codes([bad])).toThrow(/code/);
		expect(() => codes([])).toThrow();
	});

	it('refuses a malformed fragment', () => {
		expect(() => new Fragment(['a', 'b'], [])).toThrow();
	});

	it('keeps toParams (the Queryable.sql tag) working, now with nesting', () => {
		const tag = (s: TemplateStringsArray, ...v: unknown[]) => toParams(s, v);
		expect(tag`SELECT ${1}, ${'a'}`).toEqual(['SELECT $1, $2', [1, 'a']]);
		expect(tag`SELECT ${1} WHERE ${sql`b = ${2}`}`).toEqual(['SELECT $1 WHERE b = $2', [1, 2]]);
	});
});
