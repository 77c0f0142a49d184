// The pure-distance core of the visit planner: the shortest path from a start node through every
// inner node to an end node, by iterated local search. 2-opt and Or-opt (segments of 1–3, either
// way round) look only at each node's k nearest neighbours and only at nodes whose surroundings
// changed (a work queue, the "don't-look bits"); a double-bridge kick (two neighbouring segments
// swapped) moves the search out of a local optimum, and the kicked tour is kept when it is no
// longer than the best. The time windows and the lunch break are checked on top of this order by
// plannersearch.ts; here there is only distance.
//
// The path is searched as a cycle in which the edge end → start is pinned: it costs −PIN, so no
// improving move removes it and no kick is allowed to cut it.
import type { Deadline } from './deadline';
import type { Random } from './random';

const PIN = 1e9;
const EPS = 1e-7;

export interface PathResult {
	/** inner nodes 1..N−2 in visiting order */
	order: number[];
	/** length of start → order → end under the (symmetric) distances given */
	length: number;
	/** double-bridge kicks tried */
	kicks: number;
}

/**
 * Shortest start → every inner node → end path. `dist` is N×N row-major and symmetric; node 0 is
 * the start, node N−1 the end. Stops at the deadline (checked inside the local search too) or when
 * its rounds (kicks) are used up.
 */
