// Any /api path no endpoint answers: a structured 404 instead of SvelteKit's HTML error page.
import { notFound } from '$lib/domain/apierror';
import { errorResponse } from '$lib/server/http/respond';

export const fallback = async ({ url }: { url: URL }) => errorResponse(notFound(`接口不存在：${url.pathname}`, 'path'));
