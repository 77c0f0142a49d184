import { describe, expect, it } from 'vitest';
import { liveEventFor, type LiveViewerScope } from '../../src/lib/domain/livefilter';

const scope = (s: Partial<LiveViewerScope>): LiveViewerScope => ({ role: 'none', jurisdiction: null, grids: [], departmentId: null, ...s });
const req = { id: 7, at: '2026-11-30T08:00:00Z', kind: 'request', rid: 3, code: 'SQ1', grid: '430199001001001', cat: 'city.light', dept: 5, lon: 113.0046, lat: 28.2043 };

describe('liveEventFor', () => {
	it('admins hear everything as it is', () => expect(liveEventFor(req, scope({ role: 'admin' }))).toBe(req));
	it('leaders hear their jurisdiction only', () => {
		expect(liveEventFor(req, scope({ role: 'leader', jurisdiction: '430199001' }))).toBe(req);
		expect(liveEventFor(req, scope({ role: 'leader', jurisdiction: '430199002' }))).toBeNull();
		expect(liveEventFor(req, scope({ role: 'leader', jurisdiction: null }))).toBeNull();
	});
	it('grid managers hear their grids only', () => {
		expect(liveEventFor(req, scope({ role: 'grid_manager', grids: ['430199001001001'] }))).toBe(req);
		expect(liveEventFor(req, scope({ role: 'grid_manager', grids: ['430199001001002'] }))).toBeNull();
	});
	it('department staff hear their department, never hazards', () => {
		expect(liveEventFor(req, scope({ role: 'department_staff', departmentId: 5 }))).toBe(req);
		expect(liveEventFor(req, scope({ role: 'department_staff', departmentId: 6 }))).toBeNull();
		expect(liveEventFor({ ...req, kind: 'hazard' }, scope({ role: 'department_staff', departmentId: 5 }))).toBeNull();
	});
	it('the screen gets aggregates: no code, no request id, no point', () => {
		expect(liveEventFor(req, scope({ role: 'screen' }))).toEqual({ id: 7, at: req.at, kind: 'request', grid: req.grid, cat: 'city.light', dept: 5 });
	});
	it('mediators and unknown roles hear nothing', () => {
		expect(liveEventFor(req, scope({ role: 'mediator' }))).toBeNull();
		expect(liveEventFor(req, scope({}))).toBeNull();
	});
	it('a notice reaches its recipient only: not admins, not the screen, not the same department', () => {
		const notice = { id: 9, at: req.at, kind: 'notice', nid: 4, user: 12, rid: 3, notice: 'dispatched' };
		expect(liveEventFor(notice, scope({ role: 'department_staff', departmentId: 5, userId: 12 }))).toBe(notice);
		expect(liveEventFor(notice, scope({ role: 'department_staff', departmentId: 5, userId: 13 }))).toBeNull();
		expect(liveEventFor(notice, scope({ role: 'admin', userId: 1 }))).toBeNull();
		expect(liveEventFor(notice, scope({ role: 'admin' }))).toBeNull();
		expect(liveEventFor(notice, scope({ role: 'screen', userId: 2 }))).toBeNull();
	});
});
