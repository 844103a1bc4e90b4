/**
 * 问题清单台账 — the problem list ledger (`ProblemList.ts`): one row per
 * problem, the first of the community experience report's "三张清单" ("条目式分类梳理 … 形成问题清单台账",
 * in its words).
 *
 * The problem's source, a tagged union, is kept in two plain cells:
 *
 * | 来源        | 来源编号/说明                                  |
 * | ----------- | ---------------------------------------------- |
 * | 入户走访    | the grid worker's person id, or empty          |
 * | 党支部收集  | the party branch's id, or empty                |
 * | 平台案件    | the case id (required)                         |
 * | 其他        | a free note, or empty                          |
 *
 * 问题类别 shows the category's Chinese name (物业管理 …) and reads either the
 * name or the id. Categories are a table (`ProblemList.extendCategories`): use
 * `withCategories` for a ledger that names local categories too.
 *
 * Import checks each row against the `ProblemList.Problem` schema. It does not
 * check the list as a whole (duplicate ids, unknown categories or units,
 * missing status fields); run `ProblemList.validate` on the imported problems
 * for that.
 *
 * @since 0.1.0
 */
import { PartyOrgId } from "@civicgrid/core/PartyOrganization"
import * as ProblemList from "@civicgrid/core/ProblemList"
import { PersonId } from "@civicgrid/core/Staffing"
import * as ParseResult from "effect/ParseResult"
import * as Schema from "effect/Schema"
import * as Ledger from "./Ledger.js"

/**
 * 来源类型 — the `_tag` of a `ProblemList.ProblemSource`.
 *
 * @since 0.1.0
 * @category schemas
 */
export const SourceKind = Schema.Literal(
  "HouseholdVisit",
  "PartyBranch",
  "PlatformCase",
  "Other"
).annotations({ identifier: "ProblemSourceKind", title: "来源类型 problem source kind" })

/**
 * @since 0.1.0
 * @category models
 */
export type SourceKind = typeof SourceKind.Type

const isPersonId = Schema.is(PersonId)
const isPartyOrgId = Schema.is(PartyOrgId)
const isNonEmptyTrimmed = Schema.is(Schema.NonEmptyTrimmedString)

const detailIssues = (row: {
  readonly sourceKind: SourceKind
  readonly sourceDetail?: string
}): ReadonlyArray<Schema.FilterIssue> => {
  const detail = row.sourceDetail
  const issue = (message: string): ReadonlyArray<Schema.FilterIssue> => [{ path: ["sourceDetail"], message }]
  switch (row.sourceKind) {
    case "HouseholdVisit":
      return detail === undefined || isPersonId(detail)
        ? []
        : issue("应为走访网格员的人员编号，且首尾不能有空格 (expected the grid worker's person id)")
    case "PartyBranch":
      return detail === undefined || isPartyOrgId(detail)
        ? []
        : issue("应为党支部编号，且首尾不能有空格 (expected the party branch id)")
    case "PlatformCase":
      return detail === undefined
        ? issue("平台案件须填写案件编号 (a platform case needs its case id)")
        : isNonEmptyTrimmed(detail)
          ? []
          : issue("案件编号首尾不能有空格 (the case id must be trimmed)")
    case "Other":
      return []
  }
}

/**
 * 问题清单台账行 — a problem as a flat row: the fields of
 * `ProblemList.Problem`, with its source as 来源 (`sourceKind`) and 来源编号/说明
 * (`sourceDetail`). The detail must fit the kind: a person id for 入户走访, a
 * party branch id for 党支部收集, a case id (required) for 平台案件, any note for
 * 其他. Import reports a detail that does not fit at the 来源编号/说明 cell.
 *
 * @since 0.1.0
 * @category schemas
 */
export const ProblemRow = Schema.Struct({
  ...ProblemList.Problem.omit("source").fields,
  sourceKind: SourceKind,
  sourceDetail: Schema.optionalWith(Schema.String, { exact: true })
})
  .pipe(Schema.filter(detailIssues))
  .annotations({ identifier: "ProblemRow", title: "问题清单台账行 problem row" })

/**
 * @since 0.1.0
 * @category models
 */
export interface ProblemRow extends Schema.Schema.Type<typeof ProblemRow> {}

