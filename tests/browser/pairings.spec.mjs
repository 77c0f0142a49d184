// 包联 managed from the page (issue 20): a street leader with no pairings is told what to do, adds a
// community and an enterprise picked on the map, changes one, ends the other (it leaves the list
// and shows under 含已结束), and a refused form names the field. Desktop: leaders plan at a desk.
import path from 'node:path';
import { artifacts } from '../support/browser.mjs';
import { BASE, expect, signedIn, test, USERS } from './fixtures.mjs';

const OUT = artifacts('pairings');
test.describe.configure({ mode: 'serial' });

let ctx;
let page;
const rowNames = () => page.$$eval('[data-testid=pairing-list] tbody tr[data-pairing] td:nth-child(3)', (tds) => tds.map((td) => td.firstChild.textContent.trim()));
const submit = async (button) => {
	await Promise.all([page.waitForResponse((r) => r.request().method() === 'POST' && r.url().includes('/pairings')), page.click(button)]);
	await page.waitForLoadState('networkidle');
};

const openForm = async () => {
	if (!(await page.$eval('[data-testid=pairing-form]', (d) => d.open))) await page.click('[data-testid=pairing-form] summary');
	await expect(page.locator('[data-testid=pairing-form] input[name=name]')).toBeVisible();
};

test.beforeAll(async ({ browser }) => {
	({ context: ctx, page } = await signedIn(browser, USERS.streetLeader, { viewport: { width: 1440, height: 960 } }));
	page.on('dialog', (d) => d.accept());
	// a second run on the same database: end what the first one left
	await page.goto(`${BASE}/pairings`);
	while (await page.locator('[data-testid=pairing-list] button:has-text("结束")').count()) {
		await submit('[data-testid=pairing-list] button:has-text("结束") >> nth=0');
	}
});
test.afterAll(() => ctx?.close());

test('with no pairings the leader is told how to add them', async () => {
	await page.goto(`${BASE}/pairings`);
	expect(await page.textContent('[data-testid=pairing-list]')).toContain('您还没有包联对象');
	expect(await page.textContent('[data-testid=pairing-summary]')).toContain('在包联 0 个');
});

test('adds a community, and an enterprise placed on the map; a missing place is refused by name', async () => {
	await openForm();
	await page.selectOption('[data-testid=pairing-form] select[name=kind]', 'area');
	const community = await page.$eval('[data-testid=pairing-form] select[name=areaCode] option:nth-child(2)', (o) => ({ value: o.value, text: o.textContent }));
	await page.selectOption('[data-testid=pairing-form] select[name=areaCode]', community.value);
	await page.fill('[data-testid=pairing-form] input[name=name]', '测试包联社区');
	await submit('[data-testid=pairing-form] button[type=submit]');
	await expect(page.locator('[data-testid=pairing-done]')).toContainText('已新增包联：测试包联社区');
	expect(await rowNames()).toEqual(['测试包联社区']);

	await openForm();
	await page.selectOption('[data-testid=pairing-form] select[name=kind]', 'enterprise');
	await page.fill('[data-testid=pairing-form] input[name=name]', '测试包联企业');
	await submit('[data-testid=pairing-form] button[type=submit]');
	await expect(page.locator('[data-testid=pairing-error]')).toContainText('经度（lon）');
	expect(await rowNames(), 'nothing was written').toEqual(['测试包联社区']);

	await page.waitForFunction(() => window.__routeMapReady === true, null, { timeout: 60_000 });
	await page.selectOption('[data-testid=pairing-form] select[name=kind]', 'enterprise');
	const box = await page.locator('.routemap').boundingBox();
	await page.mouse.click(box.x + box.width / 2, box.y + box.height / 2);
	await expect(page.locator('[data-testid=pick-hint]')).toContainText('位置：');
	await page.fill('[data-testid=pairing-form] input[name=name]', '测试包联企业');
	await page.fill('[data-testid=pairing-form] input[name=note]', '用工和物流');
	await submit('[data-testid=pairing-form] button[type=submit]');
	await expect(page.locator('[data-testid=pairing-done]')).toContainText('已新增包联：测试包联企业');
	expect((await rowNames()).sort()).toEqual(['测试包联企业', '测试包联社区']);
	const counts = await page.$eval('[data-testid=pairing-list] tr:has-text("测试包联企业")', (tr) => [...tr.children].slice(3, 6).map((td) => td.textContent.trim()));
	expect(counts.every((c) => /^\d+/.test(c)), `an enterprise has its open items counted, not "—": ${counts}`).toBe(true);
	expect(await page.textContent('[data-testid=pairing-summary]')).toContain('在包联 2 个');
	await page.screenshot({ path: path.join(OUT, 'added.png') });
});

test('changes the enterprise, ends the community: it leaves the list and shows under 含已结束', async () => {
	await Promise.all([page.waitForURL(/edit=/), page.click('[data-testid=pairing-list] tr:has-text("测试包联企业") a:has-text("修改")')]);
	await expect(page.locator('[data-testid=pairing-form] input[name=name]')).toHaveValue('测试包联企业');
	await page.fill('[data-testid=pairing-form] input[name=name]', '测试包联企业（新名）');
	await submit('[data-testid=pairing-form] button[type=submit]');
	await expect(page.locator('[data-testid=pairing-done]')).toContainText('已保存包联：测试包联企业（新名）');
	await page.goto(`${BASE}/pairings`);
	expect((await rowNames()).sort()).toEqual(['测试包联企业（新名）', '测试包联社区']);

	await submit('[data-testid=pairing-list] tr:has-text("测试包联社区") button:has-text("结束")');
	await expect(page.locator('[data-testid=pairing-done]')).toContainText('已结束包联：测试包联社区');
	await page.goto(`${BASE}/pairings`);
	expect(await rowNames()).toEqual(['测试包联企业（新名）']);
	await page.click('[data-testid=toggle-ended]');
	await page.waitForURL(/ended=1/);
	expect(await page.textContent('[data-testid=pairing-list] tr:has-text("测试包联社区")')).toMatch(/\d{4}-\d{2}-\d{2} 结束/);
});
