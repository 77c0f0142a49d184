// An unreachable database answers 503 (http/unavailable.ts), never 500: wraps every other handle.
import type { Handle, HandleServerError } from '@sveltejs/kit';
import { databaseFaults, noteDatabaseFault, UNAVAILABLE } from '../http/unavailable';

export const databaseFaultsHandle: Handle = ({ event, resolve }) => databaseFaults(event, async () => resolve(event));

/** Unexpected errors: logged (redacted), answered with a message that gives nothing away. */
export const handleError: HandleServerError = ({ error, event }) => {
	if (noteDatabaseFault(error, event)) return { message: UNAVAILABLE.message, code: UNAVAILABLE.code };
	console.error(`[server] ${event.request.method} ${event.url.pathname}:`, error);
	return { message: '服务器内部错误，请稍后重试' };
};
