import { describe, expect, it } from 'vitest';
import { confidence, significanceExplain, significanceLabel } from '../../src/lib/domain/plainstats';
import { currentSection, navFor } from '../../src/lib/nav';

describe('statistics in plain words', () => {
	it('names the confidence level a p value reaches', () => {
		expect(confidence(0.004)).toBe(99);
		expect(confidence(0.03)).toBe(95);
		expect(confidence(0.08)).toBe(90);
		expect(confidence(0.2)).toBeNull();
		expect(significanceLabel(0.004)).toBe('显著性 99%');
		expect(significanceLabel(0.5)).toBe('不显著');
	});
	it('explains the figures in a sentence, keeping z and p for experts', () => {
		const s = significanceExplain({ z: 2.9, p: 0.0037, fdr: true });
		expect(s).toContain('明显高于全区平均');
		expect(s).toContain('不到 1%');
		expect(s).toContain('FDR');
		expect(s).toContain('z = 2.90');
		expect(significanceExplain({ z: -0.4, p: 0.7 })).toContain('可能只是偶然');
	});
});

describe('navigation by role', () => {
	const hrefs = (r: Parameters<typeof navFor>[0]) => { const n = navFor(r); return [...n.main, ...n.admin].map((l) => l.href); };
	it('shows administration only to admins and research only to leaders and admins', () => {
		expect(hrefs('admin')).toContain('/admin/users');
		expect(hrefs('admin')).toContain('/research');
		expect(hrefs('leader')).toContain('/research');
		expect(hrefs('leader')).not.toContain('/admin/users');
		expect(hrefs('grid_manager')).not.toContain('/research');
		expect(hrefs('department_staff')).not.toContain('/admin/import');
	});
	it('gives the wall display only the big screen, and nobody signed out anything', () => {
		expect(hrefs('screen')).toEqual(['/screen']);
		expect(hrefs(null)).toEqual([]);
	});
	it('marks the deepest section a path belongs to', () => {
		const { main } = navFor('admin');
		expect(currentSection('/requests/new', main)).toBe('/requests/new');
		expect(currentSection('/requests/12', main)).toBe('/requests');
		expect(currentSection('/', main)).toBe('/');
		expect(currentSection('/visits/3/print', main)).toBe('/visits');
	});
});
