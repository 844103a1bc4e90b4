/**
 * 行政单元台账 — the unit ledger: one row per administrative unit (`Unit.ts`)
 * with its id, parent, level, name and 12-digit statistical area code, for a
 * hierarchy of any level scheme (`LevelScheme`). The level column takes the
 * scheme's level id (`community`), its Chinese name (`社区`, or one part of a
 * name such as `小区/居民小组`) or its English name; an export writes the
 * Chinese name. The parent column takes the parent's id, or its name or path
 * among the ledger's own rows (`resolver`), so a district can be written the
 * way staff know it: `金星区`, `金星街道`, `金星街道/金星社区`.
 *
 * A ledger does not say which scheme it follows: `fitting` picks, among the
 * schemes offered, the ones whose levels name every level the ledger uses.
 *
 * @since 0.1.0
 */
import * as LevelScheme from "@civicgrid/core/LevelScheme"
import * as Unit from "@civicgrid/core/Unit"
import * as ParseResult from "effect/ParseResult"
import * as Schema from "effect/Schema"
import * as Ledger from "./Ledger.js"
import * as UnitNames from "./UnitNames.js"

/** Every text a level may be written as: id, Chinese name and its parts, English name. */
const namesOf = (level: LevelScheme.Level): ReadonlyArray<string> => [
  level.id.toLowerCase(),
  level.name,
  ...level.name.split(/[/／、]/u).map((s) => s.trim()),
  level.nameEn.toLowerCase()
]

/**
 * 查找层级 — the level of a scheme a ledger cell names (id, Chinese name or
 * one part of it, English name; ids and English names in any case).
 *
 * @since 0.1.0
 * @category utils
 */
export const levelNamed = (scheme: LevelScheme.LevelScheme, text: string): LevelScheme.Level | undefined => {
  const wanted = text.trim()
  const lower = wanted.toLowerCase()
  return scheme.levels.find((level) => namesOf(level).some((name) => name === wanted || name === lower))
}

/**
 * 层级（按名称） — a level id from its name in a scheme, and back to the
 * level's Chinese name.
 *
 * @since 0.1.0
 * @category schemas
 */
export const LevelFromName = (scheme: LevelScheme.LevelScheme): Schema.Schema<LevelScheme.LevelId, string> =>
  Schema.transformOrFail(Schema.String, Schema.typeSchema(LevelScheme.LevelId), {
    strict: true,
    decode: (text, _, ast) => {
      const level = levelNamed(scheme, text)
      return level === undefined
        ? ParseResult.fail(
            new ParseResult.Type(
              ast,
              text,
              `层级「${text}」不在层级方案「${scheme.name}」中 level "${text}" is not a level of the scheme ` +
                `${scheme.id}: use one of ${scheme.levels.map((l) => l.name).join("、")} (rule level)`
            )
          )
        : ParseResult.succeed(level.id)
    },
    encode: (id) => ParseResult.succeed(scheme.levels.find((l) => l.id === id)?.name ?? id)
  })

const headers = (level: string | Ledger.ColumnOptions) =>
  ({
    id: "单元编号",
    parentId: { header: "上级单元", reference: "unit" },
    level,
    name: "单元名称",
    code: { header: "区划代码", width: 14 }
  }) as const

/** The sheet name of the unit ledger. */
const sheet = "行政单元台账"

/**
 * 行政单元台账 — the spec for a scheme; rows are `Unit.Unit` values.
 *
 * @since 0.1.0
 * @category specs
 */
export const spec = (scheme: LevelScheme.LevelScheme): Ledger.LedgerSpec<Unit.Unit> =>
  Ledger.make({
    sheet,
    schema: Schema.Struct({ ...Unit.Unit.fields, level: LevelFromName(scheme) }),
    headers: headers("层级")
  })

/**
 * 单元台账行（未定方案） — a unit row read before the scheme is known: the level
 * and the parent as written.
 *
 * @since 0.1.0
 * @category schemas
 */
