// Masking of personal data shown on the map (个人信息去标识化显示). Names, phones and ID numbers
// leave the server masked; only an explicit, logged unmasking may show them whole.

/** 张三华 → 张*华, 张三 → 张*, 欧阳娜娜 → 欧**娜; counts characters, not UTF-16 units. */
export function maskName(name: string | null | undefined): string {
	const chars = Array.from((name ?? '').trim());
	if (chars.length === 0) return '';
	if (chars.length === 1) return '*';
	if (chars.length === 2) return chars[0] + '*';
	return chars[0] + '*'.repeat(chars.length - 2) + chars[chars.length - 1];
}

/**
 * 13812341234 → 138****1234. Other numbers keep their first 3 and last 4 digits when they have
 * at least 8; shorter ones keep only the last 2. Separators (-, spaces, +) stay where they are.
 */
export function maskPhone(phone: string | null | undefined): string {
	const s = (phone ?? '').trim();
	const digits = s.replace(/\D/g, '').length;
	if (digits === 0) return '';
	const [head, tail] = digits >= 8 ? [3, 4] : [0, Math.min(2, digits - 1)];
	let seen = 0;
	return s.replace(/\d/g, (d) => {
		const i = seen++;
		return i < head || i >= digits - tail ? d : '*';
	});
}

/**
 * 18-digit 居民身份证号 430102199001011234 → 4301**********1234: the province/city and the last
 * four stay (enough to tell two residents apart on a call), birth date and county are hidden.
 * Anything else keeps its first 2 and last 2 characters.
 */
export function maskIdNumber(id: string | null | undefined): string {
	const chars = Array.from((id ?? '').trim());
	if (chars.length === 0) return '';
	const [head, tail] = chars.length >= 15 ? [4, 4] : chars.length > 4 ? [2, 2] : [0, 0];
	return chars.map((c, i) => (i < head || i >= chars.length - tail ? c : '*')).join('');
}
