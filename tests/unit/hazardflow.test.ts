// The hazard loop as a table: every (status, action) pair, its guards, who may act, the deadline
// rule, and the copy of the table that migration 0020 puts in the database.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { HAZARD_STATUSES } from '../../src/lib/domain/hazard';
import {
	checkHazardMove, HAZARD_ACTIONS, HAZARD_TRANSITIONS, hazardAuthorityProblem, hazardMoveKind, rectifyDays, rectifyDeadline,
	reinspectDeadline, type HazardContext
} from '../../src/lib/domain/hazardflow';

const CTX: HazardContext = { departmentId: 5, rectifiedBy: 1, photos: 1 };
const ME = 2;

describe('hazardflow', () => {
	it('allows exactly the moves in HAZARD_TRANSITIONS and names the state and allowed moves otherwise', () => {
		let legal = 0, illegal = 0;
		for (const from of HAZARD_STATUSES) {
			for (const action of HAZARD_ACTIONS) {
				const r = checkHazardMove(from, action, ME, CTX);
				const to = HAZARD_TRANSITIONS[from][action];
				if (to) {
					legal++;
					expect(r).toEqual({ ok: true, to });
				} else {
					illegal++;
					expect(r).toMatchObject({ ok: false, code: 'illegal_transition', message: expect.stringMatching(new RegExp(`当前状态.+（${from}）不能.+允许的操作：`)) });
				}
			}
		}
		expect([legal, illegal]).toEqual([5, 15]);
		expect(checkHazardMove('verified', 'reopen', ME, CTX)).toMatchObject({ message: expect.stringContaining('允许的操作：无（已销号）') });
		expect(checkHazardMove('open', 'fly', ME, CTX)).toMatchObject({ ok: false, message: expect.stringContaining('未知操作“fly”') });
		expect(checkHazardMove('open', 'close', ME, CTX)).toEqual({
			ok: false, code: 'illegal_transition', message: '当前状态待整改（open）不能复查通过（销号）（close）。允许的操作：交办（assign）、开始整改（start）'
		});
	});

	it('walks the loop: 发现 → 交办 → 整改中 → 整改完成 → 复查不通过 → 整改完成 → 销号', () => {
		const path: [string, string][] = [['open', 'assign'], ['open', 'start'], ['rectifying', 'rectify'], ['rectified', 'reopen'], ['rectifying', 'rectify'], ['rectified', 'close']];
		const seen = path.map(([from, a]) => { const r = checkHazardMove(from as never, a, ME, CTX); return r.ok ? r.to : r.message; });
		expect(seen).toEqual(['open', 'rectifying', 'rectified', 'rectifying', 'rectified', 'verified']);
	});

	it('guards: start needs a department, 整改完成 an after-photo, 复查 another person', () => {
		expect(checkHazardMove('open', 'start', ME, { ...CTX, departmentId: null })).toMatchObject({ ok: false, code: 'guard', message: expect.stringContaining('交办') });
		expect(checkHazardMove('rectifying', 'rectify', ME, { ...CTX, photos: 0 })).toMatchObject({ ok: false, code: 'guard', message: expect.stringContaining('照片') });
		for (const a of ['close', 'reopen']) {
			expect(checkHazardMove('rectified', a, 1, CTX)).toMatchObject({ ok: false, code: 'guard', message: expect.stringContaining('登记人以外') });
			expect(checkHazardMove('rectified', a, ME, CTX).ok).toBe(true);
		}
	});

	it('knows who may press which button', () => {
		const a = { departmentId: 5, gridManagerIds: [10] };
		const dept = (d: number) => ({ id: 30, role: 'department_staff', departmentId: d });
		const gm = (id: number) => ({ id, role: 'grid_manager', departmentId: null });
		expect(hazardAuthorityProblem('assign', { id: 1, role: 'admin', departmentId: null }, a)).toBeNull();
		expect(hazardAuthorityProblem('assign', { id: 1, role: 'leader', departmentId: null }, a)).toBeNull();
		expect(hazardAuthorityProblem('assign', gm(10), a)).toMatch(/无权.+交办/);
		expect(hazardAuthorityProblem('start', dept(5), a)).toBeNull();
		expect(hazardAuthorityProblem('rectify', dept(5), a)).toBeNull();
		expect(hazardAuthorityProblem('start', dept(6), a)).toMatch(/无权/);
		expect(hazardAuthorityProblem('rectify', gm(10), a)).toMatch(/无权/);
		expect(hazardAuthorityProblem('close', gm(10), a)).toBeNull();
		expect(hazardAuthorityProblem('reopen', gm(11), a)).toMatch(/无权/);
		expect(hazardAuthorityProblem('close', dept(5), a)).toMatch(/无权/);
		expect(hazardAuthorityProblem('close', { id: 9, role: 'screen', departmentId: null }, a)).toMatch(/无权/);
	});

	it('derives the deadline from type and severity, in calendar days', () => {
		expect(rectifyDays('road', 1)).toBe(30);
		expect(rectifyDays('road', 2)).toBe(15);
		expect(rectifyDays('dilapidated', 3)).toBe(7);
		expect(rectifyDays('flooding', 4)).toBe(3);
		// 燃气, 消防通道, 电动车: a week at most
		expect(rectifyDays('gas', 1)).toBe(7);
		expect(rectifyDays('fire_access', 2)).toBe(7);
		expect(rectifyDays('e_bike', 4)).toBe(3);
		expect(rectifyDays('other', 99)).toBe(30);
		const t = new Date('2026-01-01T00:00:00Z');
		expect(rectifyDeadline('road', 3, t).toISOString()).toBe('2026-01-08T00:00:00.000Z');
		expect(reinspectDeadline(t).toISOString()).toBe('2026-01-04T00:00:00.000Z');
		expect([hazardMoveKind('start'), hazardMoveKind('rectify'), hazardMoveKind('assign')]).toEqual(['before', 'after', null]);
	});

	it('matches the table that migration 0020 writes into hazard_transitions', () => {
		const sql = readFileSync('db/migrations/0020_hazard.sql', 'utf8');
		const block = sql.slice(sql.indexOf('INSERT INTO hazard_transitions'), sql.indexOf(';', sql.indexOf('INSERT INTO hazard_transitions')));
		const rows = [...block.matchAll(/\('(\w+)',\s+'(\w+)',\s+'(\w+)'\)/g)].map((m) => `${m[1]} ${m[2]} ${m[3]}`).sort();
		const table = HAZARD_STATUSES.flatMap((from) => Object.entries(HAZARD_TRANSITIONS[from]).map(([a, to]) => `${from} ${a} ${to}`)).sort();
		expect(rows).toEqual(table);
	});
});
