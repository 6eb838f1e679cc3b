import { randomInt } from 'node:crypto';

/** Uniform random integers; injected so that tests can make codes predictable. */
export interface RandomSource {
  /** An integer in [0, maxExclusive), uniformly distributed. */
  int(maxExclusive: number): number;
}

/** Cryptographically strong (the access codes protect the status lookup). */
export const cryptoRandom: RandomSource = { int: (maxExclusive) => randomInt(maxExclusive) };
