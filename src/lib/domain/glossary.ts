// The vocabulary: each Chinese term of the domain → the one English identifier used for it in
// code, SQL, the API and tests, with a one-line definition. docs/glossary.md is the readable
// form of this list; a unit test keeps both in step and every identifier unique.
//
// `data` names a value that is stored under another word and stays so (changing stored status
// values would rewrite live rows and every import file): the code word is `id`, the stored word
// is mapped here and nowhere else. `legacy` lists spellings that older URLs still accept.

export interface Term {
	/** the Chinese term as the domain writes it */
	zh: string;
	/** the one English identifier (snake_case in SQL/API, camelCase in TypeScript) */
	id: string;
	definition: string;
	/** the value stored in the database when it differs from `id` */
	data?: string;
	/** older spellings still accepted (query parameters, URLs), never written */
	legacy?: string[];
}

export const GLOSSARY: readonly Term[] = [
	// places and people
	{ zh: '区县', id: 'district', definition: 'the district, 6-digit GB/T 2260 code: the top of the area tree' },
	{ zh: '街道/镇', id: 'street', definition: 'a street or town under the district, 9-digit code' },
	{ zh: '社区/村', id: 'community', definition: 'a community or village under a street, 12-digit code' },
	{ zh: '网格', id: 'grid', definition: 'the smallest management unit: one polygon, 15-digit code, one grid manager' },
	{ zh: '区域', id: 'area', definition: 'any of district, street, community or grid, named by its code prefix' },
	{ zh: '网格员', id: 'grid_manager', definition: 'the role that looks after one or more grids (网格长 too)' },
	{ zh: '领导', id: 'leader', definition: 'the role that plans visits and researches, and is paired with places' },
	{ zh: '部门', id: 'department', definition: 'a line department (住建, 城管, 消防…) that takes dispatched work' },
	{ zh: '部门人员', id: 'department_staff', definition: 'the role working a department\'s queue' },
	{ zh: '矛调', id: 'mediator', definition: 'the role mediating petitions and disputes (矛盾纠纷调解)' },
	{ zh: '大屏', id: 'screen', definition: 'the command centre\'s wall display, and the role that signs it in' },
	{ zh: '住户', id: 'household', definition: 'one household at an address, with masked personal data' },
	{ zh: '楼栋', id: 'building', definition: 'a building holding households' },
	{ zh: '包联', id: 'pairing', definition: 'a leader\'s standing responsibility for places, projects or enterprises', legacy: ['leader'] },
	// the request loop
	{ zh: '诉求/事件', id: 'request', definition: 'a citizen\'s or grid manager\'s issue, tracked through the loop' },
	{ zh: '渠道', id: 'channel', definition: 'where a request came from (网格员上报, 12345, 吹哨…)' },
	{ zh: '类别', id: 'category', definition: 'a request\'s 大类.小类 code, which sets its deadlines' },
	{ zh: '点单/上报', id: 'report', definition: 'a request is reported: its first state, `reported_at`' },
	{ zh: '派单', id: 'dispatch', definition: 'a request is sent to a department or the grid; 改派 is a new dispatch' },
	{ zh: '接单', id: 'accept', definition: 'the department takes the dispatched request' },
	{ zh: '办结', id: 'resolve', definition: 'the work is done' },
	{ zh: '评单', id: 'evaluate', definition: 'the citizen rates the result (满意度, 已解决/未解决)' },
	{ zh: '销号', id: 'close', definition: 'an item is ticked off for good: a request after evaluation, a hazard after re-inspection', data: 'closed (requests), verified (hazards)' },
	{ zh: '退单', id: 'return', definition: 'the department sends a request back to dispatch (wrong department)' },
	{ zh: '返工', id: 'reopen', definition: 'an unsatisfied evaluation sends a request back to work; a failed 复查 sends a hazard back to 整改 with a new deadline' },
	{ zh: '吹哨', id: 'whistle', definition: 'a community summons several departments to solve a request jointly', data: 'escalated (request status), escalate (transition), whistle_summons.summoned_at (table, column)' },
	{ zh: '报到', id: 'check_in', definition: 'a whistled department reports on site before its deadline: `checked_in_at`', data: 'checkin (transition)' },
	{ zh: '立案', id: 'register', definition: 'a reported (or returned) request is accepted as a case by the command centre; 立案派单 registers and dispatches it in one move', data: 'dispatch (transition)' },
	{ zh: '作废', id: 'void', definition: 'the command centre ends a reported or returned request with a reason, unhandled: status voided, counted in no KPI', data: 'voided (request status)' },
	{ zh: '合并', id: 'merge', definition: 'a duplicate is ended into its open original of the same kind: status merged, `merged_into`', data: 'merged (request status)' },
	{ zh: '延期', id: 'extension', definition: 'the handling department asks for more working days; the command centre approves (a new resolve deadline, move extend) or refuses', data: 'request_extensions (table), extend (transition)' },
	{ zh: '督办', id: 'supervise', definition: 'a leader follows a request until it ends (我督办的)', data: 'request_supervisions (table)' },
	{ zh: '催办', id: 'urge', definition: 'a reminder to the handling department; from the second one the command centre is told too', data: 'request_urges (table)' },
	{ zh: '时限', id: 'deadline', definition: 'the time a stage must be done by (accept, resolve, whistle check-in, rectify)' },
	{ zh: '超期', id: 'overdue', definition: 'open and past the deadline of the stage it is in' },
	{ zh: '满意度', id: 'satisfaction', definition: 'the citizen\'s rating: 满意, 基本满意, 不满意' },
	// field work
	{ zh: '隐患', id: 'hazard', definition: 'a safety hazard with a rectification and a re-inspection deadline' },
	{ zh: '交办', id: 'assign', definition: 'a hazard is handed to its responsible department (责任部门) with a rectification deadline by type and severity' },
	{ zh: '开始整改', id: 'start', definition: 'the responsible department takes the hazard on: status rectifying (整改中)' },
	{ zh: '整改', id: 'rectify', definition: 'the hazard is put right: `rectified_at` (整改完成, with an after-photo)' },
	{ zh: '复查', id: 'reinspect', definition: 'the rectification is checked by another person than who recorded it: passed it closes (销号) the hazard, `reinspected_at`; failed it is 返工 (reopen)' },
	{ zh: '敲门行动/入户走访', id: 'door_knock', definition: 'a visit to a household to find problems and hazards' },
	// leaders' work
	{ zh: '走访', id: 'visit', definition: 'a leader\'s dated visit to places (四下基层 type, maybe 四不两直); "planned" is its first status' },
	{ zh: '走访路线/日程', id: 'itinerary', definition: 'the ordered, timed stops of one visit day, computed by the day planner', data: 'visits.plan (jsonb column; \'{}\' when none was computed)', legacy: ['/api/visits/plan'] },
	{ zh: '停留点', id: 'stop', definition: 'one place on an itinerary, with dwell time and an optional appointment' },
	{ zh: '多日走访计划', id: 'week_plan', definition: 'stops shared out over up to 7 days, each day with its own budget and itinerary (domain/plannerweek.ts)' },
	{ zh: '四不两直', id: 'unannounced', definition: 'a visit hidden from the places visited' },
	{ zh: '解剖麻雀', id: 'research', definition: 'choosing and studying a few typical, acute places for a topic', legacy: ['/api/hotspots/sites'] },
	{ zh: '调研课题', id: 'research_topic', definition: 'a saved research: its topic, weights and chosen sites (study and contrast)', data: 'research_plans (table), visits.plan_id (column)', legacy: ['/api/research-plans', '/api/research-plans/:id', '/visits/new?plan=', 'planId'] },
	{ zh: '调研点', id: 'research_site', definition: 'one place chosen for a research, with its written reason', data: 'research_plan_sites (table), research_plan (visit_stops.source)' },
	{ zh: '热点', id: 'hotspot', definition: 'a statistically significant cluster (Gi*, FDR-controlled), not noise, whose own rate is above the district mean' },
	{ zh: '聚类类型', id: 'lisa', definition: "a grid's Local Moran's I class: 高值聚集, 低值聚集, 低值被高值包围 (a quiet grid among hot ones), 高值被低值包围" },
	// KPIs (keys of domain/kpi.ts)
	{ zh: '受理率', id: 'accept_rate', definition: 'dispatches accepted within their deadline ÷ dispatches' },
	{ zh: '办结率', id: 'close_rate', definition: 'requests resolved ÷ requests due to be resolved' },
	{ zh: '按期办结率', id: 'ontime_rate', definition: 'resolved by the deadline ÷ resolved' },
	{ zh: '解决率', id: 'solved_rate', definition: 'evaluations saying 已解决 ÷ evaluations' },
	{ zh: '满意率', id: 'satisfaction_rate', definition: 'evaluations 满意 or 基本满意 ÷ evaluations' },
	{ zh: '最终满意率', id: 'final_satisfaction_rate', definition: 'requests whose latest evaluation is 满意 or 基本满意 ÷ requests last evaluated in the period; shown beside 满意率' },
	{ zh: '吹哨响应率', id: 'whistle_rate', definition: 'whistled departments checked in within their deadline ÷ whistled departments' },
	{ zh: '入户走访覆盖率', id: 'visit_coverage', definition: 'households door-knocked in the last N days ÷ households' },
	{ zh: '隐患整改率', id: 'hazard_rate', definition: 'hazards closed by their deadline ÷ hazards due' },
	{ zh: '化解率', id: 'mediation_rate', definition: 'petition cases (信访件) closed with the petitioner\'s agreement (息访: rated 满意/基本满意, then 销号) ÷ petition cases due' },
	{ zh: '目标值', id: 'kpi_target', definition: 'the figure a KPI is coloured against (红黄绿); domain.md\'s default unless an admin set one', data: 'kpi_targets (table, percent)' },
	// output
	{ zh: '导出', id: 'export', definition: 'a layer or filtered list written as a file, streamed, masked unless a reason is given' },
	{ zh: '导入', id: 'import', definition: 'grids, households or hazards read from a file, checked before they land' }
];

