/**
 * The stored layout of the indicator projection: the engine's count columns
 * (`indicatorEngine.columnNames`) as they are, then one column per
 * conditional numerator. Nothing is derived from anything else: a stored
 * column is a count the engine adds to, so no combination of events can make
 * two stored columns disagree, and reading them back is a copy (plus the
 * conditional numerators that hold, added to the numerators they condition).
 *
 * @since 0.1.0
 */
import { COLUMNS, type Conditional, columnNames, conditionalColumn, HOT } from "./indicatorEngine.js"

/** The conditional numerators' stored columns, in order. */
export const conditionalNames = {
  closure: "closure_closed_cond",
  handling: "handling_handled_cond",
  "handling-round": "round_handled_cond"
} as const satisfies Record<Conditional, string>

const conditionals: ReadonlyArray<Conditional> = ["closure", "handling", "handling-round"]

/** Every stored column, in table order. */
export const storedNames: ReadonlyArray<string> = [
  ...columnNames,
  ...conditionals.map((c) => conditionalNames[c])
]

/** Number of stored columns. */
export const VALUES = storedNames.length

/** The stored index of each conditional numerator. */
export const conditionalIndex: Readonly<Record<Conditional, number>> = {
  closure: COLUMNS,
  handling: COLUMNS + 1,
  "handling-round": COLUMNS + 2
}

/** Whether a stored column is a hotline count (summed over the hotline sources only). */
export const isHotline = (index: number): boolean => index >= HOT && index < COLUMNS

/** Whether a stored column is a conditional numerator. */
export const isConditional = (index: number): boolean => index >= COLUMNS && index < VALUES

/** The stored values of a contribution's counts (one per count column): the counts, conditionals 0. */
export const storedValues = (counts: ArrayLike<number>): Int32Array => {
  const out = new Int32Array(VALUES)
  for (let k = 0; k < COLUMNS; k++) out[k] = counts[k] ?? 0
  return out
}

/**
 * The core's counts (one per count column) of summed stored values: every
 * column from `all` but the hotline ones, from `hotline`; each conditional
 * numerator in `all` (those that hold) added to its numerator.
 */
export const countsOf = (all: ArrayLike<number>, hotline: ArrayLike<number>): Float64Array => {
  const out = new Float64Array(COLUMNS)
  for (let k = 0; k < COLUMNS; k++) out[k] = (isHotline(k) ? hotline[k] : all[k]) ?? 0
  for (const c of conditionals) {
    const col = conditionalColumn[c]
    out[col] = (out[col] ?? 0) + (all[conditionalIndex[c]] ?? 0)
  }
  return out
}
