/**
 * 案件分类台账 — the category catalogue ledger (`CaseCategory.ts`): one row per
 * 小类 minor class with its 大类 major class beside it (family 部件/事件, major
 * id, code and name), then the minor's id, code, name, description, keywords,
 * start tier, default urgency, department hint and report attributes (as
 * JSON). A major class without minor classes has a row of its own with the
 * minor columns left empty.
 *
 * `rowsOf` turns a catalogue into rows and `categoriesOf` rows back into
 * category rows for `CaseCategory.make` (or `PolicyRepository.putCatalogue`),
 * which checks the tree: the ledger restates no catalogue rule. A major class
 * given with different fields on two rows becomes two rows with one id, which
 * the catalogue check reports (`duplicate-id`).
 *
 * @since 0.1.0
 */
import * as CaseCategory from "@civicgrid/core/CaseCategory"
import * as Text from "@civicgrid/core/Text"
import { Tier } from "@civicgrid/core/Tier"
import * as Schema from "effect/Schema"
import * as Ledger from "./Ledger.js"

/**
 * 案件分类台账行 — one 小类 with its 大类, as a flat row (the minor columns
 * empty for a 大类 without 小类).
 *
 * @since 0.1.0
 * @category schemas
 */
export const CategoryRow = Schema.Struct({
  family: CaseCategory.CategoryFamily,
  majorId: CaseCategory.CategoryId,
  majorCode: Text.Id,
  majorName: Text.Name,
  majorDescription: Schema.optionalWith(Text.Note, { exact: true }),
  id: Schema.optionalWith(CaseCategory.CategoryId, { exact: true }),
  code: Schema.optionalWith(Text.Id, { exact: true }),
  name: Schema.optionalWith(Text.Name, { exact: true }),
  description: Schema.optionalWith(Text.Note, { exact: true }),
  keywords: Schema.optionalWith(
    Schema.Array(Text.line(Text.limits.tag)).pipe(Schema.maxItems(Text.limits.references)),
    { exact: true }
  ),
  startTier: Schema.optionalWith(Tier, { exact: true }),
  urgency: Schema.optionalWith(CaseCategory.Urgency, { exact: true }),
  departmentId: Schema.optionalWith(Text.Id, { exact: true }),
  attributes: Schema.optionalWith(
    Schema.Array(CaseCategory.Attribute).pipe(Schema.maxItems(Text.limits.references)),
    { exact: true }
  )
}).annotations({ identifier: "CategoryRow", title: "案件分类台账行 category row" })

/**
 * @since 0.1.0
 * @category models
 */
export interface CategoryRow extends Schema.Schema.Type<typeof CategoryRow> {}

/**
 * 案件分类台账 — the spec.
 *
 * @since 0.1.0
 * @category specs
 */
export const spec: Ledger.LedgerSpec<CategoryRow> = Ledger.make({
  sheet: "案件分类台账",
  schema: CategoryRow,
  headers: {
    family: { header: "类别族", labels: CaseCategory.familyNames },
    majorId: "大类编号",
    majorCode: "大类代码",
    majorName: "大类名称",
    majorDescription: { header: "大类说明", width: 30 },
    id: "小类编号",
    code: "小类代码",
    name: "小类名称",
    description: { header: "小类说明", width: 30 },
    keywords: { header: "关键词", width: 20 },
    startTier: { header: "起始层级", labels: { community: "社区", street: "街道", district: "区" } },
    urgency: { header: "默认紧急程度", labels: { normal: "一般", urgent: "紧急", critical: "特急" } },
    departmentId: "处置部门",
    attributes: { header: "上报属性", width: 40 }
  }
})

/**
 * The rows of a catalogue: each 大类 in catalogue order with its 小类, one row
 * per 小类 (a 大类 without any: one row of its own). A minor class whose major
 * class is missing (an unvalidated catalogue) is left out.
 *
 * @since 0.1.0
 * @category constructors
 */
export const rowsOf = (catalogue: CaseCategory.Catalogue): ReadonlyArray<CategoryRow> =>
  CaseCategory.majors(catalogue).flatMap((major): ReadonlyArray<CategoryRow> => {
    const head: CategoryRow = {
      family: major.family,
      majorId: major.id,
      majorCode: major.code,
      majorName: major.name,
      ...(major.description === undefined ? {} : { majorDescription: major.description })
    }
    const minors = CaseCategory.minorsOf(catalogue, major.id)
    if (minors.length === 0) return [head]
    return minors.map(
      (m): CategoryRow => ({
        ...head,
        id: m.id,
        code: m.code,
        name: m.name,
        ...(m.description === undefined ? {} : { description: m.description }),
        ...(m.keywords === undefined || m.keywords.length === 0 ? {} : { keywords: m.keywords }),
        ...(m.startTier === undefined ? {} : { startTier: m.startTier }),
        ...(m.urgency === undefined ? {} : { urgency: m.urgency }),
        ...(m.departmentId === undefined ? {} : { departmentId: m.departmentId }),
        ...(m.attributes.length === 0 ? {} : { attributes: m.attributes })
      })
    )
  })

const sameMajor = (a: CaseCategory.MajorClass, b: CaseCategory.MajorClass): boolean =>
  a.id === b.id &&
  a.family === b.family &&
  a.code === b.code &&
  a.name === b.name &&
  a.description === b.description

/**
 * The category rows of ledger rows, for `CaseCategory.make`: each distinct
 * 大类 once (in first-seen order), then the 小类 of the rows that name one (a
 * row with a minor id; a missing minor code or name is left empty, which the
 * catalogue check refuses).
 *
 * @since 0.1.0
 * @category constructors
 */
export const categoriesOf = (rows: ReadonlyArray<CategoryRow>): ReadonlyArray<CaseCategory.Category> => {
  const majors: Array<CaseCategory.MajorClass> = []
  const minors: Array<CaseCategory.MinorClass> = []
  for (const row of rows) {
    const major = CaseCategory.major({
      family: row.family,
      id: row.majorId,
      code: row.majorCode,
      name: row.majorName,
      ...(row.majorDescription === undefined ? {} : { description: row.majorDescription })
    })
    if (!majors.some((m) => sameMajor(m, major))) majors.push(major)
    if (row.id === undefined) continue
    minors.push(
      CaseCategory.minor({
        family: row.family,
        id: row.id,
        code: row.code ?? "",
        name: row.name ?? "",
        majorId: row.majorId,
        ...(row.description === undefined ? {} : { description: row.description }),
        ...(row.keywords === undefined ? {} : { keywords: row.keywords }),
        ...(row.startTier === undefined ? {} : { startTier: row.startTier }),
        ...(row.urgency === undefined ? {} : { urgency: row.urgency }),
        ...(row.departmentId === undefined ? {} : { departmentId: row.departmentId }),
        ...(row.attributes === undefined ? {} : { attributes: row.attributes })
      })
    )
  }
  return [...majors, ...minors]
}
