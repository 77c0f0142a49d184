// 审计日志 as the admin reads it (auditRows): each row's subject named for a person — a household
// by its address (never its head's name), a user by name and account, an area or grid by its name —
// and a subject of another form left as written.
import { beforeAll, expect, it } from 'vitest';
import { asUser } from '../../src/lib/server/access/userdb';
import { auditRows, recordAudit } from '../../src/lib/server/access/audit';
import type { SessionUser } from '../../src/lib/server/auth/user';
import { describeBackends } from './helpers/backends';
import { insertLoopFixture, RL, type People } from './requests.fixture';

describeBackends('audit log subjects', (getDb) => {
	let p: People;
	let admin: SessionUser;
	beforeAll(async () => {
		p = await insertLoopFixture(getDb(), new Date());
		admin = { id: p.admin, username: 'admin', displayName: 'admin', role: 'admin', departmentId: null, title: null };
	});

	it('names a household, a user, an area and a grid; leaves other subjects as written', async () => {
		const db = asUser(getDb(), admin, '10.1.2.3');
		const subjects = [`household:${p.households[0]}`, `user:${p.gmA}`, RL.district, `area:${RL.street}`, RL.gridA, 'requests.csv', 'household:999999', 'user:x'];
		for (const subject of subjects) await recordAudit(db, { userId: admin.id, action: 'export', subject, rows: 1 });
		const rows = await auditRows(db, { action: 'export', user: null, limit: subjects.length });
		const named = Object.fromEntries(rows.map((r) => [r.subject, r.subjectName]));
		const [grid] = await getDb().sql<{ name: string }>`SELECT name FROM grids WHERE code = ${RL.gridA}`;
		expect(named).toEqual({
			[`household:${p.households[0]}`]: '住户 1栋101',
			[`user:${p.gmA}`]: 'gmA（gmA）',
			[RL.district]: '测试区',
			[`area:${RL.street}`]: '测试街道',
			[RL.gridA]: grid.name,
			'requests.csv': null,
			'household:999999': null,
			'user:x': null
		});
		expect(rows.map((r) => r.subjectName).join(' '), 'no head of household name').not.toContain('张三丰');
	});
});
