// Every console line of the server goes through the structured logger (ops/log.ts): JSON with the
// request id, and redactPii (domain/redact.ts) on every line as it is written — an error message
// that quotes a query parameter, a stack with a value in it, a debug print: none may carry a whole
// phone or ID number into the logs. The message text stays what it was ("[db] …", "[server] …"),
// so a grep for it still finds it. Installed once, by hooks.server.ts.
import { format } from 'node:util';
import { log } from './ops/log';

const KEY = Symbol.for('grid.logRedaction');

const LEVEL = { log: 'info', info: 'info', debug: 'debug', warn: 'warn', error: 'error' } as const;

export function installLogRedaction(): void {
	const g = globalThis as { [KEY]?: boolean };
	if (g[KEY]) return;
	g[KEY] = true;
	for (const level of ['log', 'info', 'warn', 'error', 'debug'] as const) {
		const to = LEVEL[level];
		console[level] = (...args: unknown[]) => log[to](format(...args));
	}
}
