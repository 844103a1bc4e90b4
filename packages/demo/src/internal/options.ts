/**
 * Checks of numeric options: each returns the rule broken (a readable phrase
 * for the error message), or `undefined` when the value is acceptable — and
 * the validation the option modules share (official years, the violation
 * schema, the error message, `validateWith`).
 */
import * as WorkingCalendar from "@civicgrid/core/WorkingCalendar"
import * as Either from "effect/Either"
import * as Schema from "effect/Schema"

/** An integer within `[min, max]`. */
export const integerIn =
  (min: number, max: number) =>
  (value: unknown): string | undefined =>
    typeof value === "number" && Number.isInteger(value) && value >= min && value <= max
      ? undefined
      : `an integer from ${min.toLocaleString("en-US")} to ${max.toLocaleString("en-US")}`

/** A finite number within `[min, max]`. */
export const numberIn =
  (min: number, max: number) =>
  (value: unknown): string | undefined =>
    typeof value === "number" && Number.isFinite(value) && value >= min && value <= max
      ? undefined
      : `a number from ${min} to ${max}`

/** Any safe integer (for random seeds). */
export const safeInteger = (value: unknown): string | undefined =>
  typeof value === "number" && Number.isSafeInteger(value) ? undefined : "a safe integer"

/**
 * Every violation of the given options: the fields present (not `undefined`)
 * whose check fails, in the order of `checks`.
 */
export const violationsOf = <F extends string>(
  options: Readonly<Partial<Record<F, unknown>>>,
  checks: ReadonlyArray<readonly [F, (value: unknown) => string | undefined]>
): Array<{ readonly field: F; readonly rule: string; readonly value: unknown }> => {
  const out: Array<{ readonly field: F; readonly rule: string; readonly value: unknown }> = []
  for (const [field, check] of checks) {
    const value = options[field]
    if (value === undefined) continue
    const rule = check(value)
    if (rule !== undefined) out.push({ field, rule, value })
  }
  return out
}

/** The years of the official working calendar, as `{ min, max }` limits. */
export const officialYearLimits = {
  min: Math.min(...WorkingCalendar.officialYears()),
  max: Math.max(...WorkingCalendar.officialYears())
} as const

/** A year of the official working calendar. */
export const officialYear = (value: unknown): string | undefined =>
  typeof value === "number" && WorkingCalendar.officialYears().includes(value)
    ? undefined
    : `a year of the official working calendar (${officialYearLimits.min}–${officialYearLimits.max})`

/** The schema of one bad option: its field (of `field`), the rule it breaks, the value given. */
export const optionViolation = <Field extends Schema.Schema.All>(
  field: Field
): Schema.Struct<{ field: Field; rule: typeof Schema.String; value: typeof Schema.Unknown }> =>
  Schema.Struct({ field, rule: Schema.String, value: Schema.Unknown })

/** The violations as one readable line for an error message. */
export const describeViolations = (
  violations: ReadonlyArray<{ readonly field: string; readonly rule: string; readonly value: unknown }>
): string => violations.map((v) => `${v.field} must be ${v.rule} (got ${String(v.value)})`).join("; ")

/**
 * Validates options against `checks`: the options themselves when every field
 * present passes, else `invalid` of every violation (in the order of `checks`).
 */
export const validateWith = <A extends Readonly<Partial<Record<F, unknown>>>, F extends string, E>(
  options: A,
  checks: ReadonlyArray<readonly [F, (value: unknown) => string | undefined]>,
  invalid: (
    violations: readonly [
      { readonly field: F; readonly rule: string; readonly value: unknown },
      ...Array<{ readonly field: F; readonly rule: string; readonly value: unknown }>
    ]
  ) => E
): Either.Either<A, E> => {
  const [first, ...rest] = violationsOf<F>(options, checks)
  return first === undefined ? Either.right(options) : Either.left(invalid([first, ...rest]))
}
