import type { LazyArbitrary } from "effect/Arbitrary"
import { LocalDate } from "../WorkingCalendar.js"

const DAY_MS = 86_400_000
const from = Date.UTC(2023, 0, 1) / DAY_MS
const to = Date.UTC(2026, 11, 31) / DAY_MS

const dayArbitrary: LazyArbitrary<LocalDate> = (fc) =>
  fc
    .integer({ min: from, max: to })
    .map((d) => LocalDate.make(new Date(d * DAY_MS).toISOString().slice(0, 10), { disableValidation: true }))

/**
 * `LocalDate` with a generator of real dates (2023–2026, years the shipped calendar holds): the
 * plain schema is a filtered string, which a schema-derived generator cannot satisfy.
 */
export const Day = LocalDate.annotations({ arbitrary: () => dayArbitrary })
