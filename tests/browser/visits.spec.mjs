// Visit planning on the seeded demo district: a leader plans a day from 包联 places and a map
// pick, reorders a stop (times recompute), saves, prints the A4 sheet, records the visit with a
// finding, and sees the finding as a request. Also 四不两直 hiding. Steps of one walk on one
// leader page (serial). (was tests/e2e/visits.e2e.mjs)
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { artifacts } from '../support/browser.mjs';
import { BASE, expect, signedIn, test, USERS } from './fixtures.mjs';

const OUT = artifacts('visits');
test.describe.configure({ mode: 'serial' });

let ctx;
let page;
let before;
let after;
let id;
const rows = () => page.$$eval('[data-testid=itinerary] tr[data-stop]', (trs) => trs.map((tr) => ({ id: tr.dataset.stop, arrive: tr.children[3].textContent })));

test.beforeAll(async ({ browser }) => {
	({ context: ctx, page } = await signedIn(browser, USERS.leader, { viewport: { width: 1600, height: 1000 } }));
});
test.afterAll(() => ctx?.close());

test('a day planned from two 包联 places and a map pick: every stop ordered and timed, the assumption shown', async () => {
	await page.goto(`${BASE}/visits/new`);
	await page.waitForSelector('select[name=pairing]');
	await page.fill('input[name=title]', '端到端测试走访');
	await page.check('input[name=unannounced]');
	// two 包联 places and one point picked on the map
	const options = await page.$$eval('select[name=pairing] option', (os) => os.map((o) => o.value).filter(Boolean));
	expect(options.length, 'leader1 has 包联 places to pick').toBeGreaterThanOrEqual(2);
	for (const v of options.slice(0, 2)) await page.selectOption('select[name=pairing]', v);
	await page.waitForFunction(() => window.__routeMapReady === true, null, { timeout: 60_000 });
	const box = await page.locator('.routemap').boundingBox();
	await page.mouse.click(box.x + box.width / 2, box.y + box.height / 2);
	expect(await page.locator('[data-stop-input]').count(), 'three stops to plan').toBe(3);
	await page.click('text=生成路线');
	await page.waitForSelector('[data-testid=itinerary] tr[data-stop]');
	before = await rows();
	expect(before.length === 3 && before.every((r) => /^\d\d:\d\d/.test(r.arrive)), `the plan orders and times every stop: ${JSON.stringify(before)}`).toBe(true);
	expect(await page.textContent('[data-testid=itinerary]'), 'the assumption is shown').toContain('绕行系数');
});

test('reordering recomputes the times; the visit is saved in the order the leader chose', async () => {
	// move the last stop up: times recompute at once, without a server call
	await page.locator('[data-testid=itinerary] tr[data-stop]').nth(2).locator('button[title=上移]').click();
	after = await rows();
	expect(after[1].id === before[2].id && JSON.stringify(after) !== JSON.stringify(before), `reordering recomputes the times: ${JSON.stringify(after)}`).toBe(true);
	await page.screenshot({ path: path.join(OUT, 'plan.png') });
	await Promise.all([page.waitForURL(/\/visits\/\d+$/), page.click('text=保存走访')]);
	id = Number(page.url().split('/').pop());
	expect((await rows()).map((r) => r.id)).toEqual(after.map((r) => r.id));
});

test('四不两直: another leader gets 404', async ({ browser }) => {
	const other = await browser.newContext();
	const op = await other.newPage();
	await op.goto(`${BASE}/login/demo?user=leader2&redirect=/api/visits/${id}`);
	expect(await op.textContent('body')).toContain('不存在或无权查看');
	await other.close();
});