export function shortestPath(dist: Float64Array, N: number, deadline: Deadline, rng: Random, neighbours = 10): PathResult {
	if (N < 2) throw new RangeError(`shortestPath: at least start and end, got ${N} nodes`);
	if (N <= 3) return { order: N === 3 ? [1] : [], length: N === 3 ? dist[1] + dist[N + 2] : dist[1], kicks: 0 };
	const d = dist.slice();
	const S = 0;
	const E = N - 1;
	d[S * N + E] = d[E * N + S] = -PIN;
	const isPin = (a: number, b: number) => (a === S && b === E) || (a === E && b === S);

	// k nearest neighbours of every node (the pinned partner left out: that edge never changes)
	const K = Math.min(neighbours, N - 2);
	const nb = new Int32Array(N * K);
	const idx = Array.from({ length: N }, (_, j) => j);
	for (let i = 0; i < N; i++) {
		const others = idx.filter((j) => j !== i && !isPin(i, j)).sort((a, b) => d[i * N + a] - d[i * N + b]);
		for (let q = 0; q < K; q++) nb[i * K + q] = others[q];
	}

	// nearest-neighbour start: S, the nearest unvisited inner node each time, E
	const tour = new Int32Array(N);
	const pos = new Int32Array(N);
	{
		const used = new Uint8Array(N);
		used[S] = used[E] = 1;
		tour[0] = S;
		let cur = S;
		for (let p = 1; p < N - 1; p++) {
			let best = -1;
			for (let j = 1; j < N - 1; j++) if (!used[j] && (best < 0 || d[cur * N + j] < d[cur * N + best])) best = j;
			tour[p] = best;
			used[best] = 1;
			cur = best;
		}
		tour[N - 1] = E;
		for (let p = 0; p < N; p++) pos[tour[p]] = p;
	}
	let len = 0;
	for (let p = 0; p < N; p++) len += d[tour[p] * N + tour[(p + 1) % N]];

	const next = (v: number) => tour[pos[v] + 1 === N ? 0 : pos[v] + 1];
	const prev = (v: number) => tour[pos[v] === 0 ? N - 1 : pos[v] - 1];

	// the work queue: a node is (re)examined only when an edge at it changed
	const queue = new Int32Array(N);
	const queued = new Uint8Array(N);
	let qHead = 0;
	let qSize = 0;
	const push = (v: number) => {
		if (queued[v]) return;
		queued[v] = 1;
		queue[(qHead + qSize++) % N] = v;
	};
	const pop = () => {
		const v = queue[qHead];
		qHead = (qHead + 1) % N;
		qSize--;
		queued[v] = 0;
		return v;
	};

	/** Reverses the tour from position i forward to position j (or the complement: the same cycle). */
	const reverse = (i: number, j: number) => {
		let n = j - i;
		if (n < 0) n += N;
		n += 1;
		if (n * 2 > N) {
			const ni = j + 1 === N ? 0 : j + 1;
			j = i === 0 ? N - 1 : i - 1;
			i = ni;
			n = N - n;
		}
		for (let s = 0; s < n >> 1; s++) {
			const a = tour[i];
			const b = tour[j];
			tour[i] = b;
			pos[b] = i;
			tour[j] = a;
			pos[a] = j;
			i = i + 1 === N ? 0 : i + 1;
			j = j === 0 ? N - 1 : j - 1;
		}
	};

	const twoOpt = (a: number): boolean => {
		for (let dir = 0; dir < 2; dir++) {
			const b = dir === 0 ? next(a) : prev(a);
			const dab = d[a * N + b];
			for (let q = 0; q < K; q++) {
				const c = nb[a * K + q];
				const dac = d[a * N + c];
				if (dac >= dab - EPS) break;
				const e = dir === 0 ? next(c) : prev(c);
				if (c === b || e === a) continue;
				const delta = dac + d[b * N + e] - dab - d[c * N + e];
				if (delta < -EPS) {
					// a→b … c→e becomes a→c … b→e (dir 0); e→c … b→a becomes e→b … c→a (dir 1)
					if (dir === 0) reverse(pos[b], pos[c]);
					else reverse(pos[c], pos[b]);
					len += delta;
					for (const v of [a, b, c, e]) push(v);
					return true;
				}
			}
		}
		return false;
	};

	const spare = new Int32Array(N); // reused: no garbage per move, so no collector pause near the deadline
	/** Moves the segment s1..s2 (forward) between u and w (neighbours in the tour), `first` next to u. */
	const moveSegment = (s1: number, segLen: number, u: number, w: number, first: number) => {
		const seg: number[] = [];
		for (let k = 0, v = s1; k < segLen; k++, v = next(v)) seg.push(v);
		if (first !== seg[0]) seg.reverse(); // seg[0] goes next to u
		const uFirst = next(u) === w;
		if (!uFirst) seg.reverse(); // w comes first in tour order: w, …, first, u
		const out = spare;
		let p = 0;
		for (let k = 0, v = next(s2Of(s1, segLen)); k < N - segLen; k++, v = next(v)) {
			out[p++] = v;
			if (v === (uFirst ? u : w)) for (const x of seg) out[p++] = x;
		}
		tour.set(out);
		for (let q = 0; q < N; q++) pos[tour[q]] = q;
	};
	const s2Of = (s1: number, segLen: number) => {
		let v = s1;
		for (let k = 1; k < segLen; k++) v = next(v);
		return v;
	};

	const orOpt = (a: number): boolean => {
		for (let segLen = 1; segLen <= 3 && segLen <= N - 4; segLen++) {
			const s1 = a;
			let s2 = a;
			for (let k = 1; k < segLen; k++) s2 = next(s2);
			const p = prev(s1);
			const nx = next(s2);
			const gain = d[p * N + s1] + d[s2 * N + nx] - d[p * N + nx];
			if (gain <= EPS) continue;
			const inSeg = (v: number) => {
				for (let k = 0, x = s1; k < segLen; k++, x = next(x)) if (x === v) return true;
				return false;
			};
			for (let end = 0; end < 2; end++) {
				const t = end === 0 ? s1 : s2; // the segment end placed next to c
				const o = end === 0 ? s2 : s1; // the other end, next to c's neighbour
				for (let q = 0; q < K; q++) {
					const c = nb[t * K + q];
					const dtc = d[t * N + c];
					if (dtc >= gain - EPS) break;
					if (inSeg(c)) continue;
					for (let side = 0; side < 2; side++) {
						const e = side === 0 ? next(c) : prev(c);
						if (inSeg(e)) continue;
						const add = dtc + d[o * N + e] - d[c * N + e];
						if (add < gain - EPS) {
							moveSegment(s1, segLen, c, e, t);
							len += add - gain;
							for (const v of [p, nx, c, e, s1, s2]) push(v);
							return true;
						}
					}
				}
			}
		}
		return false;
	};

	let ticks = 0;
	/** Improves until no queued node gives a move, or the time is over (false then). */
	const localSearch = (): boolean => {
		while (qSize > 0) {
			if ((++ticks & 15) === 0 && deadline.expired()) return false;
			const a = pop();
			if (twoOpt(a) || orOpt(a)) push(a);
		}
		return true;
	};

	for (let v = 0; v < N; v++) push(v);
	localSearch();
	const best = tour.slice();
	let bestLen = len;
	let kicks = 0;
	const inner = N - 2;
	// segments of the kick: short, so the kick is local and the repair cheap
	const maxSeg = Math.max(1, Math.min(30, Math.floor((N - 2) / 3)));
	while (inner >= 6 && !deadline.expired() && deadline.round()) {
		kicks++;
		let i = 0;
		let l1 = 0;
		let l2 = 0;
		for (let tries = 0; tries < 20; tries++) {
			i = rng.int(0, N - 1);
			l1 = rng.int(1, maxSeg);
			l2 = rng.int(1, maxSeg);
			const pA = tour[i === 0 ? N - 1 : i - 1];
			const bEnd = tour[(i + l1 - 1) % N];
			const c0 = tour[(i + l1) % N];
			const cEnd = tour[(i + l1 + l2 - 1) % N];
			const nD = tour[(i + l1 + l2) % N];
			if (!isPin(pA, tour[i]) && !isPin(bEnd, c0) && !isPin(cEnd, nD)) break;
			l1 = 0;
		}
		if (!l1) continue;
		const pA = tour[i === 0 ? N - 1 : i - 1];
		const b0 = tour[i];
		const bEnd = tour[(i + l1 - 1) % N];
		const c0 = tour[(i + l1) % N];
		const cEnd = tour[(i + l1 + l2 - 1) % N];
		const nD = tour[(i + l1 + l2) % N];
		// A B C D → A C B D
		const seg = spare;
		for (let k = 0; k < l2; k++) seg[k] = tour[(i + l1 + k) % N];
		for (let k = 0; k < l1; k++) seg[l2 + k] = tour[(i + k) % N];
		for (let k = 0; k < l1 + l2; k++) {
			const p = (i + k) % N;
			tour[p] = seg[k];
			pos[seg[k]] = p;
		}
		len += d[pA * N + c0] + d[cEnd * N + b0] + d[bEnd * N + nD] - d[pA * N + b0] - d[bEnd * N + c0] - d[cEnd * N + nD];
		for (const v of [pA, b0, bEnd, c0, cEnd, nD]) push(v);
		localSearch();
		if (len <= bestLen + EPS) {
			best.set(tour);
			bestLen = len;
		} else {
			tour.set(best);
			for (let q = 0; q < N; q++) pos[tour[q]] = q;
			len = bestLen;
			while (qSize > 0) pop();
		}
	}

	// cut the cycle at the pinned edge: start, then away from the end
	const bpos = new Int32Array(N);
	for (let q = 0; q < N; q++) bpos[best[q]] = q;
	const step = best[(bpos[S] + 1) % N] === E ? N - 1 : 1;
	const order: number[] = [];
	for (let k = 1, p = (bpos[S] + step) % N; k < N - 1; k++, p = (p + step) % N) order.push(best[p]);
	if (best[(bpos[S] + step * (N - 1)) % N] !== E) throw new Error('shortestPath: the pinned edge was cut');
	let length = dist[S * N + order[0]] + dist[order[order.length - 1] * N + E];
	for (let k = 1; k < order.length; k++) length += dist[order[k - 1] * N + order[k]];
	return { order, length, kicks };
}
