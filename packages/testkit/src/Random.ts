/**
 * A seeded pseudo-random generator for benchmarks and fixtures: the same seed
 * gives the same data on every run and every machine.
 *
 * @since 0.1.0
 */

/**
 * mulberry32: a small deterministic PRNG; each call of the returned function
 * gives the next number in `[0, 1)`.
 *
 * @since 0.1.0
 * @category constructors
 */
export const prng = (seed: number): (() => number) => {
  let a = seed >>> 0
  return (): number => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}