export const LooseRow = Schema.Struct({
  id: Unit.UnitId,
  parentId: Schema.NullOr(Schema.NonEmptyTrimmedString),
  level: Schema.NonEmptyTrimmedString,
  name: Unit.Unit.fields.name,
  code: Schema.optionalWith(Schema.String, { exact: true })
})

/**
 * @since 0.1.0
 * @category models
 */
export interface LooseRow extends Schema.Schema.Type<typeof LooseRow> {}

/**
 * 行政单元台账（未定方案） — the spec of the first reading: every row with its
 * level and parent as written (to choose the scheme and name the parents).
 *
 * @since 0.1.0
 * @category specs
 */
export const loose: Ledger.LedgerSpec<LooseRow> = Ledger.make({
  sheet,
  schema: LooseRow,
  headers: headers("层级")
})

/**
 * 适用方案 — the schemes, among those offered (in order), whose levels name
 * every level the rows use.
 *
 * @since 0.1.0
 * @category utils
 */
export const fitting = (
  rows: ReadonlyArray<Pick<LooseRow, "level">>,
  schemes: ReadonlyArray<LevelScheme.LevelScheme>
): ReadonlyArray<LevelScheme.LevelScheme> => {
  const used = [...new Set(rows.map((r) => r.level))]
  return schemes.filter((scheme) => used.every((text) => levelNamed(scheme, text) !== undefined))
}

/**
 * 按方案读取 — the rows as units of a scheme, their parents named by `resolve`
 * (a text it does not find is kept, for the hierarchy's validation to report);
 * undefined when a level is not the scheme's.
 *
 * @since 0.1.0
 * @category utils
 */
export const unitsOf = (
  rows: ReadonlyArray<LooseRow>,
  scheme: LevelScheme.LevelScheme,
  resolve: Ledger.UnitResolver
): ReadonlyArray<Unit.Unit> | undefined => {
  const units: Array<Unit.Unit> = []
  for (const r of rows) {
    const level = levelNamed(scheme, r.level)
    if (level === undefined) return undefined
    const found = r.parentId === null ? undefined : resolve.resolve(r.parentId)
    units.push(
      Unit.make({
        id: r.id,
        parentId: r.parentId === null ? null : found?._tag === "Found" ? found.id : r.parentId,
        level: level.id,
        name: r.name,
        ...(r.code === undefined ? {} : { code: r.code })
      })
    )
  }
  return units
}

/**
 * 台账内单元解析 — names the units of the ledger's own rows (before any
 * hierarchy is stored): a text that is a row's id is that unit; otherwise the
 * rows whose path — their names from the top, each parent found by id or by a
 * name only one row has — ends with the text's names (`金星社区`,
 * `金星街道/金星社区`); several are ambiguous, none is not found.
 *
 * @since 0.1.0
 * @category constructors
 */
export const resolver = (
  rows: ReadonlyArray<Pick<LooseRow, "id" | "name" | "parentId">>
): Ledger.UnitResolver => {
  const byId = new Map(rows.map((r) => [r.id as string, r]))
  const byName = new Map<string, Array<string>>()
  for (const r of rows) byName.set(r.name, [...(byName.get(r.name) ?? []), r.id])
  const parentOf = (r: Pick<LooseRow, "parentId">): string | undefined => {
    if (r.parentId === null) return undefined
    if (byId.has(r.parentId)) return r.parentId
    const named = byName.get(r.parentId)
    return named !== undefined && named.length === 1 ? named[0] : undefined
  }
  const paths = new Map<string, ReadonlyArray<string>>()
  for (const r of rows) {
    const names: Array<string> = []
    const seen = new Set<string>()
    let at: Pick<LooseRow, "id" | "name" | "parentId"> | undefined = r
    while (at !== undefined && !seen.has(at.id)) {
      seen.add(at.id)
      names.unshift(at.name)
      const parent = parentOf(at)
      at = parent === undefined ? undefined : byId.get(parent)
    }
    paths.set(r.id, names)
  }
  return UnitNames.fromPaths(paths)
}
