// PNG pictures for the browser tests' photo uploads, made here (no image library, no fixture files):
// 8-bit RGB rows deflated with node:zlib, CRC-checked chunks, so a browser decodes and resizes them
// as it would a phone camera's picture.
import { deflateSync } from 'node:zlib';

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
	let c = n;
	for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
	return c >>> 0;
});

function crc(buf) {
	let c = 0xffffffff;
	for (const b of buf) c = CRC_TABLE[(c ^ b) & 0xff] ^ (c >>> 8);
	return (c ^ 0xffffffff) >>> 0;
}

function chunk(type, data) {
	const head = Buffer.alloc(8);
	head.writeUInt32BE(data.length, 0);
	head.write(type, 4, 'ascii');
	const tail = Buffer.alloc(4);
	tail.writeUInt32BE(crc(Buffer.concat([Buffer.from(type, 'ascii'), data])), 0);
	return Buffer.concat([head, data, tail]);
}

/** A width × height PNG whose pixel (x, y) `rgb(x, y, raw, offset)` writes as three bytes at raw[offset]. */
export function png(width, height, rgb) {
	const raw = Buffer.alloc((width * 3 + 1) * height);
	for (let y = 0, o = 0; y < height; y++) {
		raw[o++] = 0; // no filter
		for (let x = 0; x < width; x++, o += 3) rgb(x, y, raw, o);
	}
	const ihdr = Buffer.alloc(13);
	ihdr.writeUInt32BE(width, 0);
	ihdr.writeUInt32BE(height, 4);
	ihdr.set([8, 2, 0, 0, 0], 8);
	return Buffer.concat([Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]), chunk('IHDR', ihdr), chunk('IDAT', deflateSync(raw, { level: 6 })), chunk('IEND', Buffer.alloc(0))]);
}

/** A colour gradient varied by `seed`: a decodable picture, different for each seed. */
export const gradientPng = (width, height, seed) =>
	png(width, height, (x, y, raw, o) => {
		raw[o] = (x * seed) & 255;
		raw[o + 1] = (y * 3) & 255;
		raw[o + 2] = (x + y + seed * 40) & 255;
	});
