/**
 * Cells of the organisation ledgers: days as staff write them (and as Excel
 * stores a date cell), kinds named by id or Chinese name out of a kind table,
 * and bodies named by id or name out of a list of bodies. Translation only: a
 * name no entry carries is kept as an id, and the core's checks report what
 * is unknown.
 *
 * @since 0.1.0
 */
import type * as Body from "@civicgrid/core/Body"
import { LocalDate } from "@civicgrid/core/WorkingCalendar"
import * as ParseResult from "effect/ParseResult"
import * as Schema from "effect/Schema"

// -----------------------------------------------------------------------------
// days
// -----------------------------------------------------------------------------

const dayPattern =
  /^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?(?:[\sT]+0{1,2}[:：]0{1,2}(?:[:：]0{1,2}(?:\.0+)?)?)?$/u

/** A day as written (`2024-03-01`, `2024/3/1`, `2024.3.1`, `2024年3月1日`, an Excel date at midnight) in ISO form, or the text itself. */
export const isoDay = (text: string): string => {
  const m = dayPattern.exec(text.trim())
  if (m === null) return text
  const [, y = "", mo = "", d = ""] = m
  return `${y}-${mo.padStart(2, "0")}-${d.padStart(2, "0")}`
}

const pad = (n: number, width = 2): string => String(n).padStart(width, "0")

/** Generated days, 1970–2099 (four-digit years, real dates). */
const dayArbitrary = LocalDate.annotations({
  arbitrary: () => (fc) =>
    fc.integer({ min: 0, max: 47_480 }).map((n) => {
      const d = new Date(n * 86_400_000)
      return LocalDate.make(
        `${pad(d.getUTCFullYear(), 4)}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`
      )
    })
})

/**
 * 日期 — a day cell: `2024-03-01`, `2024/3/1`, `2024.3.1`, `2024年3月1日`, or
 * a date cell Excel stores (midnight); the core's `LocalDate` decides whether
 * it is a real day. Written `YYYY-MM-DD`.
 */
export const Day: Schema.Schema<LocalDate, string> = Schema.transformOrFail(Schema.String, dayArbitrary, {
  strict: true,
  decode: (text) => ParseResult.succeed(isoDay(text)),
  encode: ParseResult.succeed
})

// -----------------------------------------------------------------------------
// kinds by name
// -----------------------------------------------------------------------------

/** An entry of a kind table: its id and names. */
export interface Named {
  readonly id: string
  readonly zh: string
  readonly en: string
}

/**
 * The id a cell names among `entries` (id, Chinese or English name, or a
 * synonym), or the text itself (a kind the table does not hold, which the
 * core reports).
 */
export const idNamed = (
  entries: ReadonlyArray<Named>,
  synonyms: Readonly<Record<string, ReadonlyArray<string>>>,
  text: string
): string => {
  const wanted = text.trim()
  const lower = wanted.toLowerCase()
  const direct = entries.find((e) => e.id === wanted)
  if (direct !== undefined) return direct.id
  const byName = entries.find((e) => e.zh === wanted || e.en.toLowerCase() === lower)
  if (byName !== undefined) return byName.id
  const bySynonym = entries.find(
    (e) => Object.hasOwn(synonyms, e.id) && (synonyms[e.id] ?? []).includes(wanted)
  )
  return bySynonym === undefined ? wanted : bySynonym.id
}

/**
 * A kind id cell: read by id, name or synonym, written as the Chinese name of
 * the table's entry (the id when the table does not hold it).
 */
export const kindByName = <A extends string, I>(
  to: Schema.Schema<A, I>,
  entries: ReadonlyArray<Named>,
  synonyms: Readonly<Record<string, ReadonlyArray<string>>>
): Schema.Schema<A, string> =>
  Schema.transformOrFail(Schema.String, Schema.typeSchema(to), {
    strict: true,
    decode: (text, _, ast) => {
      const id = idNamed(entries, synonyms, text)
      return Schema.is(Schema.typeSchema(to))(id)
        ? ParseResult.succeed(id)
        : ParseResult.fail(
            new ParseResult.Type(
              ast,
              text,
              `应为 ${entries.map((e) => e.zh).join("、")} 之一（得到「${text}」） — expected one of ${entries.map((e) => e.id).join(", ")}`
            )
          )
    },
    encode: (id) => {
      const entry = entries.find((e) => e.id === id)
      // a kind written by its name must read back as itself: fall back to the id when another entry claims the name
      const name = entry?.zh
      return ParseResult.succeed(
        name !== undefined && idNamed(entries, synonyms, name) === id ? name : String(id)
      )
    }
  })

// -----------------------------------------------------------------------------
// bodies by name
// -----------------------------------------------------------------------------

/**
 * A body cell: a body id, or the name of one of `bodies` (an ambiguous name is
 * refused, naming the candidates with their units). An id no body carries is
 * kept: the core's integrity check reports it. Written as the id.
 */
export const bodyByName = <A extends string, I>(
  to: Schema.Schema<A, I>,
  bodies: ReadonlyArray<Body.Body>
): Schema.Schema<A, string> => {
  const ids = new Set<string>(bodies.map((b) => b.id))
  const byName = new Map<string, Array<Body.Body>>()
  for (const b of bodies) {
    const list = byName.get(b.name) ?? []
    list.push(b)
    byName.set(b.name, list)
  }
  const target = Schema.typeSchema(to)
  const is = Schema.is(target)
  return Schema.transformOrFail(Schema.String, target, {
    strict: true,
    decode: (text, _, ast) => {
      const wanted = text.trim()
      const named = ids.has(wanted) ? undefined : byName.get(wanted)
      if (named !== undefined && named.length > 1) {
        const list = named.map((b) => `${b.id}（${b.unitId}）`).join("、")
        return ParseResult.fail(
          new ParseResult.Type(
            ast,
            text,
            `机构名称「${wanted}」不明确，可指 ${list} — the body name "${wanted}" is ambiguous (${named.map((b) => `${b.id} in ${b.unitId}`).join(", ")}); write its id`
          )
        )
      }
      const id = named?.[0]?.id ?? wanted
      return is(id)
        ? ParseResult.succeed(id)
        : ParseResult.fail(
            new ParseResult.Type(ast, text, `不是有效的机构编号「${text}」 not a valid body id`)
          )
    },
    encode: (id) => ParseResult.succeed(String(id))
  })
}