test('the A4 sheet: a section per stop with its details, a PDF, and the GPX export', async () => {
	const print = await ctx.newPage();
	await print.goto(`${BASE}/visits/${id}/print`);
	await print.emulateMedia({ media: 'print' });
	expect(await print.locator('[data-print-stop]').count(), 'the sheet has a section per stop').toBe(3);
	const text = await print.textContent('.sheet');
	for (const w of ['地址', '目的', '在办诉求', '隐患', '建议入户']) expect(text, 'the sheet lists address, purpose, requests, hazards and households').toContain(w);
	// the route map: start and end (one marker when they coincide) and the three stops in order, with a scale bar
	const marks = await print.$$eval('[data-testid=route-map] [data-mark]', (gs) => gs.map((g) => g.dataset.mark));
	expect(marks.filter((m) => /^\d$/.test(m)), `the map numbers every stop: ${marks}`).toEqual(['1', '2', '3']);
	expect(marks.some((m) => m.includes('起')) && marks.some((m) => m.includes('终')), `the map marks start and end: ${marks}`).toBe(true);
	expect(await print.textContent('[data-testid=route-map] .scale text')).toMatch(/^\d+ (米|公里)$/);
	// each stop's contact: the grid's 网格员 and a phone number (a leader sees the grids of their jurisdiction)
	const contacts = await print.$$eval('[data-testid=stop-contact]', (ps) => ps.map((p) => p.textContent));
	expect(contacts.filter((c) => /网格员 \S+　1\d{10}/.test(c)).length, `each stop names its grid worker: ${contacts}`).toBeGreaterThanOrEqual(2);
	await print.screenshot({ path: path.join(OUT, 'print.png'), fullPage: true });
	const pdf = await print.pdf({ format: 'A4' });
	writeFileSync(path.join(OUT, 'sheet.pdf'), pdf);
	expect(pdf.length, `the sheet prints to an A4 PDF: ${pdf.length} bytes`).toBeGreaterThan(10_000);
	expect(pdf.subarray(0, 4).toString()).toBe('%PDF');
	const gpx = await (await print.request.get(`${BASE}/api/visits/${id}/export/gpx`)).text();
	expect(gpx, 'GPX export').toContain('<gpx');
	expect((gpx.match(/<rtept /g) || []).length).toBe(5);
	await print.close();
});

test('the recorded finding is a request of the visit, counted by the outcome API', async () => {
	await page.fill('[data-finding="0"] input[name=finding-title]', '端到端发现：路灯不亮');
	const cat = await page.$$eval('[data-finding="0"] select[name=finding-category] option', (os) => os.map((o) => o.value).filter(Boolean)[0]);
	await page.selectOption('[data-finding="0"] select[name=finding-category]', cat);
	await page.fill('input[name=decision]', '城管局一周内修复');
	// led by 区城管局, due on a day already past: it waits in their workspace as overdue (next test)
	await page.selectOption('[data-decision="0"] select[aria-label="决定 1 牵头部门"]', { label: '区城管局' });
	await page.fill('[data-decision="0"] input[type=date]', '2026-01-05');
	await page.click('text=保存结果，完成走访');
	await page.waitForSelector('[data-testid=outcome]');
	const req = await page.$$eval('tr[data-request]', (trs) => trs.map((t) => t.textContent));
	expect(req.length === 1 && req[0].includes('端到端发现：路灯不亮') && req[0].includes('上报'), JSON.stringify(req)).toBe(true);
	await page.screenshot({ path: path.join(OUT, 'outcome.png'), fullPage: true });
	const code = await page.getAttribute('tr[data-request]', 'data-request');
	const api = await (await page.request.get(`${BASE}/api/visits/${id}/outcome`)).json();
	expect({ total: api.total, open: api.open, code: api.requests[0].code }, 'the outcome API counts it').toEqual({ total: 1, open: 1, code });
});

test("the visit's decision waits in the department's workspace, overdue, until it records 落实; the visit then shows it", async ({ browser }) => {
	const dept = await signedIn(browser, USERS.department);
	try {
		const dp = dept.page;
		await dp.goto(`${BASE}/workspace`);
		const item = dp.locator('[data-testid=decisions] li', { hasText: '城管局一周内修复' }).first();
		await expect(item).toContainText('超期');
		await expect(item).toContainText('2026-01-05 前落实');
		await item.locator('input[name=note]').fill('路灯已全部修复');
		await item.getByRole('button', { name: '记录落实' }).click();
		await expect(item).toContainText('已落实');
		await expect(item).toContainText('路灯已全部修复');
		await dp.screenshot({ path: path.join(OUT, 'decision-done.png') });
	} finally {
		await dept.context.close();
	}
	await page.goto(`${BASE}/visits/${id}`);
	await expect(page.locator('[data-decision]', { hasText: '城管局一周内修复' })).toContainText('已落实');
});

