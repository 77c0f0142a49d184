// Reference data of the demo district: departments, request categories with their default
// deadlines, and the name lists the generator draws from. All fictional.

export const DISTRICT = { code: '430199', name: '清溪区', center: [112.95, 28.23] as const };

export const DEPARTMENTS = [
	{ code: 'chengguan', name: '区城管局' },
	{ code: 'zhujian', name: '区住建局' },
	{ code: 'shuiwu', name: '区水务局' },
	{ code: 'yingji', name: '区应急管理局' },
	{ code: 'xiaofang', name: '区消防救援大队' },
	{ code: 'minzheng', name: '区民政局' },
	{ code: 'renshe', name: '区人社局' },
	{ code: 'sifa', name: '区司法局' },
	{ code: 'nongye', name: '区农业农村局' },
	{ code: 'shijian', name: '区市场监管局' },
	{ code: 'jiaoyu', name: '区教育局' },
	{ code: 'shengtai', name: '区生态环境局' },
	{ code: 'gongan', name: '区公安分局' },
	{ code: 'ranqi', name: '区燃气公司' }
] as const;

type Nature = 'consult' | 'complaint' | 'request' | 'suggestion';
export interface CategorySpec {
	code: string;
	parent: string;
	name: string;
	nature: Nature;
	dept: string;
	kind?: 'request' | 'dispute' | 'wish';
	/** relative frequency in the district */
	weight: number;
	/** monthly multipliers Jan..Dec (seasonality) */
	season?: number[];
	/** share of cases that happen in rural villages rather than town (0..1) */
	rural: number;
	/** hazard type it co-occurs with, for co-location hotspots */
	hazard?: string;
}

export const PARENT_CATEGORIES = [
	{ code: 'municipal', name: '市政设施' },
	{ code: 'property', name: '物业管理' },
	{ code: 'environment', name: '环境卫生' },
	{ code: 'safety', name: '安全隐患' },
	{ code: 'welfare', name: '社会保障' },
	{ code: 'dispute', name: '矛盾纠纷' },
	{ code: 'rural', name: '农业农村' },
	{ code: 'market', name: '市场监管' },
	{ code: 'education', name: '教育服务' },
	{ code: 'wish', name: '微心愿' }
] as const;

const SUMMER = [0.6, 0.6, 0.8, 1, 1.3, 1.8, 2, 1.8, 1.2, 0.8, 0.6, 0.6];
const WINTER = [1.8, 1.6, 1.2, 0.9, 0.7, 0.6, 0.6, 0.6, 0.7, 0.9, 1.3, 1.7];
const SCHOOL = [0.5, 0.6, 0.8, 0.8, 1.2, 2.2, 2.4, 2.6, 1.4, 0.6, 0.5, 0.4];

export const CATEGORIES: CategorySpec[] = [
	{ code: 'municipal.streetlight', parent: 'municipal', name: '路灯损坏', nature: 'request', dept: 'chengguan', weight: 5, rural: 0.2, season: WINTER },
	{ code: 'municipal.road', parent: 'municipal', name: '道路破损', nature: 'request', dept: 'zhujian', weight: 5, rural: 0.4, hazard: 'road' },
	{ code: 'municipal.manhole', parent: 'municipal', name: '井盖缺失', nature: 'request', dept: 'chengguan', weight: 2, rural: 0.1 },
	{ code: 'municipal.drainage', parent: 'municipal', name: '排水不畅', nature: 'request', dept: 'shuiwu', weight: 6, rural: 0.3, season: SUMMER, hazard: 'flooding' },
	{ code: 'property.elevator', parent: 'property', name: '电梯故障', nature: 'request', dept: 'zhujian', weight: 5, rural: 0 },
	{ code: 'property.service', parent: 'property', name: '物业服务', nature: 'complaint', dept: 'zhujian', weight: 9, rural: 0 },
	{ code: 'property.parking', parent: 'property', name: '停车管理', nature: 'complaint', dept: 'zhujian', weight: 4, rural: 0.05 },
	{ code: 'property.leak', parent: 'property', name: '房屋漏水', nature: 'request', dept: 'zhujian', weight: 3, rural: 0.1, season: SUMMER },
	{ code: 'environment.garbage', parent: 'environment', name: '垃圾清运', nature: 'request', dept: 'chengguan', weight: 7, rural: 0.35 },
	{ code: 'environment.noise', parent: 'environment', name: '噪音扰民', nature: 'complaint', dept: 'shengtai', weight: 5, rural: 0.1, season: SUMMER },
	{ code: 'environment.fumes', parent: 'environment', name: '油烟污染', nature: 'complaint', dept: 'shengtai', weight: 2, rural: 0.05 },
	{ code: 'safety.gas', parent: 'safety', name: '燃气安全', nature: 'request', dept: 'ranqi', weight: 3, rural: 0.2, season: WINTER, hazard: 'gas' },
	{ code: 'safety.fire_access', parent: 'safety', name: '消防通道', nature: 'complaint', dept: 'xiaofang', weight: 3, rural: 0.05, hazard: 'fire_access' },
	{ code: 'safety.e_bike', parent: 'safety', name: '电动车充电', nature: 'complaint', dept: 'xiaofang', weight: 3, rural: 0.1, season: WINTER, hazard: 'e_bike' },
	{ code: 'safety.dilapidated', parent: 'safety', name: '危旧房屋', nature: 'request', dept: 'zhujian', weight: 1.5, rural: 0.6, season: SUMMER, hazard: 'dilapidated' },
	{ code: 'welfare.subsistence', parent: 'welfare', name: '低保救助', nature: 'request', dept: 'minzheng', weight: 2.5, rural: 0.5 },
	{ code: 'welfare.elderly', parent: 'welfare', name: '养老服务', nature: 'request', dept: 'minzheng', weight: 3, rural: 0.45 },
	{ code: 'welfare.insurance', parent: 'welfare', name: '社保医保咨询', nature: 'consult', dept: 'renshe', weight: 4, rural: 0.35 },
	{ code: 'dispute.neighbour', parent: 'dispute', name: '邻里纠纷', nature: 'request', dept: 'sifa', weight: 3, rural: 0.45, kind: 'dispute' },
	{ code: 'dispute.wages', parent: 'dispute', name: '劳资纠纷', nature: 'complaint', dept: 'renshe', weight: 1.5, rural: 0.2, kind: 'dispute', season: WINTER },
	{ code: 'rural.irrigation', parent: 'rural', name: '农田水利', nature: 'request', dept: 'nongye', weight: 2, rural: 1, season: SUMMER },
	{ code: 'rural.village_road', parent: 'rural', name: '村道维修', nature: 'request', dept: 'nongye', weight: 1.5, rural: 1 },
	{ code: 'market.food', parent: 'market', name: '食品安全', nature: 'complaint', dept: 'shijian', weight: 2, rural: 0.15 },
	{ code: 'education.enrolment', parent: 'education', name: '入学咨询', nature: 'consult', dept: 'jiaoyu', weight: 2, rural: 0.3, season: SCHOOL },
	{ code: 'wish.help', parent: 'wish', name: '生活帮扶', nature: 'request', dept: 'minzheng', weight: 1.2, rural: 0.5, kind: 'wish' }
];

