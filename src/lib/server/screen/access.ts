// The big-screen credential (role 'screen') reads aggregates only: it may open the screen, its
// aggregate endpoints, the live stream and the map's geometry (base map, grid and area outlines),
// and nothing that lists requests, households or people.
const PAGES = ['/screen', '/login', '/logout'];
const APIS = ['/api/screen/', '/api/live', '/api/status', '/api/map/basemap', '/api/map/grids', '/api/map/areas', '/api/map/meta'];

export function screenMayOpen(pathname: string): boolean {
	if (pathname.startsWith('/_app/') || pathname === '/favicon.svg') return true;
	if (PAGES.some((p) => pathname === p || pathname.startsWith(p + '/'))) return true;
	return APIS.some((p) => (p.endsWith('/') ? pathname.startsWith(p) : pathname === p || pathname.startsWith(p + '?')));
}
