/**
 * Small numerical helpers behind `Survey` and `Score`: the standard normal
 * quantile (Wichura's AS 241), the Wilson score interval, Kish's effective
 * sample size and decimal rounding. Plain numbers in, plain numbers out.
 *
 * @since 0.1.0
 */

// ---------------------------------------------------------------------------
// normal quantile — Wichura, M. J. (1988), "Algorithm AS 241: The Percentage
// Points of the Normal Distribution", Applied Statistics 37(3), 477–484
// (PPND16: rational approximations in three regions, relative accuracy about
// 1e-16). The coefficients are the published 20-digit ones written as their
// nearest doubles (shortest round-trip form, which is all a double holds);
// the transcription is checked in the tests against the paper's hash sums
// and known quantiles.
// ---------------------------------------------------------------------------

/** Central region |p − 0.5| ≤ 0.425: numerator (a0…a7) and denominator (1, b1…b7) in r = 0.180625 − q². */
export const AS241_A: ReadonlyArray<number> = [
  3.3871328727963665, 133.14166789178438, 1971.5909503065513, 13731.69376550946, 45921.95393154987,
  67265.7709270087, 33430.57558358813, 2509.0809287301227
]
/** Central region denominator (leading 1). */
export const AS241_B: ReadonlyArray<number> = [
  1, 42.31333070160091, 687.1870074920579, 5394.196021424751, 21213.794301586597, 39307.89580009271,
  28729.085735721943, 5226.495278852854
]
/** Intermediate tail region, r = √(−ln min(p, 1−p)) − 1.6 ≤ 3.4. */
export const AS241_C: ReadonlyArray<number> = [
  1.4234371107496835, 4.630337846156546, 5.769497221460691, 3.6478483247632045, 1.2704582524523684,
  0.2417807251774506, 0.022723844989269184, 7.745450142783414e-4
]
/** Intermediate region denominator (leading 1). */
export const AS241_D: ReadonlyArray<number> = [
  1, 2.053191626637759, 1.6763848301838038, 0.6897673349851, 0.14810397642748008, 0.015198666563616457,
  5.475938084995345e-4, 1.0507500716444169e-9
]
/** Far tail region, r = √(−ln min(p, 1−p)) − 5. */
export const AS241_E: ReadonlyArray<number> = [
  6.657904643501103, 5.463784911164114, 1.7848265399172913, 0.29656057182850487, 0.026532189526576124,
  0.0012426609473880784, 2.7115555687434876e-5, 2.0103343992922881e-7
]
/** Far tail denominator (leading 1). */
export const AS241_F: ReadonlyArray<number> = [
  1, 0.599832206555888, 0.1369298809227358, 0.014875361290850615, 7.868691311456133e-4, 1.8463183175100548e-5,
  1.421511758316446e-7, 2.0442631033899397e-15
]

const horner = (coefficients: ReadonlyArray<number>, x: number): number => {
  let acc = 0
  for (let i = coefficients.length - 1; i >= 0; i--) acc = acc * x + (coefficients[i] ?? 0)
  return acc
}

/**
 * Φ⁻¹(p): the standard normal quantile (lower-tail probability `p`). `NaN`
 * outside (0, 1) except the limits: −∞ at 0 and +∞ at 1.
 */
export const normalQuantile = (p: number): number => {
  if (Number.isNaN(p) || p < 0 || p > 1) return Number.NaN
  if (p === 0) return Number.NEGATIVE_INFINITY
  if (p === 1) return Number.POSITIVE_INFINITY
  const q = p - 0.5
  if (Math.abs(q) <= 0.425) {
    const r = 0.180625 - q * q
    return (q * horner(AS241_A, r)) / horner(AS241_B, r)
  }
  let r = Math.sqrt(-Math.log(q < 0 ? p : 1 - p))
  let z: number
  if (r <= 5) {
    r -= 1.6
    z = horner(AS241_C, r) / horner(AS241_D, r)
  } else {
    r -= 5
    z = horner(AS241_E, r) / horner(AS241_F, r)
  }
  return q < 0 ? -z : z
}

/** The two-sided critical value z for a confidence level in (0, 1): Φ⁻¹(1 − (1 − c)/2). */
export const zTwoSided = (confidence: number): number => normalQuantile(1 - (1 - confidence) / 2)

// ---------------------------------------------------------------------------
// Wilson score interval — Wilson, E. B. (1927), "Probable inference, the law
// of succession, and statistical inference", JASA 22(158), 209–212:
//   centre = (p̂ + z²/2n) / (1 + z²/n)
//   half   = z √(p̂(1 − p̂)/n + z²/4n²) / (1 + z²/n)
// ---------------------------------------------------------------------------

/**
 * The Wilson interval `[lower, upper]` for `successes` of `n` (both may be
 * reals: weighted counts, effective sample sizes) at critical value `z`.
 * Requires n > 0; clamped to [0, 1]; exact 0 / 1 at the edges.
 */
export const wilsonBounds = (successes: number, n: number, z: number): readonly [number, number] => {
  const p = Math.min(1, Math.max(0, successes / n))
  const z2 = z * z
  const denominator = 1 + z2 / n
  const centre = (p + z2 / (2 * n)) / denominator
  const half = (z * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n))) / denominator
  const lower = p === 0 ? 0 : Math.max(0, Math.min(p, centre - half))
  const upper = p === 1 ? 1 : Math.min(1, Math.max(p, centre + half))
  return [lower, upper]
}

// ---------------------------------------------------------------------------
// Kish's effective sample size — Kish, L. (1965), Survey Sampling, §11.7:
//   n_eff = (Σ_j v_j)² / Σ_j v_j²  over respondents j with weights v_j.
// A stratum i with share w_i of the population and n_i respondents gives each
// respondent v = w_i / n_i, so n_eff = 1 / Σ_i (w_i² / n_i) when Σ w_i = 1.
// ---------------------------------------------------------------------------

/** Kish's effective sample size for strata with population shares `w` (summing to 1) and sample sizes `n`. */
export const kishEffectiveSize = (shares: ReadonlyArray<number>, sizes: ReadonlyArray<number>): number => {
  let sumW = 0
  let sumSquares = 0
  for (let i = 0; i < shares.length; i++) {
    const w = shares[i] ?? 0
    const n = sizes[i] ?? 0
    if (w <= 0 || n <= 0) continue
    sumW += w
    sumSquares += (w * w) / n
  }
  return sumSquares === 0 ? 0 : (sumW * sumW) / sumSquares
}

// ---------------------------------------------------------------------------
// rounding
// ---------------------------------------------------------------------------

/**
 * Rounds `value` to `digits` decimals, halves away from zero, via scaled
 * integers so that exactly representable halves (12.5, 0.125) round up.
 */
export const roundTo = (value: number, digits: number): number => {
  if (!Number.isFinite(value)) return value
  const scale = 10 ** digits
  const scaled = Math.abs(value) * scale
  const rounded = Math.round(scaled) / scale
  return value < 0 ? -rounded : rounded
}

/**
 * The decimal text of `numerator / denominator × 100` with `digits` decimals
 * (round half up), computed from the scaled quotient `numerator × 10^(digits+2)
 * / denominator` so that e.g. 1411/1415 gives "99.7".
 */
export const percentText = (numerator: number, denominator: number, digits: number): string => {
  const scaled = Math.round((numerator * 10 ** (digits + 2)) / denominator)
  if (digits === 0) return String(scaled)
  const text = String(scaled).padStart(digits + 1, "0")
  return `${text.slice(0, text.length - digits)}.${text.slice(text.length - digits)}`
}
