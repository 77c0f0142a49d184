// 信访 run as a process: 接访日, 约访/下访/回访 and 息访协议 on a case — who may write (the database
// decides: 0026), what is refused and why, and the leader's list with 待联系 and 超期.
import { expect, it } from 'vitest';
import { describeBackends } from './helpers/backends';
import { ensurePlace } from './helpers/fixtures';
import type { Db } from '../../src/lib/server/db/client';
import type { SessionUser } from '../../src/lib/server/auth/user';
import { asUser } from '../../src/lib/server/access/userdb';
import { parseAgreement, parseContact, parseReceptionDay, PETITION_CONTACT_DAYS } from '../../src/lib/domain/petition';
import { localDate } from '../../src/lib/domain/time';
import {
	addContact, addReceptionDay, cancelReceptionDay, caseRecords, petitionCases, petitionCounts, receptionDays, signAgreement, worksPetition
} from '../../src/lib/server/petitions/petitions';

const user = (id: number, role: SessionUser['role']): SessionUser => ({ id, username: `u${id}`, displayName: `u${id}`, role, departmentId: null, title: null });
const leader = user(9201, 'leader'), outsider = user(9202, 'leader'), mediator = user(9203, 'mediator'), admin = user(9204, 'admin'), manager = user(9205, 'grid_manager');
const today = localDate(new Date());
const daysAgo = (n: number) => localDate(new Date(Date.now() - n * 86_400_000));

async function fixture(db: Db): Promise<Record<string, number>> {
	const place = await ensurePlace(db, '990301');
	await db.exec(`
		INSERT INTO users (id, username, display_name, role, jurisdiction_code) VALUES
		  (9201, 'pt_leader', '包案书记', 'leader', '990301'), (9202, 'pt_out', '外区区长', 'leader', '990399'),
		  (9203, 'pt_med', '矛调员', 'mediator', NULL), (9204, 'pt_admin', '管理员', 'admin', NULL), (9205, 'pt_grid', '网格长', 'grid_manager', NULL);
		INSERT INTO user_grids (user_id, grid_code) VALUES (9205, '${place.grid}');
		INSERT INTO categories (code, name) VALUES ('pt', '信访大类') ON CONFLICT DO NOTHING;
		INSERT INTO categories (code, parent_code, name) VALUES ('pt.a', 'pt', '信访小类') ON CONFLICT DO NOTHING;`);
	const rows = await db.sql<{ id: number; code: string }>`
		INSERT INTO requests (code, kind, category_code, channel, status, title, grid_code, reported_at, resolve_deadline, leader_id, mediator_id,
		                      evaluated_at, satisfaction, solved, geom)
		SELECT x.code, x.kind, 'pt.a', 'petition', x.status, x.title, ${place.grid}, now() - make_interval(days => x.age), now() + make_interval(days => x.due),
		       9201, x.mediator, CASE WHEN x.sat IS NOT NULL THEN now() END, x.sat, CASE WHEN x.sat IS NOT NULL THEN true END,
		       ST_SetSRID(ST_MakePoint(112.905, 28.205), 4326)
		FROM (VALUES ('PT-OPEN', 'petition', 'accepted', '拆迁补偿', 40, 5, NULL::int, NULL::text),
		             ('PT-LATE', 'petition', 'accepted', '欠薪', 20, -2, NULL, NULL),
		             ('PT-SAT', 'petition', 'evaluated', '噪声扰民', 10, 3, 9203, 'satisfied'),
		             ('PT-UNSAT', 'petition', 'evaluated', '物业纠纷', 10, 3, NULL, 'unsatisfied'),
		             ('PT-REQ', 'request', 'evaluated', '路灯', 10, 3, NULL, 'satisfied')) AS x(code, kind, status, title, age, due, mediator, sat)
		RETURNING id, code`;
	return Object.fromEntries(rows.map((r) => [r.code, r.id]));
}

