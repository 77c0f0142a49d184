// A .zip read defensively: the central directory is checked (entry count, names, declared sizes
// and ratios) before a single byte is inflated, and inflating is capped at the declared size, so
// a zip bomb or a lying header stops with a message instead of filling memory.
import { inflateRawSync } from 'node:zlib';
import { ImportFileError, mb, type ImportLimits } from '../../domain/import/types';

export interface ZipEntry {
	name: string;
	method: number;
	compressedSize: number;
	size: number;
	localOffset: number;
}

const EOCD = 0x06054b50;
const CENTRAL = 0x02014b50;
const LOCAL = 0x04034b50;

export function listZip(buf: Buffer, limits: ImportLimits): ZipEntry[] {
	const bad = (why: string) => new ImportFileError('bad_zip', `不是有效的 .zip 压缩包：${why}`);
	// the end record sits in the last 22 + 65535 (comment) bytes
	let eocd = -1;
	for (let i = buf.length - 22; i >= Math.max(0, buf.length - 22 - 65535); i--) {
		if (buf.readUInt32LE(i) === EOCD) {
			eocd = i;
			break;
		}
	}
	if (eocd < 0) throw bad('找不到目录记录');
	const count = buf.readUInt16LE(eocd + 10);
	let at = buf.readUInt32LE(eocd + 16);
	if (count === 0xffff || at === 0xffffffff) throw bad('不支持 ZIP64 格式');
	if (count > limits.maxZipEntries) throw new ImportFileError('zip_limits', `压缩包有 ${count} 个文件，超过上限 ${limits.maxZipEntries} 个`);
	const entries: ZipEntry[] = [];
	let total = 0;
	for (let i = 0; i < count; i++) {
		if (at + 46 > buf.length || buf.readUInt32LE(at) !== CENTRAL) throw bad('目录损坏');
		const flags = buf.readUInt16LE(at + 8);
		const nameLength = buf.readUInt16LE(at + 28);
		const rawName = buf.subarray(at + 46, at + 46 + nameLength);
		// bit 11: UTF-8 name; otherwise Windows tools in China write GBK, which only shows in the message
		const name = flags & 0x800 ? rawName.toString('utf8') : rawName.toString('latin1');
		const entry = {
			name,
			method: buf.readUInt16LE(at + 10),
			compressedSize: buf.readUInt32LE(at + 20),
			size: buf.readUInt32LE(at + 24),
			localOffset: buf.readUInt32LE(at + 42)
		};
		at += 46 + nameLength + buf.readUInt16LE(at + 30) + buf.readUInt16LE(at + 32);
		if (name.includes('..') || name.startsWith('/') || name.startsWith('\\') || /^[a-zA-Z]:/.test(name)) {
			throw new ImportFileError('zip_path', `压缩包中的文件名“${name}”含有上级目录或绝对路径，已拒绝（路径穿越）`);
		}
		if (flags & 0x1) throw new ImportFileError('zip_encrypted', `压缩包中的“${name}”已加密，请解密后重新打包`);
		if (entry.method !== 0 && entry.method !== 8) throw bad(`“${name}”使用了不支持的压缩方式（${entry.method}），请用普通 ZIP（Deflate）重新打包`);
		const ratio = entry.size / Math.max(1, entry.compressedSize);
		if (ratio > limits.maxZipRatio) {
			throw new ImportFileError('zip_bomb', `压缩包中的“${name}”压缩比 ${Math.round(ratio)}:1，超过上限 ${limits.maxZipRatio}:1（疑似压缩炸弹），已拒绝`);
		}
		total += entry.size;
		if (total > limits.maxZipUncompressed) {
			throw new ImportFileError('zip_bomb', `压缩包解压后超过 ${mb(limits.maxZipUncompressed)}，已拒绝（上限 ${mb(limits.maxZipUncompressed)}）`);
		}
		entries.push(entry);
	}
	return entries;
}

/** The entry's bytes; inflating stops at the size the directory declared. */
export function readEntry(buf: Buffer, e: ZipEntry): Buffer {
	if (buf.readUInt32LE(e.localOffset) !== LOCAL) throw new ImportFileError('bad_zip', `不是有效的 .zip 压缩包：“${e.name}”的文件头损坏`);
	const start = e.localOffset + 30 + buf.readUInt16LE(e.localOffset + 26) + buf.readUInt16LE(e.localOffset + 28);
	const data = buf.subarray(start, start + e.compressedSize);
	if (e.method === 0) return Buffer.from(data);
	try {
		return inflateRawSync(data, { maxOutputLength: Math.max(1, e.size) });
	} catch (err) {
		const why = (err as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE' ? '解压后比声明的大小更大（疑似压缩炸弹）' : '数据损坏';
		throw new ImportFileError('bad_zip', `压缩包中的“${e.name}”无法解压：${why}`);
	}
}
