// Starts the app once for the whole browser suite, as a user starts it: `node scripts/start.mjs`
// with PORT, HOST and DATA_DIR only, built first when stale. The cases reach it at
// http://grid.intranet:PORT (BASE_URL, read by tests/support/browser.mjs in each worker) and start
// once the demo district is seeded. E2E_BASE_URL: use an app that is already running instead.
import { startApp } from '../support/app.mjs';

const HOST_NAME = 'grid.intranet';

export default async function globalSetup() {
	let local;
	let stop = async () => {};
	if (process.env.E2E_BASE_URL) {
		process.env.BASE_URL = process.env.E2E_BASE_URL.replace(/\/$/, '');
		local = process.env.BASE_URL.replace(`//${HOST_NAME}`, '//127.0.0.1');
	} else {
		const app = await startApp({ logPath: 'test-results/e2e/server.log', dataDir: process.env.E2E_DATA_DIR });
		process.env.BASE_URL = `http://${HOST_NAME}:${app.port}`;
		local = `http://127.0.0.1:${app.port}`;
		stop = app.stop;
	}
	// the demo district is seeded on first start (a minute or two)
	const started = Date.now();
	for (;;) {
		const status = await fetch(`${local}/api/status`).then((r) => r.json()).catch(() => null);
		if (status?.ready) break;
		if (Date.now() - started > 600_000) {
			await stop();
			throw new Error('the demo district was not ready after 600 s (test-results/e2e/server.log)');
		}
		await new Promise((r) => setTimeout(r, 1000));
	}
	console.log(`the app is ready at ${process.env.BASE_URL} after ${((Date.now() - started) / 1000).toFixed(0)} s`);
	return stop;
}
