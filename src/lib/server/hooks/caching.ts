// Signed-in answers carry someone's view of the data: never kept by a shared cache.
import type { Handle } from '@sveltejs/kit';

export const privateCaching: Handle = async ({ event, resolve }) => {
	const response = await resolve(event);
	if (event.locals.user && !response.headers.get('cache-control')?.includes('private')) {
		const cc = response.headers.get('cache-control');
		response.headers.set('cache-control', cc ? `private, ${cc.replace(/\bpublic,?\s*/, '')}` : 'private, no-cache');
	}
	return response;
};
