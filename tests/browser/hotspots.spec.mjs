// Hotspots and 解剖麻雀 on the seeded demo district: a leader opens 热点分析, sees Gi* hot grids and
// DBSCAN clusters, picks "物业管理, 5 处", moves a weight and sees the choice change, saves the 调研课题
// and hands it to the visit planner, all within a minute. Also: bad input answers {error:{field}}
// with 400, never 500. Steps of one walk on one leader page (serial). (was tests/e2e/hotspots.e2e.mjs)
import path from 'node:path';
import { artifacts } from '../support/browser.mjs';
import { BASE, expect, signedIn, test, USERS } from './fixtures.mjs';

const OUT = artifacts('hotspots');
test.describe.configure({ mode: 'serial' });

let context;
let page;
let started;
let items;
let topicId;

test.beforeAll(async ({ browser }) => {
	({ context, page } = await signedIn(browser, USERS.leader, { viewport: { width: 1600, height: 1000 } }));
});
test.afterAll(() => context?.close());

test('热点分析 shows Gi* hot grids (FDR) and DBSCAN clusters', async () => {
	started = Date.now();
	await page.goto(`${BASE}/hotspots`);
	await page.waitForSelector('[data-testid=summary]', { timeout: 60_000 });
	const summary = await page.textContent('[data-testid=summary]');
	const hot = Number(/Gi\* 热点网格 (\d+)/.exec(summary)?.[1] ?? 0);
	expect(hot, `物业管理 hot grids found by Gi* (FDR): ${hot} hot grids`).toBeGreaterThanOrEqual(3);
	expect(summary, 'DBSCAN clusters listed').toMatch(/聚集区 [1-9]/);
	// LISA beside Gi*: the clusters are counted, and the map can be coloured by them
	const lisa = await page.textContent('[data-testid=lisa-summary]');
	expect(Number(/高值聚集 (\d+)/.exec(lisa)?.[1] ?? 0), lisa).toBeGreaterThanOrEqual(3);
	expect(lisa).toMatch(/低值被高值包围 \d+/);
	await page.selectOption('select[name=colorBy]', 'lisa');
	await page.waitForFunction(() => window.__hotspotFill?.by === 'lisa' && window.__hotspotFill.lisaGrids > 0, null, { timeout: 30_000 });
	await page.selectOption('select[name=colorBy]', 'gistar');
	await page.waitForFunction(() => window.__hotspotFill?.by === 'gistar', null, { timeout: 30_000 });
});

test('物业管理, 5 处: 5 study sites and a contrast site, each reason quoting its numbers in Chinese', async () => {
	await page.selectOption('select[name=category]', 'property');
	await page.fill('input[name=k]', '5');
	await page.click('button:has-text("选点")');
	await page.waitForFunction(() => document.querySelectorAll('[data-site]').length >= 5, null, { timeout: 60_000 });
	items = await page.$$eval('[data-site]', (els) => els.map((e) => ({ code: e.getAttribute('data-site'), text: e.textContent, contrast: e.classList.contains('contrast') })));
	expect(items.filter((i) => !i.contrast).length, `${items.length} items`).toBe(5);
	expect(items.some((i) => i.contrast), 'and a contrast site').toBe(true);
	expect(items.filter((i) => !i.contrast).every((i) => /近90天物业管理诉求\d+件.*全区(并列)?第\d+.*超期\d+件.*Gi\*/.test(i.text)), items[0]?.text.slice(0, 120)).toBe(true);
	await page.screenshot({ path: path.join(OUT, 'hotspots-sites.png') });
});

test('changing weights changes the choice, and the map shows the chosen sites', async () => {
	const before = items.map((i) => i.code).join(',');
	await page.click('summary:has-text("调整权重")');
	await page.locator('input[data-weight=volume]').fill('0');
	await page.locator('input[data-weight=fresh]').fill('3');
	await page.locator('input[data-weight=typical]').fill('3');
	await page.waitForTimeout(300);
	const after = (await page.$$eval('[data-site]', (els) => els.map((e) => e.getAttribute('data-site')))).join(',');
	expect(after, `${before} → ${after}`).not.toBe(before);
	expect(await page.evaluate(() => window.__hotspotSites), 'the map shows the chosen sites').toBeGreaterThanOrEqual(5);
});

test('saved as a 调研课题 and handed to the visit planner in under a minute, with its 6 sites', async () => {
	await page.fill('input[name=topic]', '物业管理调研（端到端）');
	await page.click('button:has-text("保存为调研课题")');
	await page.waitForSelector('a:has-text("交给走访规划")', { timeout: 30_000 });
	await page.click('a:has-text("交给走访规划")');
	await page.waitForURL(/\/visits\/new\?topic=\d+/);
	topicId = /topic=(\d+)/.exec(page.url())[1];
	const elapsed = (Date.now() - started) / 1000;
	expect(elapsed, `from 物业管理, 5 处 to a saved research topic at the visit planner in under a minute: ${elapsed.toFixed(1)} s`).toBeLessThan(60);
	const option = await page.$(`option[value="${topicId}"]`);
	expect(option, 'the visit planner lists the saved research topic').not.toBeNull();
	await page.waitForSelector('[data-stop-input]', { timeout: 30_000 });
	const handed = await page.$$eval('[data-stop-input] td:first-child input', (xs) => xs.map((x) => x.value));
	expect(handed.length, `the visit planner starts with the topic's 6 sites as stops: ${handed.join('、')}`).toBe(6);
	expect(handed.some((n) => n.includes('（对照）'))).toBe(true);
	const topic = await (await page.request.get(`${BASE}/api/research/topics/${topicId}`)).json();
	expect(topic.sites?.length, 'the research topic keeps 6 sites with roles and reasons').toBe(6);
	expect(topic.sites[5].role).toBe('contrast');
	expect(topic.sites.every((s) => s.reason.length > 20)).toBe(true);
	// the old URL is an alias: saved links and scripts keep working
	expect(await (await page.request.get(`${BASE}/api/research-plans/${topicId}`)).json(), 'old URL /api/research-plans/:id').toEqual(topic);
});

test('bad input: 400 naming the field, never 500', async () => {
	const bad = await page.request.post(`${BASE}/api/research/topics`, { data: { topic: '', sites: [] } });
	expect(bad.status(), 'bad research topic → 400').toBe(400);
	expect((await bad.json()).error?.field, 'naming topic').toBe('topic');
	const badQ = await page.request.get(`${BASE}/api/hotspots?days=3`);
	expect(badQ.status(), 'bad filter → 400').toBe(400);
	expect((await badQ.json()).error?.field, 'naming days').toBe('days');
});

test('the research topic page shows 6 sites', async () => {
	await page.goto(`${BASE}/research/${topicId}`);
	await page.waitForSelector('[data-testid=to-visits]');
	await page.waitForFunction(() => window.__routeMapReady === true, null, { timeout: 60_000 });
	await page.screenshot({ path: path.join(OUT, 'research-topic.png') });
	expect((await page.$$('li')).length).toBeGreaterThanOrEqual(6);
});
