// Liveness: the process answers. 200 whenever the event loop runs, whatever the database does —
// restarting the process would not bring a database back (readiness is /api/health/ready).
import { jsonResponse } from '$lib/server/http/respond';

export const GET = () => jsonResponse({ status: 'live', uptimeS: Math.round(process.uptime()) }, 200, { 'cache-control': 'no-store' });