/** Default deadlines in working days (domain.md): accept 1; resolve 7, consultations 3, complaints 13. */
export function defaultDeadlines(nature: Nature, priority: 'normal' | 'urgent') {
	const resolve = nature === 'consult' ? 3 : nature === 'complaint' ? 13 : 7;
	return priority === 'urgent'
		? { accept: 0.5, resolve: Math.max(1, Math.ceil(resolve / 3)), whistleHours: 12 }
		: { accept: 1, resolve, whistleHours: 24 };
}

export const URBAN_STREETS = ['滨江街道', '文昌街道', '望岳街道', '东湖街道'];
export const RURAL_TOWNS = ['白沙镇', '桃源镇', '青山镇', '金田镇'];

export const COMMUNITY_WORDS = [
	'和平', '幸福', '新民', '建设', '朝阳', '春华', '桂花', '枫林', '湘江', '书院', '锦绣', '金盆',
	'银杏', '丽景', '紫荆', '翠微', '星沙', '长乐', '德润', '怡园', '清水', '荷塘', '梅溪', '兰亭',
	'竹韵', '松涛', '柳岸', '晴川', '福源', '永安', '泰和', '康宁', '安居', '嘉园', '华庭', '新城',
	'南苑', '北辰', '西园', '东风', '广济', '白鹭', '映月', '观澜', '临江', '云麓', '凤凰', '麒麟',
	'天心', '文源', '育才', '裕民', '双拥', '井湾', '砂子', '仰天', '月湖', '望月', '金桥', '荣华'
];
export const VILLAGE_FIRST = ['石', '柳', '杨', '李', '荷', '枫', '龙', '双', '新', '高', '黄', '茶', '竹', '沙', '梅', '谭', '周', '马', '田', '桥'];
export const VILLAGE_LAST = ['桥', '塘', '湾', '坪', '冲', '岭', '坡', '铺', '垸', '洲', '山', '溪'];
export const COMPOUND_FIRST = ['锦绣', '滨江', '书香', '金色', '阳光', '盛世', '翡翠', '绿地', '恒大', '万科', '碧桂', '长房', '中建', '保利', '紫薇', '芙蓉', '湘府', '橘洲', '麓山', '望城'];
export const COMPOUND_LAST = ['花园', '小区', '苑', '家园', '华府', '新村', '公寓', '名城', '雅居', '嘉园'];
/**
 * Names of the urban core's local roads: east–west ones are 路, north–south ones 街, in lattice
 * order. Given by position, not drawn from the random stream, so naming them changed no other figure.
 */
export const LOCAL_ROAD_WORDS = {
	eastWest: ['兴业', '光明', '胜利', '团结', '友谊', '民主', '新华', '和顺', '育英', '长兴', '曙光', '劳动', '五一', '青年', '太平', '复兴', '永丰', '富民', '丰泽', '安澜'],
	northSouth: ['丰收', '春晖', '仁和', '安康', '明德', '崇文', '尚德', '致远', '学府', '宏图', '锦程', '润泽', '康乐', '怡和', '翠竹', '秀峰', '星光', '栖凤', '南岳', '聚贤']
};
export const ROAD_NAMES = ['滨江大道', '人民路', '建设路', '环城路', '文昌路', '望岳路', '东湖路', '解放路', '迎宾路', '振兴路', '白沙路', '桃源路', '青山路', '金田路'];

export const SURNAMES = '王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤';
export const GIVEN = '伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀英华霞平刚桂兰玉萍红建国志斌海波辉鹏飞宇浩然子轩梓涵欣怡雨桐思远晨阳佳琪博文俊杰春梅秋菊冬生德福';