describeBackends('petitions', (getDb) => {
	let id: Record<string, number> = {};
	it("lists the 包案 leader's open cases, overdue first, with 待联系 after PETITION_CONTACT_DAYS days without contact", async () => {
		id = await fixture(getDb());
		const { rows, total } = await petitionCases(asUser(getDb(), leader), { leaderId: 9201, openOnly: true, page: 1, pageSize: 30 });
		expect(total).toBe(2);
		expect(rows.map((r) => [r.code, r.overdue, r.contact_due])).toEqual([['PT-LATE', true, false], ['PT-OPEN', false, true]]);
		expect(PETITION_CONTACT_DAYS).toBe(30);
		const all = await petitionCases(asUser(getDb(), leader), { leaderId: 9201, openOnly: false, page: 1, pageSize: 3 });
		expect([all.total, all.rows.length]).toEqual([4, 3]);
		expect(await petitionCounts(asUser(getDb(), leader), 9201)).toEqual({ open: 2, overdue: 1, uncontacted: 1, agreed: 0, total: 4 });
		// another district's leader sees none of them (requests RLS)
		expect((await petitionCases(asUser(getDb(), outsider), { leaderId: null, openOnly: false, page: 1, pageSize: 30 })).total).toBe(0);
	});

	it('the 包案 leader records a 下访; the case leaves 待联系; a grid manager who can read the case may not write on it', async () => {
		const c = parseContact({ kind: 'home_visit', happenedOn: daysAgo(1), note: '到信访人家中了解补偿诉求' }, today, daysAgo(40));
		await addContact(asUser(getDb(), leader), 9201, id['PT-OPEN'], c);
		const { rows } = await petitionCases(asUser(getDb(), leader), { leaderId: 9201, openOnly: true, page: 1, pageSize: 30 });
		expect(rows.find((r) => r.code === 'PT-OPEN')).toMatchObject({ contacts: 1, last_contact: daysAgo(1), contact_due: false });
		expect(await worksPetition(asUser(getDb(), manager), id['PT-OPEN'])).toBe(false);
		await expect(addContact(asUser(getDb(), manager), 9205, id['PT-OPEN'], c)).rejects.toThrow('只有包案领导、矛调人员和管理员可以记录约访、下访和回访');
		// a mediator who cannot see the case (not its mediator) is refused too, even past the app's checks
		await expect(asUser(getDb(), mediator).sql`INSERT INTO petition_contacts (request_id, kind, happened_on, note, user_id)
			VALUES (${id['PT-OPEN']}, 'appointment', ${today}::date, '越权', 9203)`).rejects.toThrow(/row-level security/);
		// nobody writes in another's name
		await expect(asUser(getDb(), leader).sql`INSERT INTO petition_contacts (request_id, kind, happened_on, note, user_id)
			VALUES (${id['PT-OPEN']}, 'appointment', ${today}::date, '冒名', 9204)`).rejects.toThrow(/row-level security/);
		expect((await caseRecords(getDb(), id['PT-OPEN'])).contacts.map((r) => [r.kind, r.user_name])).toEqual([['home_visit', '包案书记']]);
	});

	it('refuses bad contact input naming the field: future day, before the case, unknown kind, empty note; and a non-petition', async () => {
		expect(() => parseContact({ kind: 'appointment', happenedOn: '2999-01-01', note: 'x' }, today, daysAgo(40))).toThrow(/happenedOn.*不能晚于今天/);
		expect(() => parseContact({ kind: 'appointment', happenedOn: daysAgo(50), note: 'x' }, today, daysAgo(40))).toThrow(/不能早于信访件登记日/);
		expect(() => parseContact({ kind: 'call', note: 'x' }, today, daysAgo(40))).toThrow(/kind/);
		expect(() => parseContact({ kind: 'appointment', note: '  ' }, today, daysAgo(40))).toThrow(/请填写情况记录（note）/);
		await expect(addContact(asUser(getDb(), admin), 9204, id['PT-REQ'], parseContact({ kind: 'appointment', note: 'x' }, today, daysAgo(40))))
			.rejects.toThrow(/信访件 \d+ 不存在/);
	});

	it('息访协议 only after a satisfied evaluation, once; the case mediator may record it', async () => {
		const a = parseAgreement({ terms: '信访人对处理结果表示满意，承诺不再就此事信访' }, today);
		await expect(signAgreement(asUser(getDb(), leader), 9201, id['PT-OPEN'], a)).rejects.toThrow('信访人评价为满意或基本满意后才能签订息访协议');
		await expect(signAgreement(asUser(getDb(), leader), 9201, id['PT-UNSAT'], a)).rejects.toThrow('信访人评价为满意或基本满意后才能签订息访协议');
		await signAgreement(asUser(getDb(), mediator), 9203, id['PT-SAT'], a);
		await expect(signAgreement(asUser(getDb(), leader), 9201, id['PT-SAT'], a)).rejects.toThrow('这件信访件已签订息访协议');
		expect((await caseRecords(getDb(), id['PT-SAT'])).agreement).toMatchObject({ signed_on: today, user_name: '矛调员' });
		expect((await petitionCounts(asUser(getDb(), leader), 9201)).agreed).toBe(1);
		expect(() => parseAgreement({ terms: '', signedOn: today }, today)).toThrow(/terms/);
	});

	it('接访日: a leader schedules their own, not twice at one time and not in the past; a mediator schedules a leader; cancelled days leave the calendar', async () => {
		const tomorrow = localDate(new Date(Date.now() + 86_400_000));
		const mine = parseReceptionDay({ day: tomorrow, startsAt: '09:00', endsAt: '11:30', place: '区信访接待中心', leaderId: '9204' }, leader, today);
		expect(mine.leaderId, 'a leader always schedules themself').toBe(9201);
		const first = await addReceptionDay(asUser(getDb(), leader), 9201, mine);
		await expect(addReceptionDay(asUser(getDb(), leader), 9201, mine)).rejects.toThrow(`这位领导 ${tomorrow} 09:00 已有接访安排`);
		expect(() => parseReceptionDay({ day: '2020-01-01', startsAt: '09:00', endsAt: '10:00', place: 'x' }, leader, today)).toThrow(/day.*不能早于今天/);
		expect(() => parseReceptionDay({ day: tomorrow, startsAt: '10:00', endsAt: '09:00', place: 'x' }, leader, today)).toThrow(/endsAt/);
		expect(() => parseReceptionDay({ day: tomorrow, startsAt: '09:00', endsAt: '10:00', place: 'x' }, mediator, today)).toThrow(/leaderId/);
		const byMediator = parseReceptionDay({ day: tomorrow, startsAt: '14:00', endsAt: '17:00', place: '街道综治中心', leaderId: '9201' }, mediator, today);
		await addReceptionDay(asUser(getDb(), mediator), 9203, byMediator);
		// another leader may not put a day in this leader's calendar
		await expect(addReceptionDay(asUser(getDb(), outsider), 9202, { ...byMediator, startsAt: '18:00', endsAt: '19:00' })).rejects.toThrow('只有领导本人、矛调人员和管理员可以安排接访日');
		await expect(addReceptionDay(asUser(getDb(), admin), 9204, { ...byMediator, leaderId: 9205 })).rejects.toThrow(/不是在职领导/);
		let days = (await receptionDays(getDb(), today)).filter((d) => d.leader_id === 9201);
		expect(days.map((d) => [d.starts_at, d.ends_at, d.place])).toEqual([['09:00', '11:30', '区信访接待中心'], ['14:00', '17:00', '街道综治中心']]);
		await expect(cancelReceptionDay(asUser(getDb(), outsider), first)).rejects.toThrow(/不存在、已取消，或你无权取消/);
		await cancelReceptionDay(asUser(getDb(), leader), first);
		days = (await receptionDays(getDb(), today)).filter((d) => d.leader_id === 9201);
		expect(days.map((d) => d.starts_at)).toEqual(['14:00']);
		// the slot is free again once cancelled
		await addReceptionDay(asUser(getDb(), leader), 9201, mine);
	});
});