test('a seeded visit recorded without an itinerary: its detail, A4 sheet and GPX/KML exports open with the recorded stops', async () => {
	const { visits } = await (await page.request.get(`${BASE}/api/visits`)).json();
	let seeded = null;
	for (const v of visits.filter((x) => x.status === 'done' && x.stops > 0)) {
		const res = await page.request.get(`${BASE}/api/visits/${v.id}`);
		expect(res.status(), `GET /api/visits/${v.id}`).toBe(200);
		if ((await res.json()).visit.itinerary === null) { seeded = v; break; }
	}
	expect(seeded, 'the demo district has past visits stored without an itinerary (plan = {})').not.toBeNull();
	const res = await page.goto(`${BASE}/visits/${seeded.id}`);
	expect(res.status(), 'the detail page opens').toBe(200);
	await expect(page.getByTestId('no-itinerary')).toContainText('未计算路线');
	await expect(page.locator('[data-recorded-stop]')).toHaveCount(Number(seeded.stops));
	const sheet = await page.request.get(`${BASE}/visits/${seeded.id}/print`);
	expect(sheet.status(), 'the A4 sheet opens').toBe(200);
	expect((await sheet.text()).match(/data-print-stop=/g)?.length, 'a section per recorded stop').toBe(Number(seeded.stops));
	for (const [format, point] of [['gpx', /<rtept /g], ['kml', /<Point>/g]]) {
		const file = await page.request.get(`${BASE}/api/visits/${seeded.id}/export/${format}`);
		expect(file.status(), `the ${format} export`).toBe(200);
		expect((await file.text()).match(point)?.length, `${format}: one point per recorded stop, no start or end`).toBe(Number(seeded.stops));
	}
});

test('the visit list: counts by 四下基层 type, pages past 50, a type filter, and every stop of the period on the map', async () => {
	await page.goto(`${BASE}/visits`);
	const counts = async () => Object.fromEntries(await page.$$eval('[data-testid=visit-type-counts] a', (as) => as.map((a) => [a.dataset.type, Number(a.querySelector('b').textContent)])));
	const all = await counts();
	const total = Number(await page.textContent('[data-testid=visit-total]'));
	expect(all.all, 'the 全部 chip is the list total').toBe(total);
	expect(all.research + all.publicity + all.petition_reception + all.onsite_office, `the types add up to the total: ${JSON.stringify(all)}`).toBe(total);
	expect(total, 'the demo district has more visits than one page (the list used to stop at 100)').toBeGreaterThan(100);
	const firstPage = await page.$$eval('[data-testid=visit-list] tbody tr', (trs) => trs.map((tr) => tr.querySelector('a')?.getAttribute('href')));
	expect(firstPage).toHaveLength(50);
	await Promise.all([page.waitForURL(/page=2/), page.click('[data-testid=visit-pager] a[rel=next]')]);
	const second = await page.$$eval('[data-testid=visit-list] tbody tr', (trs) => trs.map((tr) => tr.querySelector('a')?.getAttribute('href')));
	expect(second.length).toBeGreaterThan(0);
	expect(second.filter((h) => firstPage.includes(h)), 'page 2 holds other visits').toEqual([]);
	expect(await page.textContent('[data-testid=visit-pager]')).toContain(`第 2 / ${Math.ceil(total / 50)} 页`);
	// a type chip filters the list and the map, and keeps the other types' counts
	await Promise.all([page.waitForURL(/type=research/), page.click('[data-testid=visit-type-counts] a[data-type=research]')]);
	expect(page.url(), 'a new filter starts at page 1').not.toContain('page=');
	expect(Number(await page.textContent('[data-testid=visit-total]'))).toBe(all.research);
	expect(await counts()).toEqual(all);
	const types = await page.$$eval('[data-testid=visit-list] tbody tr td:nth-child(3)', (tds) => [...new Set(tds.map((td) => td.textContent))]);
	expect(types).toEqual(['调研']);
	await page.waitForSelector('[data-testid=visits-map][data-ready=true]', { timeout: 60_000 });
	const dots = await page.evaluate(() => window.__loopMap.getSource('loop-points').serialize().data.features.length);
	const { visits } = await (await page.request.get(`${BASE}/api/visits?type=research&page=1`)).json();
	expect(dots, 'the map shows the stops of every 调研 visit, not only this page').toBeGreaterThanOrEqual(visits.reduce((n, v) => n + Number(v.stops), 0));
	await page.screenshot({ path: path.join(OUT, 'list.png') });
	// a bad date names the field
	const bad = await page.request.get(`${BASE}/api/visits?from=2026-13-01`);
	expect(bad.status()).toBe(400);
	expect((await bad.json()).error).toMatchObject({ field: 'from' });
});
