// A TCP port nothing listens on (the OS picks it, then it is released): for a PostgreSQL URL that
// must be unreachable, or a server a test starts.
import { createServer } from 'node:net';

export const freePort = () =>
	new Promise<number>((resolve) => {
		const s = createServer().listen(0, '127.0.0.1', () => {
			const { port } = s.address() as { port: number };
			s.close(() => resolve(port));
		});
	});
