// The hazard loop (issue 19) in the browser, field steps at phone size (390×844, touch): a 网格员
// reports a hazard with a photo from /hazards/new, the 指挥中心 交办 it to a department, the
// department starts and records 整改完成 with an after-photo (from its workspace's to-do list),
// is not offered 复查 of its own work and is refused it by the API, and the 网格员 复查 it: 销号.
// The history then shows every step and the 整改前/整改后 photos side by side. A hazard reported
// offline waits in the outbox and is recorded once when the network returns.
import { artifacts } from '../support/browser.mjs';
import { BASE, expect, signedIn, test, USERS } from './fixtures.mjs';
import { gradientPng } from '../support/png.mjs';

const OUT = artifacts('hazard');
const PHONE = { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, locale: 'zh-CN' };
const OWN = USERS.gridWorker.slice(2);
test.describe.configure({ mode: 'serial' });

const picture = (name, seed) => ({ name, mimeType: 'image/png', buffer: gradientPng(640, 480, seed) });

const inside = (f) => {
	const ring = f.geometry.coordinates[0][0].slice(0, -1);
	return [ring.reduce((s, p) => s + p[0], 0) / ring.length, ring.reduce((s, p) => s + p[1], 0) / ring.length];
};

async function noOverflow(page, what) {
	const [width, inner] = await page.evaluate(() => [document.documentElement.scrollWidth, window.innerWidth]);
	expect(width, `${what}: no horizontal scroll (${width} px in ${inner})`).toBeLessThanOrEqual(inner);
}
async function dismissNotice(page) {
	const notice = page.getByTestId('secure-context-notice');
	if (await notice.count()) await notice.getByRole('button', { name: '知道了' }).click();
}
const status = (page) => page.getByTestId('hazard-status');

/** Taps the report map at [lon, lat], moved there first as a finger would pan. */
async function tapMap(page, [lon, lat]) {
	const px = await page.evaluate(([x, y]) => {
		const m = window.__loopMap;
		m.getContainer().scrollIntoView({ block: 'center' });
		m.jumpTo({ center: [x, y], zoom: 16 });
		const p = m.project([x, y]);
		const r = m.getContainer().getBoundingClientRect();
		return { x: r.left + p.x, y: r.top + p.y };
	}, [lon, lat]);
	await page.touchscreen.tap(px.x, px.y);
}