/** 中文 → identifier. */
export const TERM: Readonly<Record<string, string>> = Object.fromEntries(GLOSSARY.map((t) => [t.zh, t.id]));

/**
 * 销号 in the data: requests reach `closed`, hazards `verified` (复查销号). Both mean `close`;
 * this is the one place the two stored words meet.
 */
export const CLOSED_STATUS = { request: 'closed', hazard: 'verified' } as const;

/** 吹哨 in the data: the request status and the transition keep their stored names. */
export const WHISTLE_STATUS = 'escalated';
export const WHISTLE_TRANSITION = 'escalate';

/**
 * 调研课题 in the data: a research topic is stored under the older word "plan" (landed migrations
 * and a SQL-language function of 0011, app_owns_plan, name the tables by text). The SQL naming the
 * tables lives in server/research/topics.ts; this is the one place the stored words are listed.
 */
export const RESEARCH_TOPIC_STORED = {
	table: 'research_plans',
	sites: 'research_plan_sites',
	/** visits.plan_id: the research topic a visit's stops came from */
	visitColumn: 'plan_id',
	/** visit_stops.source of a stop imported from a research topic */
	stopSource: 'research_plan'
} as const;

/** 走访路线/日程 in the data: a visit's itinerary is stored in the jsonb column `visits.plan`. */
export const ITINERARY_STORED = { column: 'plan' } as const;