const sourceOf = (kind: SourceKind, detail: string | undefined): ProblemList.ProblemSource | undefined => {
  switch (kind) {
    case "HouseholdVisit":
      return detail === undefined
        ? { _tag: kind }
        : { _tag: kind, gridWorkerId: PersonId.make(detail, { disableValidation: true }) }
    case "PartyBranch":
      return detail === undefined
        ? { _tag: kind }
        : { _tag: kind, branchId: PartyOrgId.make(detail, { disableValidation: true }) }
    case "PlatformCase":
      return detail === undefined ? undefined : { _tag: kind, caseId: detail }
    case "Other":
      return detail === undefined ? { _tag: kind } : { _tag: kind, note: detail }
  }
}

const detailOf = (source: ProblemList.ProblemSource): { readonly sourceDetail?: string } => {
  switch (source._tag) {
    case "HouseholdVisit":
      return source.gridWorkerId === undefined ? {} : { sourceDetail: source.gridWorkerId }
    case "PartyBranch":
      return source.branchId === undefined ? {} : { sourceDetail: source.branchId }
    case "PlatformCase":
      return { sourceDetail: source.caseId }
    case "Other":
      return source.note === undefined ? {} : { sourceDetail: source.note }
  }
}

/**
 * A problem from its flat row, and back.
 *
 * @since 0.1.0
 * @category schemas
 */
export const ProblemFromRow = Schema.transformOrFail(ProblemRow, Schema.typeSchema(ProblemList.Problem), {
  strict: true,
  decode: ({ sourceDetail, sourceKind, ...rest }, _options, ast, input) => {
    const source = sourceOf(sourceKind, sourceDetail)
    return source === undefined
      ? ParseResult.fail(
          new ParseResult.Type(ast, input, "平台案件须填写案件编号 (a platform case needs its case id)")
        )
      : ParseResult.succeed({ ...rest, source })
  },
  encode: ({ source, ...rest }) =>
    ParseResult.succeed({ ...rest, sourceKind: source._tag, ...detailOf(source) })
})

/**
 * 类别名称 — the display labels of a category table for the 问题类别 column
 * (id → Chinese name). A name shared by two categories, or equal to a
 * category id, is left out (the column then shows the id), so every label
 * reads back as exactly one category.
 *
 * @since 0.1.0
 * @category utils
 */
export const categoryLabels = (
  categories: ReadonlyArray<ProblemList.ProblemCategory>
): Readonly<Record<string, string>> => {
  const ids = new Set<string>(categories.map((c) => c.id))
  const uses = new Map<string, number>()
  for (const c of categories) uses.set(c.name, (uses.get(c.name) ?? 0) + 1)
  return Object.fromEntries(
    categories.filter((c) => uses.get(c.name) === 1 && !ids.has(c.name)).map((c) => [c.id, c.name])
  )
}

/**
 * 问题清单台账 — the spec for a category table: 问题类别 shows the names of the
 * table's categories (see `categoryLabels`). A category id that is not in the
 * table is written as it is (so an unknown id that equals a category's name
 * reads back as that category; `ProblemList.validate` reports unknown ids).
 *
 * @since 0.1.0
 * @category specs
 */
export const withCategories = (
  categories: ReadonlyArray<ProblemList.ProblemCategory>
): Ledger.LedgerSpec<ProblemList.Problem> =>
  Ledger.make({
    sheet: "问题清单台账",
    schema: ProblemFromRow,
    headers: {
      id: "问题编号",
      unitId: { header: "所属单元", reference: "unit" },
      gridId: "所属网格",
      categoryId: { header: "问题类别", labels: categoryLabels(categories) },
      sourceKind: { header: "来源", labels: ProblemList.sourceNames },
      sourceDetail: { header: "来源编号/说明", width: 20 },
      description: { header: "问题描述", width: 40 },
      reportedAt: "上报时间",
      tags: "所需能力",
      demand: "需求量",
      status: { header: "状态", labels: ProblemList.statusNames },
      caseIds: "关联案件",
      taskId: "任务编号",
      plannedAt: "列入任务时间",
      resolvedAt: "解决时间",
      resolution: { header: "解决情况", width: 30 },
      closedAt: "不予解决时间",
      closedReason: { header: "不予解决原因", width: 30 }
    }
  })

/**
 * 问题清单台账 — the spec, with the community experience report's five categories named
 * (`ProblemList.defaultCategories`). Rows are `ProblemList.Problem` values.
 *
 * @since 0.1.0
 * @category specs
 */
export const spec: Ledger.LedgerSpec<ProblemList.Problem> = withCategories(ProblemList.defaultCategories)
