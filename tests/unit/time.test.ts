import { describe, expect, it } from 'vitest';
import { formatCst, isoCst, isoCstOrNull, localDate } from '../../src/lib/domain/time';
import { requestCode } from '../../src/lib/domain/workflow';

describe('Beijing time, shown and exchanged', () => {
	// 2026-11-29 23:30:05 UTC is 2026-11-30 07:30:05 in Beijing: a different day
	const at = new Date('2026-11-29T23:30:05Z');
	it('pages show YYYY-MM-DD HH:mm in Beijing time whatever the zone of the machine', () => {
		expect(formatCst(at)).toBe('2026-11-30 07:30');
		expect(formatCst(at, true)).toBe('2026-11-30 07:30:05');
		expect(formatCst('2026-11-29T23:30:05Z')).toBe('2026-11-30 07:30');
	});
	it('APIs and files carry +08:00', () => {
		expect(isoCst(at)).toBe('2026-11-30T07:30:05+08:00');
		expect(isoCst(new Date('2026-11-29T23:30:05.250Z'))).toBe('2026-11-30T07:30:05.250+08:00');
		expect(new Date(isoCst(at)).getTime()).toBe(at.getTime());
		expect(isoCstOrNull(null)).toBeNull();
	});
	it('the Beijing day of an instant, and the request code built on it', () => {
		expect(localDate(at)).toBe('2026-11-30');
		expect(localDate(new Date('2026-11-29T15:59:59Z'))).toBe('2026-11-29');
		expect(localDate(new Date('2026-11-29T16:00:00Z'))).toBe('2026-11-30');
		expect(requestCode(42, at)).toBe('SQ20261130000042');
	});
});
