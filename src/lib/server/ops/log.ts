// Structured logs (issue 21): one JSON object a line, from pino, on standard output. Each line
// written while a request is handled carries its `reqId` (ops/context.ts). Every line passes
// redactPii (domain/redact.ts) as it is written — the message, the fields, a stack — so no whole
// phone or ID number reaches a log. LOG_LEVEL sets the level (info), LOG_FORMAT=pretty prints one
// plain line per entry for a person at a terminal.
import pino, { type DestinationStream, type Logger } from 'pino';
import { redactPii } from '../../domain/redact';
import { currentRequestId } from './context';

/** A stream that turns pino's JSON lines into "HH:MM:SS LEVEL [reqId] message {fields}". */
function prettyStream(out: NodeJS.WritableStream): DestinationStream {
	const LEVELS: Record<number, string> = { 10: 'TRACE', 20: 'DEBUG', 30: 'INFO', 40: 'WARN', 50: 'ERROR', 60: 'FATAL' };
	return {
		write(line: string) {
			try {
				const { time, level, msg, reqId, severity: _s, pid: _p, hostname: _h, ...rest } = JSON.parse(line);
				const extra = Object.keys(rest).length ? ` ${JSON.stringify(rest)}` : '';
				out.write(`${new Date(time).toISOString().slice(11, 19)} ${LEVELS[level] ?? level} ${reqId ? `[${reqId}] ` : ''}${msg ?? ''}${extra}\n`);
			} catch {
				out.write(line);
			}
		}
	};
}

/** A logger writing to `destination` (standard output by default), redacted, with the request id. */
export function createLogger(destination?: DestinationStream, level = process.env.LOG_LEVEL || 'info'): Logger {
	const pretty = process.env.LOG_FORMAT === 'pretty';
	// process.stdout: synchronous on Linux for files, pipes and terminals, so the last lines before
	// an exit are not lost (and a test can watch it)
	const dest = destination ?? (pretty ? prettyStream(process.stdout) : (process.stdout as DestinationStream));
	return pino(
		{
			level,
			base: { pid: process.pid },
			timestamp: pino.stdTimeFunctions.isoTime,
			formatters: { level: (label, number) => ({ level: number, severity: label }) },
			mixin: () => {
				const reqId = currentRequestId();
				return reqId ? { reqId } : {};
			},
			hooks: { streamWrite: redactPii }
		},
		dest
	);
}

const KEY = Symbol.for('grid.logger');
/** The process's logger (one across the server script and the SvelteKit bundle). */
export const log: Logger = ((globalThis as Record<symbol, unknown>)[KEY] ??= createLogger()) as Logger;
