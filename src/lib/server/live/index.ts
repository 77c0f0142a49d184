// The process-wide hub, started on the first screen that connects.
import { ready } from '../db/database';
import { LiveHub } from './hub';

let hub: Promise<LiveHub> | null = null;

export function liveHub(): Promise<LiveHub> {
	hub ??= (async () => {
		const h = new LiveHub(await ready());
		await h.start();
		return h;
	})().catch((e) => {
		hub = null;
		throw e;
	});
	return hub;
}