test('a hazard from the field to 销号: report, 交办, 整改 with an after-photo, 复查 by another person', async ({ browser }) => {
	test.setTimeout(480_000);
	const title = `楼道电动车违规充电（浏览器测试 ${Date.now()}）`;
	const worker = await signedIn(browser, USERS.gridWorker, PHONE);
	const wp = worker.page;
	const grids = await (await wp.request.get(`${BASE}/api/map/grids`)).json();
	const own = grids.features.find((f) => f.properties.code === OWN);
	expect(own, `the grid worker's own grid ${OWN}`).toBeTruthy();

	// ── 发现: the grid worker, on the phone ──
	const started = Date.now();
	await wp.goto(`${BASE}/hazards/new`);
	await wp.waitForSelector('[data-testid=hazard-report-map][data-ready=true]', { timeout: 60_000 });
	await dismissNotice(wp);
	await tapMap(wp, inside(own));
	await expect(wp.getByTestId('hazard-picked-grid')).toContainText(OWN, { timeout: 15_000 });
	await wp.getByTestId('hazard-type').selectOption('e_bike');
	await wp.getByTestId('hazard-title').fill(title);
	await wp.getByTestId('hazard-photos').setInputFiles([picture('IMG_0001.png', 3)]);
	await expect(wp.getByTestId('hazard-photo-note')).toContainText('1 张照片', { timeout: 30_000 });
	await noOverflow(wp, '/hazards/new');
	await wp.screenshot({ path: `${OUT}/1-new-phone.png`, fullPage: true });
	await wp.getByTestId('hazard-submit').tap();
	await wp.waitForURL(/\/hazards\/\d+\?reported=1/, { timeout: 60_000 });
	const reportedIn = Date.now() - started;
	const id = Number(new URL(wp.url()).pathname.split('/').pop());
	await expect(status(wp)).toHaveText('待整改');
	await expect(wp.getByTestId('hazard-department')).toHaveText('未交办');
	await expect(wp.getByTestId('report-photos').locator('img')).toHaveCount(1);
	// a grid worker does not 交办
	await expect(wp.getByTestId('hazard-move-assign')).toHaveCount(0);
	console.log(`hazard ${id} reported in ${reportedIn} ms from opening /hazards/new`);

	// ── 交办: the command centre, at a desk ──
	const dispatcher = await signedIn(browser, USERS.dispatcher);
	const dp = dispatcher.page;
	await dp.goto(`${BASE}/workspace`);
	await expect(dp.locator(`[data-testid=hazard-row][data-hazard-id="${id}"]`), 'the new hazard waits for 交办 in the dispatch workspace').toBeVisible();
	// the district's overdue list is cut to its most urgent 50 and says so, with a link to all of them
	const more = dp.locator('.ws-close [data-testid=more]');
	await expect(more).toContainText(/显示最紧急的 50 件，共 \d+ 件/);
	expect(await more.locator('a').getAttribute('href')).toBe('/requests?status=open&overdue=1');
	await dp.goto(`${BASE}/hazards/${id}`);
	const assign = dp.getByTestId('hazard-move-assign');
	await assign.getByTestId('assign-department').selectOption({ label: '区城管局' });
	await expect(assign).toContainText('整改时限：自现在起 7 天');
	await assign.getByRole('button', { name: '交办' }).click();
	await dp.waitForURL(/done=open/);
	await expect(dp.getByTestId('hazard-department')).toHaveText('区城管局');
	await dispatcher.context.close();

	// ── 开始整改 and 整改完成: the department, on the phone, from its to-do list ──
	const dept = await signedIn(browser, USERS.department, PHONE);
	const pp = dept.page;
	await pp.goto(`${BASE}/workspace`);
	await dismissNotice(pp);
	const row = pp.locator(`[data-testid=hazard-row][data-hazard-id="${id}"]`);
	await expect(row, 'the department sees the hazard assigned to it').toBeVisible();
	await noOverflow(pp, 'the department workspace');
	await row.getByRole('link').tap();
	await pp.waitForURL(new RegExp(`/hazards/${id}$`));
	await pp.getByTestId('hazard-move-start').getByRole('button', { name: '开始整改' }).tap();
	await pp.waitForURL(/done=rectifying/);
	await expect(status(pp)).toHaveText('整改中');
	const rectify = pp.getByTestId('hazard-move-rectify');
	await rectify.getByTestId('hazard-move-photos').setInputFiles([picture('IMG_0002.png', 7)]);
	await expect(rectify).toContainText('1 张照片', { timeout: 30_000 });
	await rectify.locator('input[name=note]').fill('充电线已拆除，电动车移至集中充电棚');
	await rectify.getByRole('button', { name: '整改完成' }).tap();
	await pp.waitForURL(/done=rectified/);
	await expect(status(pp)).toHaveText('已整改待复查');
	// the one who recorded 整改完成 is offered no 复查, and the API refuses it
	await expect(pp.getByTestId('hazard-move-close')).toHaveCount(0);
	await expect(pp.getByTestId('hazard-no-moves')).toContainText('须由他人复查');
	const version = Number((await pp.locator('text=/版本 \\d+/').first().innerText()).match(/版本 (\d+)/)[1]);
	const refused = await pp.request.post(`${BASE}/api/hazards/${id}/moves`, {
		headers: { origin: BASE, 'if-match': `"${version}"` }, data: { action: 'reinspect', result: 'pass' }
	});
	expect([403, 422]).toContain(refused.status());
	expect((await refused.json()).error.message).toMatch(/无权|登记人以外/);
	await noOverflow(pp, '/hazards/[id] for the department');
	await dept.context.close();

	// ── 复查: the grid worker passes it: 销号 ──
	await wp.goto(`${BASE}/hazards/${id}`);
	await wp.getByTestId('hazard-move-close').getByRole('button', { name: '复查通过（销号）' }).tap();
	await wp.waitForURL(/done=verified/);
	await expect(status(wp)).toHaveText('已销号');
	const timeline = wp.getByTestId('hazard-timeline');
	for (const step of ['发现上报', '交办', '开始整改', '整改完成', '复查通过（销号）']) await expect(timeline).toContainText(step);
	// 整改前 (the report's photo) and 整改后 side by side, both pictures loaded
	const pair = wp.getByTestId('photo-pair');
	await expect(pair.locator('figure[data-kind=before] img')).toHaveCount(1);
	await expect(pair.locator('figure[data-kind=after] img')).toHaveCount(1);
	await pair.scrollIntoViewIfNeeded();
	await expect.poll(() => pair.locator('img').evaluateAll((imgs) => imgs.every((i) => i.complete && i.naturalWidth > 0)), { timeout: 15_000 }).toBe(true);
	const [b, a] = await Promise.all([pair.locator('figure[data-kind=before]').boundingBox(), pair.locator('figure[data-kind=after]').boundingBox()]);
	expect(Math.abs(b.y - a.y), 'before and after side by side').toBeLessThan(4);
	expect(a.x).toBeGreaterThan(b.x);
	await noOverflow(wp, '/hazards/[id] at 销号');
	await wp.screenshot({ path: `${OUT}/2-verified-phone.png`, fullPage: true });
	await worker.context.close();
});

