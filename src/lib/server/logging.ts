// Every console line of the server goes through redactPii (domain/redact.ts): an error message
// that quotes a query parameter, a stack with a value in it, a debug print — none may carry a
// whole phone or ID number into the logs. Installed once, by hooks.server.ts.
import { format } from 'node:util';
import { redactPii } from '../domain/redact';

const KEY = Symbol.for('grid.logRedaction');

export function installLogRedaction(): void {
	const g = globalThis as { [KEY]?: boolean };
	if (g[KEY]) return;
	g[KEY] = true;
	for (const level of ['log', 'info', 'warn', 'error', 'debug'] as const) {
		const original = console[level].bind(console);
		console[level] = (...args: unknown[]) => original(redactPii(format(...args)));
	}
}
