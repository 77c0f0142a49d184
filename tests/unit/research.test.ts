import { describe, expect, it } from 'vitest';
import { selectSites, type SiteCandidate, type TopicContext } from '../../src/lib/domain/research';

const ctx: TopicContext = { topic: '物业管理', periodDays: 90, subtypes: ['电梯故障', '物业服务'], districtMix: [1, 2], districtSatisfaction: 0.84, districtUnsatisfied: 0.16 };
const base = { streetName: 'S', setting: 'urban' as const, lon: 112.95, lat: 28.23, households: 400, repeat: 0, evaluated: 20, unsatisfied: 3, hazards: 0, lastVisitDays: null, mix: [1, 2] };
function c(code: string, street: string, count: number, z: number, extra: Partial<SiteCandidate> = {}): SiteCandidate {
	return { ...base, code, name: `网格${code}`, street, count, overdue: Math.round(count / 5), z, bin: z >= 2.58 ? 3 : z >= 1.96 ? 2 : z >= 1.65 ? 1 : 0, ...extra };
}

describe('解剖麻雀 research sites', () => {
	const cands = [
		c('a', 's1', 42, 3.5, { overdue: 9, unsatisfied: 8, lon: 112.9 }), c('b', 's1', 40, 3.3, { lon: 112.901 }), c('c', 's2', 30, 2.7, { lon: 113.0 }),
		c('d', 's3', 20, 2.0, { lon: 113.05, lastVisitDays: 10 }), c('e', 's4', 18, 1.8, { lon: 113.1, setting: 'rural', households: 150 }),
		c('f', 's2', 12, -0.5, { unsatisfied: 0, overdue: 0, evaluated: 12, lon: 112.95 }), c('g', 's5', 3, 0.1)
	];
	it('picks acute, diverse, fresh sites and writes reasons with numbers', () => {
		const r = selectSites(cands, ctx, { k: 3 });
		expect(r.picks.map((p) => p.code)).toEqual(['a', 'e', 'c']);
		expect(r.picks[0].reason).toBe('近90天物业管理诉求42件（每百户10.5件），全区第1；超期9件；满意率60.0%，全区84.0%；Gi* 热点 99%（z=3.50）；主要问题：物业服务（66.7%）；无领导走访记录');
		expect(r.contrast?.code).toBe('f');
		expect(r.contrast?.reason).toContain('满意率100.0%（全区84.0%）');
	});
	it('lets weights change the choice: diversity off takes the two neighbours', () => {
		const r = selectSites(cands, ctx, { k: 2, weights: { diversity: 0 } });
		expect(r.picks.map((p) => p.code)).toEqual(['a', 'b']);
	});
	it('leaves out recently visited grids unless asked, and refuses bad weights', () => {
		expect(selectSites(cands, ctx, { k: 5 }).picks.map((p) => p.code)).not.toContain('d');
		expect(() => selectSites(cands, ctx, { weights: { volume: -1 } })).toThrow('权重 诉求量（volume）必须是 0–10 之间的数，收到“-1”');
	});
	it('acute needs the grid’s own figures high: a 5-request grid between hot ones is not picked for its Gi* alone', () => {
		const hotNeighbourhood = c('h', 's6', 5, 8.59, { lon: 113.2, overdue: 0 });
		const r = selectSites([...cands, hotNeighbourhood], ctx, { k: 6, allowVisited: true });
		expect(r.picks.map((p) => p.code)).not.toContain('h');
		expect(r.picks.length).toBeGreaterThan(2);
	});
	it('ranks with ties: grids with equal counts share the rank and say 并列', () => {
		const tied = [c('x', 's1', 30, 3, { lon: 112.9 }), c('y', 's2', 30, 3, { lon: 113.3 }), c('z', 's3', 10, 0)];
		const r = selectSites(tied, ctx, { k: 2 });
		expect(r.picks.map((p) => p.rank)).toEqual([1, 1]);
		expect(r.picks.every((p) => p.reason.includes('全区并列第1'))).toBe(true);
	});
});
