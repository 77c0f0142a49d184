// Starts the app for the browser suite, as a user starts it: `node scripts/start.mjs` with PORT,
// HOST and DATA_DIR only, built first when stale — one app per Playwright worker, each with its own
// data, so two workers run spec files side by side without seeing each other's writes (the files
// of one worker still run one at a time, in order). The cases reach their worker's app at
// http://grid.intranet:PORT (BASE_URLS, read by tests/support/browser.mjs in each worker) and start
// once the demo districts are seeded (in parallel: each seed is one busy thread). E2E_BASE_URL: use
// an app that is already running instead (then one worker, playwright.config.mjs).
import { startApp } from '../support/app.mjs';

const HOST_NAME = 'grid.intranet';

export default async function globalSetup(config) {
	/** @type {string[]} */
	let locals;
	let stop = async () => {};
	if (process.env.E2E_BASE_URL) {
		process.env.BASE_URLS = process.env.E2E_BASE_URL.replace(/\/$/, '');
		locals = [process.env.BASE_URLS.replace(`//${HOST_NAME}`, '//127.0.0.1')];
	} else {
		const count = Math.max(1, config.workers || 1);
		// one after the other: each answers HTTP within seconds and seeds after, so the seeds still
		// overlap, and one port, one build check at a time
		const apps = [];
		try {
			for (let i = 0; i < count; i++) {
				apps.push(await startApp({ logPath: `test-results/e2e/server${i ? `-${i + 1}` : ''}.log`, dataDir: i === 0 ? process.env.E2E_DATA_DIR : undefined }));
			}
		} catch (e) {
			await Promise.all(apps.map((a) => a.stop()));
			throw e;
		}
		process.env.BASE_URLS = apps.map((a) => `http://${HOST_NAME}:${a.port}`).join(',');
		locals = apps.map((a) => `http://127.0.0.1:${a.port}`);
		stop = async () => {
			await Promise.all(apps.map((a) => a.stop()));
		};
	}
	// the demo district is seeded on first start (a minute or two)
	const started = Date.now();
	for (const local of locals) {
		for (;;) {
			const status = await fetch(`${local}/api/status`).then((r) => r.json()).catch(() => null);
			if (status?.ready) break;
			if (Date.now() - started > 600_000) {
				await stop();
				throw new Error(`the demo district at ${local} was not ready after 600 s (test-results/e2e/server*.log)`);
			}
			await new Promise((r) => setTimeout(r, 1000));
		}
	}
	console.log(`the app is ready at ${process.env.BASE_URLS} after ${((Date.now() - started) / 1000).toFixed(0)} s`);
	return stop;
}
