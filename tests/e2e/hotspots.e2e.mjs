#!/usr/bin/env node
// Browser check of hotspots and 解剖麻雀 on the seeded demo district (BASE_URL): a leader opens
// 热点分析, sees Gi* hot grids and DBSCAN clusters, picks "物业管理, 5 处", moves a weight and sees
// the choice change, saves the 调研课题 and hands it to the visit planner, all within a minute.
// Also: bad input answers {error:{field}} with 400, never 500.
import path from 'node:path';
import { BASE, artifacts, createChecks, launchBrowser, openPage, waitReady } from './harness.mjs';

const OUT = artifacts('hotspots');
const checks = createChecks('hotspots');
const { check } = checks;

const browser = await launchBrowser();
await checks.runToEnd(browser, run);

async function run() {
	await waitReady(240);
	const { context: ctx, page } = await openPage(browser, { viewport: { width: 1600, height: 1000 } });
	const started = Date.now();
	await page.goto(`${BASE}/login/demo?user=leader1&redirect=/hotspots`);
	await page.waitForSelector('[data-testid=summary]', { timeout: 60_000 });
	const summary = await page.textContent('[data-testid=summary]');
	const hot = Number(/Gi\* 热点网格 (\d+)/.exec(summary)?.[1] ?? 0);
	check('物业管理 hot grids found by Gi* (FDR)', hot >= 3, `${hot} hot grids`);
	check('DBSCAN clusters listed', /聚集区 [1-9]/.test(summary), summary.slice(0, 80));

	// 物业管理, 5 sites
	await page.selectOption('select[name=category]', 'property');
	await page.fill('input[name=k]', '5');
	await page.click('button:has-text("选点")');
	await page.waitForFunction(() => document.querySelectorAll('[data-site]').length >= 5, null, { timeout: 60_000 });
	const items = await page.$$eval('[data-site]', (els) => els.map((e) => ({ code: e.getAttribute('data-site'), text: e.textContent, contrast: e.classList.contains('contrast') })));
	check('5 study sites and a contrast site', items.filter((i) => !i.contrast).length === 5 && items.some((i) => i.contrast), `${items.length} items`);
	check('each reason quotes its numbers in Chinese', items.filter((i) => !i.contrast).every((i) => /近90天物业管理诉求\d+件.*全区第\d+.*超期\d+件.*Gi\*/.test(i.text)), items[0]?.text.slice(0, 120));
	await page.screenshot({ path: path.join(OUT, 'hotspots-sites.png') });

	// a weight moves the choice
	const before = items.map((i) => i.code).join(',');
	await page.click('summary:has-text("调整权重")');
	await page.locator('input[data-weight=volume]').fill('0');
	await page.locator('input[data-weight=fresh]').fill('3');
	await page.locator('input[data-weight=typical]').fill('3');
	await page.waitForTimeout(300);
	const after = (await page.$$eval('[data-site]', (els) => els.map((e) => e.getAttribute('data-site')))).join(',');
	check('changing weights changes the choice', after !== before, `${before} → ${after}`);
	check('the map shows the chosen sites', await page.evaluate(() => window.__hotspotSites) >= 5);

	// save and hand over
	await page.fill('input[name=topic]', '物业管理调研（端到端）');
	await page.click('button:has-text("保存为调研课题")');
	await page.waitForSelector('a:has-text("交给走访规划")', { timeout: 30_000 });
	await page.click('a:has-text("交给走访规划")');
	await page.waitForURL(/\/visits\/new\?plan=\d+/);
	const planId = /plan=(\d+)/.exec(page.url())[1];
	const elapsed = (Date.now() - started) / 1000;
	check('from 物业管理, 5 处 to a saved plan at the visit planner in under a minute', elapsed < 60, `${elapsed.toFixed(1)} s`);
	const option = await page.$(`option[value="${planId}"]`);
	check('the visit planner lists the saved plan', !!option, (await option?.textContent()) ?? '');
	await page.waitForSelector('[data-stop-input]', { timeout: 30_000 });
	const handed = await page.$$eval('[data-stop-input] td:first-child input', (xs) => xs.map((x) => x.value));
	check('the visit planner starts with the plan\'s 6 sites as stops', handed.length === 6 && handed.some((n) => n.includes('（对照）')), handed.join('、'));
	const plan = await (await page.request.get(`${BASE}/api/research-plans/${planId}`)).json();
	check('the plan keeps 6 sites with roles and reasons', plan.sites?.length === 6 && plan.sites[5].role === 'contrast' && plan.sites.every((s) => s.reason.length > 20));

	// bad input: field named, 400 not 500, nothing written
	const bad = await page.request.post(`${BASE}/api/research-plans`, { data: { topic: '', sites: [] } });
	check('bad plan → 400 naming topic', bad.status() === 400 && (await bad.json()).error?.field === 'topic');
	const badQ = await page.request.get(`${BASE}/api/hotspots?days=3`);
	check('bad filter → 400 naming days', badQ.status() === 400 && (await badQ.json()).error?.field === 'days');
	await page.goto(`${BASE}/research/${planId}`);
	await page.waitForSelector('[data-testid=to-visits]');
	await page.waitForFunction(() => window.__routeMapReady === true, null, { timeout: 60_000 });
	await page.screenshot({ path: path.join(OUT, 'research-plan.png') });
	check('plan page shows 6 sites', (await page.$$('li')).length >= 6);
}
