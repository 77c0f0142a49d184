// Chinese labels for the codes stored in the database. One place, so the map, tables, exports
// and the big screen all say the same thing.

import { STATUS_LABEL } from './workflow';

/** Request statuses are labelled next to the state machine that defines them; looked up by any string here. */
export const REQUEST_STATUS: Readonly<Record<string, string>> = STATUS_LABEL;

export const CHANNEL: Record<string, string> = {
	grid: '网格员上报',
	door_knock: '敲门行动',
	hotline_12345: '12345热线',
	petition: '信访',
	snapshot: '随手拍',
	visit: '走访调研',
	whistle: '吹哨',
	open311: 'Open311 接口',
	resident: '网上点单'
};

export const REQUEST_KIND: Record<string, string> = {
	request: '诉求',
	petition: '信访件',
	dispute: '矛盾纠纷',
	wish: '微心愿'
};

export const SATISFACTION: Record<string, string> = {
	satisfied: '满意',
	basic: '基本满意',
	unsatisfied: '不满意'
};

export const PRIORITY: Record<string, string> = { normal: '一般', urgent: '紧急' };

/**
 * 住户情况: the one list of household situation tags, for the households' own tags (imported 台账)
 * and for what a door-knock finds (door_knocks.tags, checked by 0017). The first four are the
 * vulnerable groups the map colours (TAG_BITS in pointattrs.ts: four bits of the point byte).
 */
export const HOUSEHOLD_TAG: Record<string, string> = {
	elderly_alone: '独居老人',
	low_income: '低保',
	disabled: '残疾',
	left_behind_child: '留守儿童',
	empty_nest: '空巢',
	extreme_poverty: '特困',
	serious_illness: '重病',
	veteran: '退役军人',
	community_correction: '社区矫正'
};

export const HAZARD_TYPE: Record<string, string> = {
	fire_access: '消防通道堵塞',
	gas: '燃气安全',
	e_bike: '电动车违规充电',
	dilapidated: '危旧房屋',
	flooding: '易涝积水点',
	road: '道路破损',
	other: '其他隐患'
};

export const HAZARD_STATUS: Record<string, string> = {
	open: '待整改',
	rectifying: '整改中',
	rectified: '已整改待复查',
	verified: '已复查销号'
};

export const HAZARD_SEVERITY: Record<number, string> = { 1: '一般', 2: '较大', 3: '重大', 4: '特别重大' };

export const AREA_LEVEL: Record<string, string> = { district: '区', street: '街道/镇', community: '社区/村' };

export const VISIT_TYPE: Record<string, string> = {
	publicity: '宣讲',
	research: '调研',
	petition_reception: '接访',
	onsite_office: '现场办公'
};

export const VISIT_STATUS: Record<string, string> = { planned: '计划中', done: '已完成', cancelled: '已取消' };

/** 城乡类型 of an area (areas.setting) */
export const SETTING: Record<string, string> = { urban: '城区', rural: '农村' };
