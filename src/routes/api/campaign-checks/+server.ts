// POST {campaignId, householdId, answers: [true|false…], notes?, checkedAt?}: a grid worker's 专项行动
// check of one household, from the phone or its outbox. With an Idempotency-Key header the same key
// and body records it once: 201 the first time (with the hazards its "否" items created), 200 with
// the same record after; the same key with another body is a 422.
import { CAMPAIGN_CHECKERS, parseCampaignCheck } from '$lib/domain/campaign';
import { parseIdempotencyKey } from '$lib/domain/requestinput';
import { dbFor } from '$lib/server/access/request';
import { requireUser } from '$lib/server/auth/user';
import { recordCampaignCheck } from '$lib/server/campaigns/campaigns';
import { readJson } from '$lib/server/http/body';
import { api, jsonResponse } from '$lib/server/http/respond';

export const POST = api(async (event) => {
	const user = requireUser(event, ...CAMPAIGN_CHECKERS, 'admin');
	const input = parseCampaignCheck(await readJson(event.request));
	const key = parseIdempotencyKey(event.request.headers.get('idempotency-key'));
	const check = await recordCampaignCheck(await dbFor(event), { id: user.id, role: user.role, departmentId: user.departmentId ?? null }, input, key);
	return jsonResponse(check, check.replayed ? 200 : 201);
});
