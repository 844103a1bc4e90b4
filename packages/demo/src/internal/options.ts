/**
 * Checks of numeric options: each returns the rule broken (a readable phrase
 * for the error message), or `undefined` when the value is acceptable.
 */

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
