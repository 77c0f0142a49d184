// POST /api/import (admins): a multipart upload (file, layer, crs, encoding, replaceDemo, mode, retireMissing) previewed,
// or committed with ?commit=1. The answer is NDJSON: {"progress": …} lines while it runs, then one
// {"report": …} or {"error": {code, message, field}} line, so the page can show progress.
import { ApiError, badParam, enumParam } from '$lib/domain/apierror';
import { CRS_LIST, ImportFileError, LAYERS } from '$lib/domain/import/types';
import { IMPORT_MODES } from '$lib/domain/import/diff';
import { requireUser } from '$lib/server/auth/user';
import { ready } from '$lib/server/db/database';
import { asUser } from '$lib/server/access/userdb';
import { runImport } from '$lib/server/import/run';
import { api } from '$lib/server/http/respond';
import type { RequestHandler } from './$types';

export const POST: RequestHandler = api(async (event) => {
	const user = requireUser(event, 'admin');
	const form = await event.request.formData().catch((e: { status?: number }) => {
		// adapter-node refuses bodies over BODY_SIZE_LIMIT (512 KB unless configured) while they are read
		if (e?.status === 413) throw new ApiError(413, 'too_large', '文件超过服务器允许的上传大小：请管理员把 BODY_SIZE_LIMIT 设为 64M（见 docs/import.md）', 'file');
		throw badParam('file', '请用 multipart/form-data 上传文件（file）');
	});
	const file = form.get('file');
	if (!(file instanceof File)) throw badParam('file', '请选择要导入的文件（file）');
	const layer = enumParam(String(form.get('layer') ?? ''), 'layer', '图层', LAYERS);
	const crs = enumParam(String(form.get('crs') ?? ''), 'crs', '坐标系', CRS_LIST);
	const encoding = enumParam(String(form.get('encoding') || 'auto'), 'encoding', '编码', ['auto', 'utf8', 'gbk'] as const);
	const mode = enumParam(String(form.get('mode') || 'append'), 'mode', '导入方式', IMPORT_MODES);
	const flag = (name: string) => form.get(name) === 'on' || form.get(name) === 'true';
	const input = { layer, crs, encoding, mode, fileName: file.name, bytes: new Uint8Array(await file.arrayBuffer()), replaceDemo: flag('replaceDemo'), retireMissing: flag('retireMissing') };
	const commit = event.url.searchParams.get('commit') === '1';
	// as the admin: the serving role writes imported rows under row-level security (0011)
	const db = asUser(await ready(), user);
	const encoder = new TextEncoder();
	const body = new ReadableStream<Uint8Array>({
		async start(controller) {
			const send = (x: unknown) => controller.enqueue(encoder.encode(JSON.stringify(x) + '\n'));
			try {
				send({ report: await runImport(db, user, input, { commit, onProgress: (progress) => send({ progress }) }) });
			} catch (e) {
				if (e instanceof ImportFileError) send(new ApiError(422, e.code, e.message, e.field ?? 'file').toJSON());
				else {
					console.error('[import]', e);
					send({ error: { code: 'internal', message: `导入失败，未写入任何数据：${(e as Error).message}` } });
				}
			}
			controller.close();
		}
	});
	return new Response(body, { headers: { 'content-type': 'application/x-ndjson; charset=utf-8', 'cache-control': 'no-store' } });
});
