// Photos shrunk on the phone before upload: a 12 MP camera picture (3–6 MB) becomes a JPEG whose
// longer edge is PHOTO_MAX_EDGE px (~0.2–0.5 MB), so a report goes through on a weak signal and
// fits the server's limit. Browser code only.
import { fitWithin, PHOTO_JPEG_QUALITY, PHOTO_MAX_EDGE } from '../domain/photos';

/** The image decoded, upright (createImageBitmap applies the EXIF orientation), or an <img> where it is missing. */
async function decode(file: Blob): Promise<{ source: CanvasImageSource; width: number; height: number; close: () => void }> {
	if (typeof createImageBitmap === 'function') {
		try {
			const bitmap = await createImageBitmap(file, { imageOrientation: 'from-image' });
			return { source: bitmap, width: bitmap.width, height: bitmap.height, close: () => bitmap.close() };
		} catch {
			// an older engine refusing the options, or a format it cannot decode this way: the <img> below
		}
	}
	const url = URL.createObjectURL(file);
	try {
		const img = new Image();
		img.src = url;
		await img.decode();
		return { source: img, width: img.naturalWidth, height: img.naturalHeight, close: () => URL.revokeObjectURL(url) };
	} catch (e) {
		URL.revokeObjectURL(url);
		throw e;
	}
}

/**
 * `file` as a JPEG no larger than `edge` px on its longer side. A picture already that small and a
 * JPEG stays as it is (re-encoding would only lose quality); one that cannot be decoded is thrown
 * back with a Chinese message.
 */
export async function resizePhoto(file: File, edge = PHOTO_MAX_EDGE, quality = PHOTO_JPEG_QUALITY): Promise<File> {
	let image;
	try {
		image = await decode(file);
	} catch {
		throw new Error(`无法读取照片“${file.name}”：请拍照或选择 JPG、PNG、WebP 图片`);
	}
	try {
		const size = fitWithin(image.width, image.height, edge);
		if (size.width === image.width && size.height === image.height && file.type === 'image/jpeg') return file;
		const canvas = document.createElement('canvas');
		canvas.width = size.width;
		canvas.height = size.height;
		const ctx = canvas.getContext('2d')!;
		// a transparent PNG on white, not black
		ctx.fillStyle = '#fff';
		ctx.fillRect(0, 0, size.width, size.height);
		ctx.drawImage(image.source, 0, 0, size.width, size.height);
		const blob = await new Promise<Blob | null>((resolve) => canvas.toBlob(resolve, 'image/jpeg', quality));
		if (!blob) throw new Error(`无法压缩照片“${file.name}”`);
		const name = file.name.replace(/\.[^.]*$/, '') + '.jpg';
		return new File([blob], name, { type: 'image/jpeg', lastModified: file.lastModified });
	} finally {
		image.close();
	}
}
