import { describe, expect, it } from 'vitest';
import { currentSection, navFor, PHONE_BAR_MAX, phoneBarFor } from '../../src/lib/nav';

describe('the phone bottom bar', () => {
	it('gives the field roles the map, the workspace, the list and 上报', () => {
		for (const role of ['grid_manager', 'department_staff', 'mediator'] as const)
			expect(phoneBarFor(role).map((l) => l.label)).toEqual(['地图', '工作台', '诉求清单', '上报诉求']);
	});
	it('gives leaders what they read', () => {
		expect(phoneBarFor('leader').map((l) => l.href)).toEqual(['/', '/kpi', '/hotspots', '/workspace']);
	});
	it('holds at most PHONE_BAR_MAX sections, each one the role may open', () => {
		for (const role of ['admin', 'leader', 'grid_manager', 'department_staff', 'mediator', 'screen'] as const) {
			const bar = phoneBarFor(role);
			expect(bar.length).toBeLessThanOrEqual(PHONE_BAR_MAX);
			const { main } = navFor(role);
			for (const l of bar) expect(main).toContain(l);
		}
	});
	it('gives the wall display and a visitor nothing', () => {
		expect(phoneBarFor('screen')).toEqual([]);
		expect(phoneBarFor(null)).toEqual([]);
	});
	it('marks /requests/new as its own section, not the list', () => {
		expect(currentSection('/requests/new', phoneBarFor('grid_manager'))).toBe('/requests/new');
		expect(currentSection('/requests/12', phoneBarFor('grid_manager'))).toBe('/requests');
	});
});
