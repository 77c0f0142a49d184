import { describe, expect, it } from 'vitest';
import { maskIdNumber, maskName, maskPhone } from '../../src/lib/domain/mask';

describe('maskName', () => {
	it('keeps first and last character', () => {
		expect(maskName('张三华')).toBe('张*华');
		expect(maskName('欧阳娜娜')).toBe('欧**娜');
	});
	it('two characters keep the surname', () => expect(maskName('张三')).toBe('张*'));
	it('one character or none', () => expect([maskName('张'), maskName(''), maskName(null)]).toEqual(['*', '', '']));
	it('counts code points, not UTF-16 units', () => expect(maskName('𠀀小明')).toBe('𠀀*明'));
});

describe('maskPhone', () => {
	it('mobile', () => expect(maskPhone('13812341234')).toBe('138****1234'));
	it('landline keeps separators', () => expect(maskPhone('0731-88889999')).toBe('073*-****9999'));
	it('short and empty', () => expect([maskPhone('12345'), maskPhone(null)]).toEqual(['***45', '']));
});

describe('maskIdNumber', () => {
	it('18-digit ID', () => expect(maskIdNumber('43010219900101123X')).toBe('4301**********123X'));
	it('other documents', () => expect(maskIdNumber('E1234567')).toBe('E1****67'));
	it('empty', () => expect(maskIdNumber(undefined)).toBe(''));
});
