#!/usr/bin/env node
// The installable app's icons (static/icons/*.png, committed), drawn from static/favicon.svg by the
// local Chromium: `node scripts/icons.mjs` after changing the favicon. Nothing is downloaded.
// "maskable" icons keep the mark inside the middle 80 % (the safe zone a launcher may crop to a
// circle), on a full-bleed background.
import { readFileSync } from 'node:fs';
import { chromium } from 'playwright-core';

const svg = readFileSync(new URL('../static/favicon.svg', import.meta.url), 'utf8');
const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium', args: ['--headless', '--no-sandbox'] });
const page = await browser.newPage();
const data = `data:image/svg+xml;base64,${Buffer.from(svg).toString('base64')}`;
for (const [name, size, maskable] of [['icon-192.png', 192, false], ['icon-512.png', 512, false], ['maskable-192.png', 192, true], ['maskable-512.png', 512, true]]) {
	await page.setViewportSize({ width: size, height: size });
	const inner = maskable ? Math.round(size * 0.7) : size;
	await page.setContent(`<html><body style="margin:0;width:${size}px;height:${size}px;display:grid;place-items:center;background:${maskable ? '#1d4ed8' : 'transparent'}">
		<img src="${data}" width="${inner}" height="${inner}"></body></html>`);
	await page.screenshot({ path: new URL(`../static/icons/${name}`, import.meta.url).pathname, omitBackground: !maskable });
	console.log(`static/icons/${name}`);
}
await browser.close();
