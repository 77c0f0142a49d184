#!/usr/bin/env node
// Browser check of visit planning on the seeded demo district (BASE_URL): a leader plans a day
// from 包联 places and a map pick, reorders a stop (times recompute), saves, prints the A4 sheet,
// records the visit with a finding, and sees the finding as a request. Also 四不两直 hiding.
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { BASE, artifacts, createChecks, launchBrowser, openPage, waitReady } from './harness.mjs';

const OUT = artifacts('visits');
const checks = createChecks('visits');
const { check } = checks;

const browser = await launchBrowser();
await checks.runToEnd(browser, run);

async function run() {
	// wait for the demo district
	await waitReady(240);
	const { context: ctx, page } = await openPage(browser, { viewport: { width: 1600, height: 1000 } });
	await page.goto(`${BASE}/login/demo?user=leader1&redirect=/visits/new`);
	await page.waitForSelector('select[name=pairing]');
	await page.fill('input[name=title]', '端到端测试走访');
	await page.check('input[name=unannounced]');
	// two 包联 places and one point picked on the map
	const options = await page.$$eval('select[name=pairing] option', (os) => os.map((o) => o.value).filter(Boolean));
	check('leader1 has 包联 places to pick', options.length >= 2, `${options.length}`);
	for (const v of options.slice(0, 2)) await page.selectOption('select[name=pairing]', v);
	await page.waitForFunction(() => window.__routeMapReady === true, null, { timeout: 60_000 });
	const box = await page.locator('.routemap').boundingBox();
	await page.mouse.click(box.x + box.width / 2, box.y + box.height / 2);
	check('three stops to plan', (await page.locator('[data-stop-input]').count()) === 3);
	await page.click('text=生成路线');
	await page.waitForSelector('[data-testid=plan] tr[data-stop]');
	const rows = () => page.$$eval('[data-testid=plan] tr[data-stop]', (trs) => trs.map((tr) => ({ id: tr.dataset.stop, arrive: tr.children[3].textContent })));
	const before = await rows();
	check('the plan orders and times every stop', before.length === 3 && before.every((r) => /^\d\d:\d\d/.test(r.arrive)), JSON.stringify(before));
	check('the assumption is shown', (await page.textContent('[data-testid=plan]')).includes('绕行系数'));
	// move the last stop up: times recompute at once, without a server call
	await page.locator('[data-testid=plan] tr[data-stop]').nth(2).locator('button[title=上移]').click();
	const after = await rows();
	check('reordering recomputes the times', after[1].id === before[2].id && JSON.stringify(after) !== JSON.stringify(before), JSON.stringify(after));
	await page.screenshot({ path: path.join(OUT, 'plan.png') });
	await Promise.all([page.waitForURL(/\/visits\/\d+$/), page.click('text=保存走访')]);
	const id = Number(page.url().split('/').pop());
	check('the visit is saved in the order the leader chose', JSON.stringify((await rows()).map((r) => r.id)) === JSON.stringify(after.map((r) => r.id)));

	// 四不两直: a grid manager and another leader cannot see it
	const other = await browser.newContext();
	const op = await other.newPage();
	await op.goto(`${BASE}/login/demo?user=leader2&redirect=/api/visits/${id}`);
	check('四不两直: another leader gets 404', (await op.textContent('body')).includes('不存在或无权查看'));
	await other.close();

	// print: A4 sheet with each stop's details
	const print = await ctx.newPage();
	await print.goto(`${BASE}/visits/${id}/print`);
	await print.emulateMedia({ media: 'print' });
	check('the sheet has a section per stop', (await print.locator('[data-print-stop]').count()) === 3);
	const text = await print.textContent('.sheet');
	check('the sheet lists address, purpose, requests, hazards and households', ['地址', '目的', '在办诉求', '隐患', '建议入户'].every((w) => text.includes(w)));
	await print.screenshot({ path: path.join(OUT, 'print.png'), fullPage: true });
	const pdf = await print.pdf({ format: 'A4' });
	writeFileSync(path.join(OUT, 'sheet.pdf'), pdf);
	check('the sheet prints to an A4 PDF', pdf.length > 10_000 && pdf.subarray(0, 4).toString() === '%PDF', `${pdf.length} bytes`);
	const gpx = await (await print.request.get(`${BASE}/api/visits/${id}/export/gpx`)).text();
	check('GPX export', gpx.includes('<gpx') && (gpx.match(/<rtept /g) || []).length === 5);

	// record the outcome with one finding
	await page.fill('[data-finding="0"] input[name=finding-title]', '端到端发现：路灯不亮');
	const cat = await page.$$eval('[data-finding="0"] select[name=finding-category] option', (os) => os.map((o) => o.value).filter(Boolean)[0]);
	await page.selectOption('[data-finding="0"] select[name=finding-category]', cat);
	await page.fill('input[name=decision]', '城管局一周内修复');
	await page.click('text=保存结果，完成走访');
	await page.waitForSelector('[data-testid=outcome]');
	const req = await page.$$eval('tr[data-request]', (trs) => trs.map((t) => t.textContent));
	check('the finding is a request of the visit', req.length === 1 && req[0].includes('端到端发现：路灯不亮') && req[0].includes('上报'), JSON.stringify(req));
	await page.screenshot({ path: path.join(OUT, 'outcome.png'), fullPage: true });
	const code = await page.getAttribute('tr[data-request]', 'data-request');
	const api = await (await page.request.get(`${BASE}/api/visits/${id}/outcome`)).json();
	check('the outcome API counts it', api.total === 1 && api.open === 1 && api.requests[0].code === code);
}
