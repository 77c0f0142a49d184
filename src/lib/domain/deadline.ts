// When a search must stop: a wall-clock instant, a number of rounds, or both. One object is passed
// down from the solve to every loop (construction, local search, perturbation) so the whole solve,
// not only its outer rounds, keeps the time limit. With an infinite time the rounds alone decide,
// so tests get the same answer however loaded the machine is.

export type Clock = () => number;

const wallClock: Clock = () => performance.now();

export class Deadline {
	private readonly at: number;
	private roundsLeft: number;
	constructor(
		/** ms from now; Infinity: no wall-clock limit */
		readonly limitMs: number,
		/** rounds (perturbations) allowed; Infinity: the time alone decides */
		rounds: number = Infinity,
		private readonly clock: Clock = wallClock
	) {
		this.at = clock() + limitMs;
		this.roundsLeft = rounds;
	}
	/** True once the time is over (never in round-budget mode). */
	expired(): boolean {
		return this.limitMs !== Infinity && this.clock() >= this.at;
	}
	/** Takes one round; false when none is left or the time is over. */
	round(): boolean {
		if (this.roundsLeft <= 0 || this.expired()) return false;
		this.roundsLeft--;
		return true;
	}
	/** ms left (Infinity without a wall-clock limit). */
	remainingMs(): number {
		return this.limitMs === Infinity ? Infinity : Math.max(0, this.at - this.clock());
	}
	/** A deadline inside this one: at most `share` of the time left, and its own rounds. */
	part(share: number, rounds: number = Infinity): Deadline {
		return new Deadline(this.limitMs === Infinity ? Infinity : this.remainingMs() * share, rounds, this.clock);
	}
}