test('a hazard reported while offline waits in the outbox and is recorded exactly once when the network returns', async ({ browser }) => {
	test.setTimeout(240_000);
	const tag = `离线隐患${Date.now().toString(36)}`;
	const { context, page } = await signedIn(browser, USERS.gridWorker, PHONE);
	const grids = await (await page.request.get(`${BASE}/api/map/grids`)).json();
	await page.goto(`${BASE}/hazards/new`);
	await page.waitForSelector('[data-testid=hazard-report-map][data-ready=true]', { timeout: 60_000 });
	await dismissNotice(page);
	await tapMap(page, inside(grids.features.find((f) => f.properties.code === OWN)));
	await expect(page.getByTestId('hazard-picked-grid')).toContainText(OWN, { timeout: 15_000 });
	await page.getByTestId('hazard-type').selectOption('gas');
	await page.getByTestId('hazard-title').fill(`${tag}：燃气软管老化`);
	await page.getByTestId('hazard-photos').setInputFiles([picture('IMG_0003.png', 5)]);
	await expect(page.getByTestId('hazard-photo-note')).toContainText('1 张照片', { timeout: 30_000 });

	await context.setOffline(true);
	await page.getByTestId('hazard-submit').tap();
	const badge = page.getByTestId('outbox-badge');
	await expect(badge).toHaveAttribute('data-count', '1', { timeout: 15_000 });
	await expect(page).toHaveURL(/\/hazards\/new/);

	const back = Date.now();
	await context.setOffline(false);
	// the badge goes away once nothing waits
	await expect(badge).toHaveCount(0, { timeout: 30_000 });
	console.log(`offline hazard report synced ${Date.now() - back} ms after the network returned`);
	await page.goto(`${BASE}/workspace`);
	const rows = page.locator('[data-testid=hazard-row]', { hasText: tag });
	await expect(rows, 'recorded once').toHaveCount(1);
	await rows.getByRole('link').tap();
	await expect(status(page)).toHaveText('待整改');
	await expect(page.getByTestId('report-photos').locator('img')).toHaveCount(1);
	await context.close();
});

test('转为隐患: from a request in the own grid, the report form starts at its place and words; the hazard links back', async ({ browser }) => {
	test.setTimeout(240_000);
	const worker = await signedIn(browser, USERS.gridWorker, PHONE);
	const wp = worker.page;
	const list = await (await wp.request.get(`${BASE}/api/requests?area=${OWN}&limit=1`)).json();
	const req = list.rows[0];
	expect(req, `a request in grid ${OWN}`).toBeTruthy();
	await wp.goto(`${BASE}/requests/${req.id}`);
	await dismissNotice(wp);
	await wp.getByTestId('request-to-hazard').tap();
	await wp.waitForURL(/\/hazards\/new\?request=/);
	await expect(wp.getByTestId('hazard-from')).toContainText(`诉求 ${req.code}`);
	await expect(wp.getByTestId('hazard-title')).toHaveValue(req.title.slice(0, 100));
	await expect(wp.getByTestId('hazard-picked-grid')).toContainText(OWN, { timeout: 30_000 });
	await wp.getByTestId('hazard-type').selectOption('fire_access');
	await wp.getByTestId('hazard-submit').tap();
	await wp.waitForURL(/\/hazards\/\d+\?reported=1/, { timeout: 60_000 });
	await expect(wp.getByTestId('hazard-source')).toContainText(req.code);
	await wp.goto(`${BASE}/requests/${req.id}`);
	await expect(wp.getByTestId('request-hazards')).toContainText('由此发现的隐患');
	await worker.context.close();
});
