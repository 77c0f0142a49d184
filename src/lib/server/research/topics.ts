// 调研课题 (research topic): a saved 解剖麻雀 choice of sites (topic, sites with role and reason,
// notes, the weights and filter that chose them), listed for its leader and handed to the visit
// planner (/visits/new lists the leader's research topics and imports their sites as stops).
// Stored under the older word "plan": tables research_plans and research_plan_sites (plan_id),
// see RESEARCH_TOPIC_STORED in domain/glossary.ts; the SQL here is the only place naming them.
import { ApiError, badParam, notFound } from '../../domain/apierror';
import type { Database, Queryable } from '../db/client';

export interface ResearchTopicInput { topic: string; notes: string; settings: Record<string, unknown>; sites: { gridCode: string; role: 'study' | 'contrast'; reason: string }[] }

export function parseResearchTopic(body: unknown): ResearchTopicInput {
	if (!body || typeof body !== 'object') throw badParam('body', '请求体必须是 JSON 对象');
	const b = body as Record<string, unknown>;
	const topic = typeof b.topic === 'string' ? b.topic.trim() : '';
	if (!topic || topic.length > 100) throw badParam('topic', '调研课题名称（topic）不能为空，最多 100 字');
	const notes = b.notes == null ? '' : b.notes;
	if (typeof notes !== 'string' || notes.length > 2000) throw badParam('notes', '备注（notes）必须是文字，最多 2000 字');
	const settings = b.settings == null ? {} : b.settings;
	if (typeof settings !== 'object' || Array.isArray(settings)) throw badParam('settings', '选点设置（settings）必须是对象');
	if (!Array.isArray(b.sites) || b.sites.length < 1 || b.sites.length > 21) throw badParam('sites', '调研点（sites）需要 1–21 个');
	const seen = new Set<string>();
	const sites = b.sites.map((s: any, i: number) => {
		const gridCode = String(s?.gridCode ?? '');
		if (!/^[0-9]{15}$/.test(gridCode)) throw badParam(`sites[${i}].gridCode`, `第 ${i + 1} 个调研点的网格编码必须是 15 位数字，收到“${gridCode}”`);
		if (seen.has(gridCode)) throw badParam(`sites[${i}].gridCode`, `第 ${i + 1} 个调研点与前面的重复：${gridCode}`);
		seen.add(gridCode);
		const role = s?.role ?? 'study';
		if (role !== 'study' && role !== 'contrast') throw badParam(`sites[${i}].role`, `第 ${i + 1} 个调研点的类型只能是 study（调研点）或 contrast（对照点）`);
		const reason = typeof s?.reason === 'string' ? s.reason.trim() : '';
		if (!reason || reason.length > 1000) throw badParam(`sites[${i}].reason`, `第 ${i + 1} 个调研点需要选点理由（reason），最多 1000 字`);
		return { gridCode, role, reason };
	});
	return { topic, notes, settings: settings as Record<string, unknown>, sites };
}

export async function saveResearchTopic(db: Database, leaderId: number, p: ResearchTopicInput): Promise<number> {
	return db.transaction(async (tx) => {
		const known = await tx.sql<{ code: string }>`SELECT code FROM grids WHERE code = ANY(${p.sites.map((s) => s.gridCode)}::text[])`;
		const missing = p.sites.findIndex((s) => !known.some((k) => k.code === s.gridCode));
		if (missing >= 0) throw badParam(`sites[${missing}].gridCode`, `网格 ${p.sites[missing].gridCode} 不存在`);
		const [row] = await tx.sql<{ id: number }>`
			INSERT INTO research_plans (leader_id, topic, notes, weights) VALUES (${leaderId}, ${p.topic}, ${p.notes}, ${JSON.stringify(p.settings)}::jsonb) RETURNING id`;
		for (const [i, s] of p.sites.entries()) {
			await tx.sql`INSERT INTO research_plan_sites (plan_id, seq, grid_code, role, reason) VALUES (${row.id}, ${i + 1}, ${s.gridCode}, ${s.role}, ${s.reason})`;
		}
		return row.id;
	});
}

export interface ResearchTopicSummary { id: number; topic: string; notes: string; createdAt: string; leader: string; sites: number }

export async function listResearchTopics(db: Queryable, leaderId: number | null): Promise<ResearchTopicSummary[]> {
	return db.sql<ResearchTopicSummary>`
		SELECT p.id, p.topic, p.notes, p.created_at AS "createdAt", u.display_name AS leader, (SELECT count(*) FROM research_plan_sites s WHERE s.plan_id = p.id) AS sites
		FROM research_plans p JOIN users u ON u.id = p.leader_id WHERE ${leaderId}::int IS NULL OR p.leader_id = ${leaderId} ORDER BY p.created_at DESC, p.id DESC LIMIT 200`;
}

export async function getResearchTopic(db: Queryable, id: number, viewer: { id: number; role: string }) {
	const [topic] = await db.sql<{ id: number; topic: string; notes: string; settings: any; createdAt: string; leaderId: number; leader: string }>`
		SELECT p.id, p.topic, p.notes, p.weights AS settings, p.created_at AS "createdAt", p.leader_id AS "leaderId", u.display_name AS leader
		FROM research_plans p JOIN users u ON u.id = p.leader_id WHERE p.id = ${id}`;
	if (!topic) throw notFound(`调研课题 ${id} 不存在`, 'id');
	if (viewer.role !== 'admin' && viewer.role !== 'leader') throw new ApiError(403, 'forbidden', '只有领导和管理员可以查看调研课题');
	const sites = await db.sql<{ seq: number; gridCode: string; name: string; role: string; reason: string; lon: number; lat: number }>`
		SELECT s.seq, s.grid_code AS "gridCode", g.name AS name, s.role, s.reason, ST_X(g.label_point) AS lon, ST_Y(g.label_point) AS lat
		FROM research_plan_sites s JOIN grids g ON g.code = s.grid_code JOIN areas c ON c.code = g.community_code WHERE s.plan_id = ${id} ORDER BY s.seq`;
	return { ...topic, settings: typeof topic.settings === 'string' ? JSON.parse(topic.settings) : topic.settings, sites };
}

/** Whether research topic `id` exists (a visit may name the topic its stops came from). */
export async function researchTopicExists(db: Queryable, id: number): Promise<boolean> {
	return (await db.sql`SELECT 1 FROM research_plans WHERE id = ${id}`).length > 0;
}

export interface TopicSite { grid_code: string; grid_name: string; seq: number; role: string; reason: string; lon: number; lat: number }

/** The leader's research topics with their sites at each grid's label point: stops for a new visit. */
export async function researchTopicSites(db: Queryable, leaderId: number): Promise<{ id: number; topic: string; sites: TopicSite[] }[]> {
	const rows = await db.sql<TopicSite & { topic_id: number; topic: string }>`
		SELECT p.id AS topic_id, p.topic, s.seq, s.grid_code, g.name AS grid_name, s.role, s.reason, ST_X(g.label_point) AS lon, ST_Y(g.label_point) AS lat
		FROM research_plans p JOIN research_plan_sites s ON s.plan_id = p.id JOIN grids g ON g.code = s.grid_code
		WHERE p.leader_id = ${leaderId} ORDER BY p.created_at DESC, p.id DESC, s.seq LIMIT 200`;
	const topics = new Map<number, { id: number; topic: string; sites: TopicSite[] }>();
	for (const { topic_id, topic, ...site } of rows) {
		if (!topics.has(topic_id)) topics.set(topic_id, { id: topic_id, topic, sites: [] });
		topics.get(topic_id)!.sites.push(site);
	}
	return [...topics.values()];
}
