// 时限设置: rules and holidays are validated, saved whole or not at all, and read back.
import { expect, it } from 'vitest';
import { holidays, listRules, parseHolidays, saveHolidays, saveRule } from '../../src/lib/server/requests/deadlineRules';
import { describeBackends } from './helpers/backends';

describeBackends('deadline rules and holidays', (getDb) => {
	const category = async () => {
		await getDb().sql`INSERT INTO categories (code, name, nature) VALUES ('t.deadline', '测试类别', 'request') ON CONFLICT DO NOTHING`;
		return 't.deadline';
	};

	it('saves a rule and lists it with its category name', async () => {
		const code = await category();
		await saveRule(getDb(), { categoryCode: code, priority: 'urgent', acceptWorkingDays: 0.5, resolveWorkingDays: 2, whistleReportHours: 12 });
		const rule = (await listRules(getDb())).find((r) => r.categoryCode === code && r.priority === 'urgent');
		expect(rule).toEqual({ categoryCode: code, categoryName: '测试类别', priority: 'urgent', acceptWorkingDays: 0.5, resolveWorkingDays: 2, whistleReportHours: 12 });
	});

	it('refuses a bad rule naming the field, and changes nothing', async () => {
		const code = await category();
		await saveRule(getDb(), { categoryCode: code, priority: 'normal', acceptWorkingDays: 1, resolveWorkingDays: 7, whistleReportHours: 24 });
		await expect(saveRule(getDb(), { categoryCode: code, priority: 'normal', acceptWorkingDays: 1, resolveWorkingDays: -3, whistleReportHours: 24 }))
			.rejects.toMatchObject({ field: 'resolveWorkingDays' });
		await expect(saveRule(getDb(), { categoryCode: 'nope', priority: 'normal', acceptWorkingDays: 1, resolveWorkingDays: 7, whistleReportHours: 24 }))
			.rejects.toMatchObject({ field: 'categoryCode' });
		await expect(saveRule(getDb(), { categoryCode: code, priority: 'soon', acceptWorkingDays: 1, resolveWorkingDays: 7, whistleReportHours: 24 }))
			.rejects.toMatchObject({ field: 'priority' });
		const rule = (await listRules(getDb())).find((r) => r.categoryCode === code && r.priority === 'normal');
		expect(rule?.resolveWorkingDays).toBe(7);
	});

	it('stores holidays and reads them back for the deadline calculation', async () => {
		await saveHolidays(getDb(), parseHolidays('2026-10-01\n2026-10-02, 2026-10-01'));
		expect([...(await holidays(getDb()))]).toEqual(['2026-10-01', '2026-10-02']);
		await saveHolidays(getDb(), []);
		expect((await holidays(getDb())).size).toBe(0);
	});
});

it('names every unreadable holiday line', () => {
	expect(() => parseHolidays('2026-10-01\n2026-13-01\n十一')).toThrow(/2026-13-01、十一/);
	expect(parseHolidays('')).toEqual([]);
});
