// Whole phone and ID numbers never reach a log line: anything that looks like a mainland mobile
// number (11 digits from 13–19) or a 居民身份证号 (18 characters, 17 digits and a digit or X) is
// masked the way the UI masks it. Applied to every console line of the server (logging.ts).

import { ID_NUMBER, MOBILE } from './piipatterns.js';

export function redactPii(text: string): string {
	return text.replace(ID_NUMBER, '$1**********$2').replace(MOBILE, '$1****$2');
}

/** True when text still holds something redactPii would mask (the test runner's log check). */
export function findPii(text: string): string[] {
	return [...text.matchAll(ID_NUMBER), ...text.matchAll(MOBILE)].map((m) => m[0]);
}
