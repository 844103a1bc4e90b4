/**
 * 案件类别 — the two-level case category tree 大类/小类 (major / minor class).
 *
 * Categories come in two families, after GB/T 30428.2 and CJ/T 214
 * (城市市政综合监管信息系统 管理部件和事件分类、编码及数据要求):
 *
 * - 部件 `component` — a piece of public infrastructure is damaged or missing;
 *   major classes 公用设施, 道路交通, 市容环境, 园林绿化, 房屋土地, 其他设施;
 * - 事件 `event` — a behaviour or occurrence harms the city's order;
 *   major classes 市容环境, 宣传广告, 施工管理, 突发事件, 街面秩序.
 *
 * **Codes.** A major class has a two-digit code (`01`–`99`), a minor class
 * its major's code followed by two digits (`0101`). The same code exists in
 * both families (部件 `0101` 上水井盖, 事件 `0101` 私搭乱建), so a code is
 * unique only within its family. The built-in catalogues therefore give
 * each category the id `<family prefix>-<code>`: `BJ-` for 部件 and `SJ-`
 * for 事件 (pinyin initials of 部件 / 事件), e.g. `BJ-01` 公用设施,
 * `BJ-0101` 上水井盖, `SJ-04` 突发事件, `SJ-0401` 路面塌陷. Ids are what other
 * modules and Open311 (`service_code`) refer to; custom categories may use
 * any unique id, but their codes follow the same two-plus-two digit rule.
 *
 * A minor class carries what a report of it must fill in — Open311-style
 * attributes (Open311 GeoReport v2 service definitions) — and its handling rules: the tier a
 * case starts at (突发事件 start at the street or the district, not the
 * community; the Panlong district report's three-tier loop), a default urgency and a handling
 * department hint.
 *
 * Catalogues are extensible: `make` builds one from flat rows and `extend`
 * adds rows to one; both validate the whole tree and return every violation.
 * `Standard` is the default 部件/事件 catalogue; `WithCommunityGovernance`
 * adds the classes community platforms add (矛盾纠纷, 信访事项, 物业管理,
 * 养老服务, 儿童关爱; the community experience report and the public-rental-housing community report).
 *
 * @since 0.1.0
 */
import * as Either from "effect/Either"
import * as Option from "effect/Option"
import * as Schema from "effect/Schema"
import { community } from "./internal/catalogueCommunity.js"
import type { AttributeSpec, FamilySpec } from "./internal/catalogueSpec.js"
import { components, events } from "./internal/catalogueStandard.js"
import * as Text from "./Text.js"
import { Tier } from "./Tier.js"

/**
 * 类别编码 — the identifier of a case category (a 大类 or a 小类).
 *
 * @since 0.1.0
 * @category schemas
 */
export const CategoryId = Text.Id.pipe(
  Schema.brand("CategoryId"),
  Schema.annotations({ identifier: "CategoryId", title: "类别编码 category id" })
)

/**
 * @since 0.1.0
 * @category models
 */
export type CategoryId = typeof CategoryId.Type

/**
 * 紧急程度 — urgency of a case: `normal` 一般, `urgent` 紧急, `critical` 特急.
 *
 * @since 0.1.0
 * @category schemas
 */
export const Urgency = Schema.Literal("normal", "urgent", "critical").annotations({
  identifier: "Urgency",
  title: "紧急程度 urgency",
  description: "normal 一般 | urgent 紧急 | critical 特急"
})

/**
 * @since 0.1.0
 * @category models
 */
export type Urgency = typeof Urgency.Type

// ---------------------------------------------------------------------------
// Families
// ---------------------------------------------------------------------------

/**
 * 类别族 — the family of a category: `component` 部件 or `event` 事件.
 *
 * @since 0.1.0
 * @category schemas
 */
export const CategoryFamily = Schema.Literal("component", "event").annotations({
  identifier: "CategoryFamily",
  title: "类别族 category family",
  description: "component 部件 | event 事件"
})

/**
 * @since 0.1.0
 * @category models
 */
export type CategoryFamily = typeof CategoryFamily.Type

/**
 * The families in catalogue order (部件 first).
 *
 * @since 0.1.0
 * @category constants
 */
export const families: ReadonlyArray<CategoryFamily> = ["component", "event"]

/**
 * Chinese names of the families.
 *
 * @since 0.1.0
 * @category constants
 */
export const familyNames: Readonly<Record<CategoryFamily, string>> = {
  component: "部件",
  event: "事件"
}

/**
 * The id prefix of each family in the built-in id scheme: `BJ` 部件, `SJ` 事件.
 *
 * @since 0.1.0
 * @category constants
 */
export const familyPrefixes: Readonly<Record<CategoryFamily, string>> = {
  component: "BJ",
  event: "SJ"
}

/**
 * The id the built-in scheme gives a category: `<BJ|SJ>-<code>`, e.g.
 * `idOf("event", "0401")` is `"SJ-0401"`.
 *
 * @since 0.1.0
 * @category constructors
 */
export const idOf = (family: CategoryFamily, code: string): CategoryId =>
  CategoryId.make(`${familyPrefixes[family]}-${code}`, { disableValidation: true })

// ---------------------------------------------------------------------------
// Attributes
// ---------------------------------------------------------------------------

/**
 * 属性类型 — the datatype of an attribute, as Open311 GeoReport v2 names them:
 * `string` 短文本, `number` 数值, `datetime` 日期时间, `text` 长文本,
 * `singlevaluelist` 单选, `multivaluelist` 多选.
 *
 * @since 0.1.0
 * @category schemas
 */
export const AttributeDatatype = Schema.Literal(
  "string",
  "number",
  "datetime",
  "text",
  "singlevaluelist",
  "multivaluelist"
).annotations({
  identifier: "AttributeDatatype",
  title: "属性类型 attribute datatype",
  description:
    "string 短文本 | number 数值 | datetime 日期时间 | text 长文本 | singlevaluelist 单选 | multivaluelist 多选"
})

/**
 * @since 0.1.0
 * @category models
 */
export type AttributeDatatype = typeof AttributeDatatype.Type

/**
 * 选项 — one value of a list attribute: its key (what a report sends) and its name (what a person reads).
 *
 * @since 0.1.0
 * @category schemas
 */
export const AttributeOption = Schema.Struct({
  key: Text.Id,
  name: Text.Name
}).annotations({ identifier: "AttributeOption", title: "选项 attribute option" })

/**
 * @since 0.1.0
 * @category models
 */
export interface AttributeOption extends Schema.Schema.Type<typeof AttributeOption> {}

/**
 * 上报属性 — a typed field a report of a minor class fills in (an Open311
 * service-definition attribute).
 *
 * @since 0.1.0
 * @category schemas
 */
export const Attribute = Schema.Struct({
  /** 属性代码 — the key a report sends, unique within the minor class. */
  code: Text.Id,
  datatype: AttributeDatatype,
  /** 必填 — whether a report must fill it in. */
  required: Schema.Boolean,
  /** 说明 — the question a person reads, in Chinese. */
  description: Text.line(Text.limits.title),
  /** 顺序 — display order (ascending). */
  order: Schema.Int.pipe(Schema.nonNegative()),
  /** 类型说明 — a hint on the expected format. */
  datatypeDescription: Schema.optionalWith(Text.Note, { exact: true }),
  /** 选项 — the allowed values of a list attribute; absent for other datatypes. */
  values: Schema.optionalWith(Schema.Array(AttributeOption).pipe(Schema.maxItems(Text.limits.references)), {
    exact: true
  })
}).annotations({ identifier: "Attribute", title: "上报属性 attribute" })

/**
 * @since 0.1.0
 * @category models
 */
export interface Attribute extends Schema.Schema.Type<typeof Attribute> {}

/**
 * Whether a datatype is a list (`singlevaluelist` or `multivaluelist`).
 *
 * @since 0.1.0
 * @category predicates
 */
export const isListDatatype = (datatype: AttributeDatatype): boolean =>
  datatype === "singlevaluelist" || datatype === "multivaluelist"

// ---------------------------------------------------------------------------
// Categories
// ---------------------------------------------------------------------------

/**
 * 大类 — a major class.
 *
 * @since 0.1.0
 * @category schemas
 */
export const MajorClass = Schema.TaggedStruct("MajorClass", {
  id: CategoryId,
  family: CategoryFamily,
  /** 大类代码 — two digits, `01`–`99`, unique within the family. */
  code: Text.Id,
  /** 名称 — e.g. `"公用设施"`, unique among the family's major classes. */
  name: Text.Name,
  description: Schema.optionalWith(Text.Note, { exact: true })
}).annotations({ identifier: "MajorClass", title: "大类 major class" })

/**
 * @since 0.1.0
 * @category models
 */
export interface MajorClass extends Schema.Schema.Type<typeof MajorClass> {}

/**
 * 小类 — a minor class: what a report is filed under. It names its major
 * class, lists the attributes a report fills in, and carries the handling
 * rules: the tier a case starts at (default: the community), a default
 * urgency (default: normal) and a handling department hint.
 *
 * @since 0.1.0
 * @category schemas
 */
export const MinorClass = Schema.TaggedStruct("MinorClass", {
  id: CategoryId,
  family: CategoryFamily,
  /** 小类代码 — the major class's two digits followed by two digits, e.g. `0101`; unique within the family. */
  code: Text.Id,
  /** 名称 — e.g. `"上水井盖"`, unique under its major class. */
  name: Text.Name,
  /** 所属大类 — the major class (of the same family). */
  majorId: CategoryId,
  description: Schema.optionalWith(Text.Note, { exact: true }),
  /** 关键词 — search terms and Open311 keywords, e.g. `["井盖"]`. */
  keywords: Schema.optionalWith(
    Schema.Array(Text.line(Text.limits.tag)).pipe(Schema.maxItems(Text.limits.references)),
    { exact: true }
  ),
  /** 上报属性 — what a report fills in (may be empty). */
  attributes: Schema.optionalWith(Schema.Array(Attribute).pipe(Schema.maxItems(Text.limits.references)), {
    default: () => []
  }),
  /** 起始处置层级 — the tier a case starts at, where above the community (e.g. 突发事件 → street or district). */
  startTier: Schema.optionalWith(Tier, { exact: true }),
  /** 默认紧急程度 — the urgency a new case gets unless the reporter says otherwise. */
  urgency: Schema.optionalWith(Urgency, { exact: true }),
  /** 处置部门 — a hint: the id of the department that usually handles it. */
  departmentId: Schema.optionalWith(Text.Id, { exact: true })
}).annotations({ identifier: "MinorClass", title: "小类 minor class" })

/**
 * @since 0.1.0
 * @category models
 */
export interface MinorClass extends Schema.Schema.Type<typeof MinorClass> {}

/**
 * 案件类别 — a category row: a major class or a minor class.
 *
 * @since 0.1.0
 * @category schemas
 */
export const Category = Schema.Union(MajorClass, MinorClass).annotations({
  identifier: "Category",
  title: "案件类别 case category"
})

/**
 * @since 0.1.0
 * @category models
 */
export type Category = MajorClass | MinorClass

/**
 * Whether a category is a 大类.
 *
 * @since 0.1.0
 * @category predicates
 */
export const isMajor = (category: Category): category is MajorClass => category._tag === "MajorClass"

/**
 * Whether a category is a 小类.
 *
 * @since 0.1.0
 * @category predicates
 */
export const isMinor = (category: Category): category is MinorClass => category._tag === "MinorClass"

/**
 * Builds a major-class row without validation; the id defaults to the built-in
 * scheme (`BJ-01`, `SJ-04` …).
 *
 * @since 0.1.0
 * @category constructors
 */
export const major = (fields: {
  readonly family: CategoryFamily
  readonly code: string
  readonly name: string
  readonly id?: string
  readonly description?: string
}): MajorClass => {
  const row: MajorClass = {
    _tag: "MajorClass",
    id:
      fields.id === undefined
        ? idOf(fields.family, fields.code)
        : CategoryId.make(fields.id, { disableValidation: true }),
    family: fields.family,
    code: fields.code,
    name: fields.name
  }
  return fields.description === undefined ? row : { ...row, description: fields.description }
}

/**
 * Builds a minor-class row without validation; the id defaults to the built-in
 * scheme (`BJ-0101` …), attributes to none.
 *
 * @since 0.1.0
 * @category constructors
 */
export const minor = (fields: {
  readonly family: CategoryFamily
  readonly code: string
  readonly name: string
  readonly majorId: string
  readonly id?: string
  readonly description?: string
  readonly keywords?: ReadonlyArray<string>
  readonly attributes?: ReadonlyArray<Attribute>
  readonly startTier?: Tier
  readonly urgency?: Urgency
  readonly departmentId?: string
}): MinorClass => {
  let row: MinorClass = {
    _tag: "MinorClass",
    id:
      fields.id === undefined
        ? idOf(fields.family, fields.code)
        : CategoryId.make(fields.id, { disableValidation: true }),
    family: fields.family,
    code: fields.code,
    name: fields.name,
    majorId: CategoryId.make(fields.majorId, { disableValidation: true }),
    attributes: fields.attributes ?? []
  }
  if (fields.description !== undefined) row = { ...row, description: fields.description }
  if (fields.keywords !== undefined) row = { ...row, keywords: fields.keywords }
  if (fields.startTier !== undefined) row = { ...row, startTier: fields.startTier }
  if (fields.urgency !== undefined) row = { ...row, urgency: fields.urgency }
  if (fields.departmentId !== undefined) row = { ...row, departmentId: fields.departmentId }
  return row
}

/**
 * Builds an attribute without validation; `required` defaults to false, and
 * `values` are given as `[key, name]` pairs.
 *
 * @since 0.1.0
 * @category constructors
 */
export const attribute = (fields: {
  readonly code: string
  readonly datatype: AttributeDatatype
  readonly description: string
  readonly order: number
  readonly required?: boolean
  readonly datatypeDescription?: string
  readonly values?: ReadonlyArray<readonly [string, string]>
}): Attribute => {
  let result: Attribute = {
    code: fields.code,
    datatype: fields.datatype,
    required: fields.required ?? false,
    description: fields.description,
    order: fields.order
  }
  if (fields.datatypeDescription !== undefined) {
    result = { ...result, datatypeDescription: fields.datatypeDescription }
  }
  if (fields.values !== undefined) {
    result = { ...result, values: fields.values.map(([key, name]) => ({ key, name })) }
  }
  return result
}

/**
 * The starting tier of a minor class: its `startTier`, or the community.
 *
 * @since 0.1.0
 * @category getters
 */
export const startTierOf = (category: MinorClass): Tier => category.startTier ?? "community"

/**
 * The default urgency of a minor class: its `urgency`, or normal.
 *
 * @since 0.1.0
 * @category getters
 */
export const urgencyOf = (category: MinorClass): Urgency => category.urgency ?? "normal"

// ---------------------------------------------------------------------------
// Catalogue
// ---------------------------------------------------------------------------

/**
 * 类别目录 — a validated category tree, indexed. Build one with `make` or
 * `extend`; the categories are in catalogue order (family 部件 then 事件,
 * then by code, then by id), so each major class comes right before its minors.
 *
 * @since 0.1.0
 * @category models
 */
export interface Catalogue {
  /** Every category, in catalogue order. */
  readonly categories: ReadonlyArray<Category>
  readonly byId: ReadonlyMap<string, Category>
  /** 小类 by 大类 id, in catalogue order. */
  readonly minorsByMajor: ReadonlyMap<string, ReadonlyArray<MinorClass>>
}

/**
 * The rule a catalogue row breaks:
 *
 * - `duplicate-id` — two categories share an id;
 * - `duplicate-code` — two major (or two minor) classes of one family share a code;
 * - `duplicate-name` — two major classes of one family, or two minor classes of one major class, share a name;
 * - `code-format` — a major code is not two digits `01`–`99`, or a minor code not four digits ending `01`–`99`;
 * - `code-prefix` — a minor class's code does not begin with its major class's code;
 * - `orphan-minor` — a minor class names a major class that does not exist;
 * - `parent-not-major` — a minor class names a category that is itself a minor class;
 * - `family-mismatch` — a minor class and its major class are of different families;
 * - `duplicate-attribute` — two attributes of a minor class share a code;
 * - `list-without-values` — a list attribute has no values;
 * - `values-on-non-list` — a non-list attribute has values;
 * - `duplicate-value` — two values of a list attribute share a key.
 *
 * @since 0.1.0
 * @category errors
 */
export const CatalogueRule = Schema.Literal(
  "duplicate-id",
  "duplicate-code",
  "duplicate-name",
  "code-format",
  "code-prefix",
  "orphan-minor",
  "parent-not-major",
  "family-mismatch",
  "duplicate-attribute",
  "list-without-values",
  "values-on-non-list",
  "duplicate-value"
).annotations({ identifier: "CatalogueRule", title: "目录规则 catalogue rule" })

/**
 * @since 0.1.0
 * @category models
 */
export type CatalogueRule = typeof CatalogueRule.Type

/**
 * 目录违规 — one violation: the category (and attribute, where it is one) and the rule it breaks.
 *
 * @since 0.1.0
 * @category errors
 */
export const CatalogueViolation = Schema.Struct({
  categoryId: Schema.String,
  rule: CatalogueRule,
  attribute: Schema.optionalWith(Schema.String, { exact: true }),
  message: Schema.String
}).annotations({ identifier: "CatalogueViolation", title: "目录违规 catalogue violation" })

/**
 * @since 0.1.0
 * @category models
 */
export interface CatalogueViolation extends Schema.Schema.Type<typeof CatalogueViolation> {}

/**
 * 类别目录错误 — a catalogue that is not a valid tree, with every violation.
 *
 * @since 0.1.0
 * @category errors
 */
export class InvalidCatalogue extends Schema.TaggedError<InvalidCatalogue>()("InvalidCatalogue", {
  violations: Schema.NonEmptyArray(CatalogueViolation)
}) {
  override get message(): string {
    return `invalid category catalogue (${this.violations.length} violation(s)): ${this.violations
      .map((v) => v.message)
      .join("; ")}`
  }
}

const familyRank = (family: CategoryFamily): number => (family === "component" ? 0 : 1)

const compareStrings = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0)

const compareCategories = (a: Category, b: Category): number =>
  familyRank(a.family) - familyRank(b.family) || compareStrings(a.code, b.code) || compareStrings(a.id, b.id)

const compareViolations = (a: CatalogueViolation, b: CatalogueViolation): number =>
  compareStrings(a.categoryId, b.categoryId) ||
  compareStrings(a.rule, b.rule) ||
  compareStrings(a.attribute ?? "", b.attribute ?? "") ||
  compareStrings(a.message, b.message)

const MAJOR_CODE = /^(0[1-9]|[1-9]\d)$/
const MINOR_CODE = /^(0[1-9]|[1-9]\d)(0[1-9]|[1-9]\d)$/

const index = (rows: ReadonlyArray<Category>): Catalogue => {
  const categories = [...rows].sort(compareCategories)
  const byId = new Map<string, Category>()
  for (const row of rows) if (!byId.has(row.id)) byId.set(row.id, row)
  const minorsByMajor = new Map<string, Array<MinorClass>>()
  for (const row of categories) {
    if (row._tag !== "MinorClass") continue
    const list = minorsByMajor.get(row.majorId)
    if (list === undefined) minorsByMajor.set(row.majorId, [row])
    else list.push(row)
  }
  return { categories, byId, minorsByMajor }
}

const checkAttributes = (row: MinorClass, out: Array<CatalogueViolation>): void => {
  const seen = new Set<string>()
  for (const attr of row.attributes) {
    const at = `小类 "${row.id}" 的属性 "${attr.code}"`
    if (seen.has(attr.code)) {
      out.push({
        categoryId: row.id,
        rule: "duplicate-attribute",
        attribute: attr.code,
        message: `${at} 重复 (duplicate attribute: two attributes share the code)`
      })
    }
    seen.add(attr.code)
    const values = attr.values ?? []
    if (isListDatatype(attr.datatype)) {
      if (values.length === 0) {
        out.push({
          categoryId: row.id,
          rule: "list-without-values",
          attribute: attr.code,
          message: `${at} 是选项类型但没有选项 (a ${attr.datatype} attribute needs values)`
        })
      }
      const keys = new Set<string>()
      const dup = new Set<string>()
      for (const v of values) {
        if (keys.has(v.key)) dup.add(v.key)
        keys.add(v.key)
      }
      if (dup.size > 0) {
        out.push({
          categoryId: row.id,
          rule: "duplicate-value",
          attribute: attr.code,
          message: `${at} 的选项键重复: ${[...dup].sort().join(", ")} (duplicate value keys)`
        })
      }
    } else if (values.length > 0) {
      out.push({
        categoryId: row.id,
        rule: "values-on-non-list",
        attribute: attr.code,
        message: `${at} 不是选项类型却有选项 (a ${attr.datatype} attribute takes no values)`
      })
    }
  }
}

/**
 * 校验类别目录 — checks flat rows against every catalogue rule (see
 * `CatalogueRule`) and returns every violation, sorted by category id, then
 * rule; empty when the rows form a valid tree. Where an id is duplicated, the
 * first row with it is the one minor classes hang under.
 *
 * @since 0.1.0
 * @category validation
 */
export const validate = (rows: ReadonlyArray<Category>): ReadonlyArray<CatalogueViolation> => {
  const out: Array<CatalogueViolation> = []
  const byId = new Map<string, Category>()
  const idCount = new Map<string, number>()
  for (const row of rows) {
    if (!byId.has(row.id)) byId.set(row.id, row)
    idCount.set(row.id, (idCount.get(row.id) ?? 0) + 1)
  }
  for (const [id, count] of idCount) {
    if (count > 1) {
      out.push({
        categoryId: id,
        rule: "duplicate-id",
        message: `类别编码 "${id}" 被 ${count} 个类别使用 (duplicate id: ${count} categories share it)`
      })
    }
  }

  const codeOwner = new Map<string, string>()
  const nameOwner = new Map<string, string>()
  for (const row of rows) {
    const kind = row._tag === "MajorClass" ? "大类" : "小类"
    const codeKey = `${row.family}|${row._tag}|${row.code}`
    const firstWithCode = codeOwner.get(codeKey)
    if (firstWithCode === undefined) codeOwner.set(codeKey, row.id)
    else {
      out.push({
        categoryId: row.id,
        rule: "duplicate-code",
        message: `${familyNames[row.family]}${kind} "${row.id}"「${row.name}」的代码 ${row.code} 已被 "${firstWithCode}" 使用 (duplicate code within the family)`
      })
    }
    const nameKey = `${row.family}|${row._tag === "MajorClass" ? "" : row.majorId}|${row._tag}|${row.name}`
    const firstWithName = nameOwner.get(nameKey)
    if (firstWithName === undefined) nameOwner.set(nameKey, row.id)
    else {
      out.push({
        categoryId: row.id,
        rule: "duplicate-name",
        message: `${kind} "${row.id}" 的名称「${row.name}」已被 "${firstWithName}" 使用 (duplicate name among siblings)`
      })
    }

    if (row._tag === "MajorClass") {
      if (!MAJOR_CODE.test(row.code)) {
        out.push({
          categoryId: row.id,
          rule: "code-format",
          message: `大类 "${row.id}"「${row.name}」的代码 "${row.code}" 应为两位数字 01–99 (a major code is two digits)`
        })
      }
      continue
    }

    if (!MINOR_CODE.test(row.code)) {
      out.push({
        categoryId: row.id,
        rule: "code-format",
        message: `小类 "${row.id}"「${row.name}」的代码 "${row.code}" 应为四位数字，大类代码加 01–99 (a minor code is four digits)`
      })
    }
    const parent = byId.get(row.majorId)
    if (parent === undefined) {
      out.push({
        categoryId: row.id,
        rule: "orphan-minor",
        message: `小类 "${row.id}"「${row.name}」的大类 "${row.majorId}" 不存在 (orphan minor: its major class does not exist)`
      })
    } else if (parent._tag !== "MajorClass") {
      out.push({
        categoryId: row.id,
        rule: "parent-not-major",
        message: `小类 "${row.id}"「${row.name}」挂在小类 "${row.majorId}" 下 (a minor class must hang under a major class)`
      })
    } else {
      if (parent.family !== row.family) {
        out.push({
          categoryId: row.id,
          rule: "family-mismatch",
          message: `${familyNames[row.family]}小类 "${row.id}"「${row.name}」挂在${familyNames[parent.family]}大类 "${parent.id}" 下 (family mismatch)`
        })
      }
      if (MINOR_CODE.test(row.code) && !row.code.startsWith(parent.code)) {
        out.push({
          categoryId: row.id,
          rule: "code-prefix",
          message: `小类 "${row.id}"「${row.name}」的代码 ${row.code} 不以其大类代码 ${parent.code} 开头 (code prefix)`
        })
      }
    }
    checkAttributes(row, out)
  }
  return out.sort(compareViolations)
}

/**
 * 构建类别目录 — builds a catalogue from flat rows, validated as a tree
 * (every violation reported, see `validate`).
 *
 * @since 0.1.0
 * @category constructors
 */
export const make = (rows: ReadonlyArray<Category>): Either.Either<Catalogue, InvalidCatalogue> => {
  const violations = validate(rows)
  const [first, ...rest] = violations
  return first === undefined
    ? Either.right(index(rows))
    : Either.left(new InvalidCatalogue({ violations: [first, ...rest] }))
}

/**
 * Builds a catalogue from rows without validating them (for trusted data;
 * with a duplicated id, the first row wins the index).
 *
 * @since 0.1.0
 * @category constructors
 */
export const unsafeMake = (rows: ReadonlyArray<Category>): Catalogue => index(rows)

/**
 * 扩展类别目录 — adds categories to a catalogue: new major classes, new minor
 * classes under new or existing major classes. The result is validated as a
 * whole, so an added row that clashes with an existing one (same id, same
 * code) or hangs nowhere is reported.
 *
 * @since 0.1.0
 * @category combinators
 */
export const extend = (
  catalogue: Catalogue,
  categories: ReadonlyArray<Category>
): Either.Either<Catalogue, InvalidCatalogue> => make([...catalogue.categories, ...categories])

// ---------------------------------------------------------------------------
// Queries
// ---------------------------------------------------------------------------

/**
 * The category with an id.
 *
 * @since 0.1.0
 * @category getters
 */
export const get = (catalogue: Catalogue, id: string): Option.Option<Category> =>
  Option.fromNullable(catalogue.byId.get(id))

/**
 * The minor class with an id (none if the id names a major class or nothing).
 *
 * @since 0.1.0
 * @category getters
 */
export const getMinor = (catalogue: Catalogue, id: string): Option.Option<MinorClass> =>
  Option.filter(get(catalogue, id), isMinor)

/**
 * The major class with an id (none if the id names a minor class or nothing).
 *
 * @since 0.1.0
 * @category getters
 */
export const getMajor = (catalogue: Catalogue, id: string): Option.Option<MajorClass> =>
  Option.filter(get(catalogue, id), isMajor)

/**
 * The major class of a minor class (given by id or as the row).
 *
 * @since 0.1.0
 * @category getters
 */
export const majorOf = (catalogue: Catalogue, minorClass: string | MinorClass): Option.Option<MajorClass> => {
  const row = typeof minorClass === "string" ? getMinor(catalogue, minorClass) : Option.some(minorClass)
  return Option.flatMap(row, (m) => getMajor(catalogue, m.majorId))
}

/**
 * The minor classes of a major class, in catalogue order (empty for an unknown id).
 *
 * @since 0.1.0
 * @category getters
 */
export const minorsOf = (catalogue: Catalogue, majorId: string): ReadonlyArray<MinorClass> =>
  catalogue.minorsByMajor.get(majorId) ?? []

/**
 * Every major class, in catalogue order; of one family if given.
 *
 * @since 0.1.0
 * @category getters
 */
export const majors = (catalogue: Catalogue, family?: CategoryFamily): ReadonlyArray<MajorClass> =>
  catalogue.categories.filter(
    (c): c is MajorClass => c._tag === "MajorClass" && (family === undefined || c.family === family)
  )

/**
 * Every minor class, in catalogue order; of one family if given. These are
 * what reports are filed under (Open311 services).
 *
 * @since 0.1.0
 * @category getters
 */
export const minors = (catalogue: Catalogue, family?: CategoryFamily): ReadonlyArray<MinorClass> =>
  catalogue.categories.filter(
    (c): c is MinorClass => c._tag === "MinorClass" && (family === undefined || c.family === family)
  )

/**
 * Every category (major and minor classes) of one family, in catalogue order.
 *
 * @since 0.1.0
 * @category getters
 */
export const inFamily = (catalogue: Catalogue, family: CategoryFamily): ReadonlyArray<Category> =>
  catalogue.categories.filter((c) => c.family === family)

/**
 * 类别路径 — the names from the major class down to the category:
 * `["公用设施", "上水井盖"]` for a minor class, `["公用设施"]` for a major class.
 *
 * @since 0.1.0
 * @category getters
 */
export const path = (catalogue: Catalogue, id: string): Option.Option<ReadonlyArray<string>> =>
  Option.flatMap(get(catalogue, id), (category) =>
    category._tag === "MajorClass"
      ? Option.some([category.name])
      : Option.map(getMajor(catalogue, category.majorId), (m) => [m.name, category.name])
  )

/**
 * 按名称查找 — categories whose name (or a keyword) contains the query,
 * case-insensitively: exact name matches first, then names starting with the
 * query, names containing it, and keyword matches; catalogue order within
 * each rank. A blank query finds nothing.
 *
 * @since 0.1.0
 * @category getters
 */
export const search = (catalogue: Catalogue, query: string): ReadonlyArray<Category> => {
  const q = query.trim().toLowerCase()
  if (q.length === 0) return []
  const ranked: Array<readonly [number, number, Category]> = []
  catalogue.categories.forEach((category, position) => {
    const name = category.name.toLowerCase()
    const rank =
      name === q
        ? 0
        : name.startsWith(q)
          ? 1
          : name.includes(q)
            ? 2
            : category._tag === "MinorClass" &&
                (category.keywords ?? []).some((k) => k.toLowerCase().includes(q))
              ? 3
              : -1
    if (rank >= 0) ranked.push([rank, position, category])
  })
  return ranked.sort((a, b) => a[0] - b[0] || a[1] - b[1]).map(([, , c]) => c)
}

// ---------------------------------------------------------------------------
// Attribute values
// ---------------------------------------------------------------------------

/**
 * 属性值 — a validated attribute value: a string (`string`, `text`, `datetime` as ISO
 * 8601, `singlevaluelist` key), a number, or a list of keys (`multivaluelist`).
 *
 * @since 0.1.0
 * @category models
 */
export type AttributeValue = string | number | ReadonlyArray<string>

/**
 * The rule an attribute value breaks:
 * `missing-required` 必填项缺失, `wrong-type` 类型不符, `not-in-list` 选项不存在,
 * `unknown-attribute` 未定义的属性.
 *
 * @since 0.1.0
 * @category errors
 */
export const AttributeRule = Schema.Literal(
  "missing-required",
  "wrong-type",
  "not-in-list",
  "unknown-attribute"
).annotations({ identifier: "AttributeRule", title: "属性规则 attribute rule" })

/**
 * @since 0.1.0
 * @category models
 */
export type AttributeRule = typeof AttributeRule.Type

/**
 * 属性违规 — one bad field of a report: the attribute code and the rule.
 *
 * @since 0.1.0
 * @category errors
 */
export const AttributeViolation = Schema.Struct({
  attribute: Schema.String,
  rule: AttributeRule,
  message: Schema.String
}).annotations({ identifier: "AttributeViolation", title: "属性违规 attribute violation" })

/**
 * @since 0.1.0
 * @category models
 */
export interface AttributeViolation extends Schema.Schema.Type<typeof AttributeViolation> {}

/**
 * 上报属性错误 — a report's attribute values that do not fit its minor class, every bad field named.
 *
 * @since 0.1.0
 * @category errors
 */
export class InvalidAttributes extends Schema.TaggedError<InvalidAttributes>()("InvalidAttributes", {
  categoryId: Schema.String,
  violations: Schema.NonEmptyArray(AttributeViolation)
}) {
  override get message(): string {
    return `invalid attributes for category "${this.categoryId}": ${this.violations
      .map((v) => v.message)
      .join("; ")}`
  }
}

const isAbsent = (value: unknown): boolean =>
  value === undefined ||
  value === null ||
  (typeof value === "string" && value.trim().length === 0) ||
  (Array.isArray(value) && value.length === 0)

const NUMERIC = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/
const DATETIME =
  /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?$/

const validDateTime = (text: string): boolean => {
  const m = DATETIME.exec(text)
  if (m === null) return false
  const [year, month, day, hour, minute, second] = [m[1], m[2], m[3], m[4], m[5], m[6]].map((s) =>
    s === undefined ? 0 : Number(s)
  )
  if (
    year === undefined ||
    month === undefined ||
    day === undefined ||
    hour === undefined ||
    minute === undefined ||
    second === undefined
  ) {
    return false
  }
  if (month < 1 || month > 12 || hour > 23 || minute > 59 || second > 59) return false
  const daysInMonth = new Date(Date.UTC(year, month, 0)).getUTCDate()
  return day >= 1 && day <= daysInMonth
}

type Check =
  | { readonly ok: AttributeValue }
  | { readonly rule: "wrong-type" | "not-in-list"; readonly detail: string }

const asKey = (value: unknown): string | undefined =>
  typeof value === "string"
    ? value.trim()
    : typeof value === "number" && Number.isFinite(value)
      ? String(value)
      : undefined

const checkValue = (attr: Attribute, value: unknown): Check => {
  switch (attr.datatype) {
    case "string":
    case "text":
      return typeof value === "string"
        ? { ok: value }
        : { rule: "wrong-type", detail: "应为文本 (expected a string)" }
    case "number": {
      if (typeof value === "number") {
        return Number.isFinite(value)
          ? { ok: value }
          : { rule: "wrong-type", detail: "应为有限数值 (expected a finite number)" }
      }
      if (typeof value === "string" && NUMERIC.test(value.trim())) return { ok: Number(value.trim()) }
      return { rule: "wrong-type", detail: "应为数值 (expected a number)" }
    }
    case "datetime": {
      if (value instanceof Date) {
        return Number.isNaN(value.getTime())
          ? { rule: "wrong-type", detail: "无效日期 (invalid Date)" }
          : { ok: value.toISOString() }
      }
      if (typeof value === "string" && validDateTime(value.trim())) return { ok: value.trim() }
      return { rule: "wrong-type", detail: "应为 ISO 8601 日期时间 (expected an ISO 8601 date-time)" }
    }
    case "singlevaluelist": {
      const key = asKey(value)
      if (key === undefined) return { rule: "wrong-type", detail: "应为一个选项键 (expected one value key)" }
      return (attr.values ?? []).some((v) => v.key === key)
        ? { ok: key }
        : { rule: "not-in-list", detail: `选项 "${key}" 不存在 (not one of the values)` }
    }
    case "multivaluelist": {
      const items: ReadonlyArray<unknown> = Array.isArray(value) ? value : [value]
      const keys: Array<string> = []
      for (const item of items) {
        const key = asKey(item)
        if (key === undefined)
          return { rule: "wrong-type", detail: "应为选项键列表 (expected a list of value keys)" }
        if (!keys.includes(key)) keys.push(key)
      }
      const unknown = keys.filter((k) => !(attr.values ?? []).some((v) => v.key === k))
      return unknown.length === 0
        ? { ok: keys }
        : {
            rule: "not-in-list",
            detail: `选项 ${unknown.map((k) => `"${k}"`).join(", ")} 不存在 (not among the values)`
          }
    }
  }
}

const byOrder = (a: Attribute, b: Attribute): number => a.order - b.order || compareStrings(a.code, b.code)

/**
 * 未定义属性的处理 — what `validateAttributes` does with a code the category
 * does not define: `refuse` it (rule `unknown-attribute`, the default) or
 * `keep` it (see `validateAttributes`).
 *
 * @since 0.1.0
 * @category models
 */
export interface ValidateAttributesOptions {
  readonly unknown?: "refuse" | "keep"
}

// the bounds of `Case.Attributes` (which this module cannot import: `Case` imports it), so that what
// is kept is a valid report's attributes — a property test holds the two together
const maxKeptAttributes = 50
const isKeptCode = Schema.is(Text.line(64))
const isKeptText = Schema.is(Text.Note)
const isKeptItem = Schema.is(Text.Name)

/** An unknown attribute's value as it may be kept, or undefined when it cannot be. */
const keptValue = (value: unknown): AttributeValue | undefined => {
  if (typeof value === "string") {
    const t = value.trim()
    return t.length > 0 && isKeptText(t) ? t : undefined
  }
  if (typeof value === "number") return Number.isFinite(value) ? value : undefined
  if (!Array.isArray(value) || value.length === 0 || value.length > maxKeptAttributes) return undefined
  const items: Array<string> = []
  for (const item of value) {
    const key = asKey(item)
    if (key === undefined || !isKeptItem(key)) return undefined
    items.push(key)
  }
  return items
}

/**
 * 校验上报属性 — checks a report's attribute values against its minor class
 * and returns the typed values (absent optional fields left out), or every bad
 * field: a required field that is missing (absent = `undefined`, `null`, a
 * blank string or an empty list), a value of the wrong type, a list value
 * that is not one of the attribute's keys, a field the category does not
 * define. One violation per field, in attribute order, unknown fields last.
 *
 * Accepted forms, lenient where Open311 form posts send strings: a number may
 * come as a numeric string; a datetime as an ISO 8601 date or date-time string
 * (kept as given, trimmed) or a valid `Date` (turned into ISO); list keys as
 * strings or numbers; a `multivaluelist` as a list or a single key (duplicate
 * keys collapse).
 *
 * **Unknown codes** (`options.unknown`): `"refuse"` (the default) refuses
 * each with rule `unknown-attribute`; `"keep"` never refuses one — an Open311
 * client such as FixMyStreet sends attributes of its own — and keeps it when
 * it can be stored as `Case.Attributes` requires: a code of 1 to 64
 * characters on one line, a value that is a non-blank text of at most
 * `Text.limits.note` characters (trimmed), a finite number, or a list of
 * 1 to 50 names (`Text.Name`; numbers as their text), and at most 50
 * attributes in all (unknown codes in code order after the category's own).
 * Anything else is **dropped**, not refused (a boolean, an object, a blank or
 * over-long text, a code with a line break …). Only a missing required value
 * or an invalid value of an attribute the category defines is refused.
 *
 * @since 0.1.0
 * @category validation
 */
export const validateAttributes = (
  category: MinorClass,
  values: Readonly<Record<string, unknown>>,
  options: ValidateAttributesOptions = {}
): Either.Either<Readonly<Record<string, AttributeValue>>, InvalidAttributes> => {
  const result: Record<string, AttributeValue> = {}
  const violations: Array<AttributeViolation> = []
  const known = new Set<string>()
  for (const attr of [...category.attributes].sort(byOrder)) {
    known.add(attr.code)
    const value = Object.hasOwn(values, attr.code) ? values[attr.code] : undefined
    if (isAbsent(value)) {
      if (attr.required) {
        violations.push({
          attribute: attr.code,
          rule: "missing-required",
          message: `必填属性 "${attr.code}"（${attr.description}）缺失 (missing required attribute)`
        })
      }
      continue
    }
    const checked = checkValue(attr, value)
    if ("ok" in checked) result[attr.code] = checked.ok
    else {
      violations.push({
        attribute: attr.code,
        rule: checked.rule,
        message: `属性 "${attr.code}"（${attr.description}）: ${checked.detail}`
      })
    }
  }
  const keep = options.unknown === "keep"
  let kept = Object.keys(result).length
  for (const key of Object.keys(values).sort()) {
    if (known.has(key) || values[key] === undefined) continue
    if (keep) {
      const value = keptValue(values[key])
      if (value !== undefined && isKeptCode(key) && kept < maxKeptAttributes) {
        // an own property even for a code such as `__proto__`
        Object.defineProperty(result, key, { value, enumerable: true, writable: true, configurable: true })
        kept++
      }
      continue
    }
    violations.push({
      attribute: key,
      rule: "unknown-attribute",
      message: `类别 "${category.id}" 没有属性 "${key}" (unknown attribute)`
    })
  }
  const [first, ...rest] = violations
  return first === undefined
    ? Either.right(result)
    : Either.left(new InvalidAttributes({ categoryId: category.id, violations: [first, ...rest] }))
}

// ---------------------------------------------------------------------------
// Open311
// ---------------------------------------------------------------------------

/**
 * Open311 服务 — an Open311 GeoReport v2 service (`GET services`): one per 小类. `service_code`
 * is the category id (unambiguous across families), `group` the family and
 * major class (`"部件/公用设施"`), `metadata` whether it has attributes.
 *
 * @since 0.1.0
 * @category schemas
 */
export const Open311Service = Schema.Struct({
  service_code: Schema.String,
  service_name: Schema.String,
  description: Schema.String,
  metadata: Schema.Boolean,
  type: Schema.Literal("realtime", "batch", "blackbox"),
  keywords: Schema.String,
  group: Schema.String
}).annotations({ identifier: "Open311Service", title: "Open311 service" })

/**
 * @since 0.1.0
 * @category models
 */
export interface Open311Service extends Schema.Schema.Type<typeof Open311Service> {}

/**
 * Open311 属性 — an Open311 GeoReport v2 service-definition attribute.
 *
 * @since 0.1.0
 * @category schemas
 */
export const Open311Attribute = Schema.Struct({
  variable: Schema.Boolean,
  code: Schema.String,
  datatype: AttributeDatatype,
  required: Schema.Boolean,
  datatype_description: Schema.NullOr(Schema.String),
  order: Schema.Number,
  description: Schema.String,
  values: Schema.Array(Schema.Struct({ key: Schema.String, name: Schema.String }))
}).annotations({ identifier: "Open311Attribute", title: "Open311 attribute" })

/**
 * @since 0.1.0
 * @category models
 */
export interface Open311Attribute extends Schema.Schema.Type<typeof Open311Attribute> {}

/**
 * Open311 服务定义 — an Open311 GeoReport v2 service definition (`GET services/{service_code}`).
 *
 * @since 0.1.0
 * @category schemas
 */
export const Open311ServiceDefinition = Schema.Struct({
  service_code: Schema.String,
  attributes: Schema.Array(Open311Attribute)
}).annotations({ identifier: "Open311ServiceDefinition", title: "Open311 service definition" })

/**
 * @since 0.1.0
 * @category models
 */
export interface Open311ServiceDefinition extends Schema.Schema.Type<typeof Open311ServiceDefinition> {}

/**
 * The Open311 service of a minor class. The catalogue supplies the group
 * (family and major class name); a minor whose major class is not in the
 * catalogue is grouped under its family alone.
 *
 * @since 0.1.0
 * @category utils
 */
export const toOpen311Service = (catalogue: Catalogue, category: MinorClass): Open311Service => {
  const family = familyNames[category.family]
  return {
    service_code: category.id,
    service_name: category.name,
    description: category.description ?? category.name,
    metadata: category.attributes.length > 0,
    type: "realtime",
    keywords: (category.keywords ?? []).join(","),
    group: Option.match(getMajor(catalogue, category.majorId), {
      onNone: () => family,
      onSome: (m) => `${family}/${m.name}`
    })
  }
}

/**
 * Every minor class of a catalogue as an Open311 service, in catalogue order.
 *
 * @since 0.1.0
 * @category utils
 */
export const toOpen311Services = (catalogue: Catalogue): ReadonlyArray<Open311Service> =>
  minors(catalogue).map((m) => toOpen311Service(catalogue, m))

/**
 * The Open311 service definition of a minor class: its attributes in order,
 * every one `variable` (a report fills it in); list values as `{ key, name }`,
 * an empty list for other datatypes.
 *
 * @since 0.1.0
 * @category utils
 */
export const toOpen311Definition = (category: MinorClass): Open311ServiceDefinition => ({
  service_code: category.id,
  attributes: [...category.attributes].sort(byOrder).map((attr) => ({
    variable: true,
    code: attr.code,
    datatype: attr.datatype,
    required: attr.required,
    datatype_description: attr.datatypeDescription ?? null,
    order: attr.order,
    description: attr.description,
    values: (attr.values ?? []).map((v) => ({ key: v.key, name: v.name }))
  }))
})

// ---------------------------------------------------------------------------
// Built-in catalogues
// ---------------------------------------------------------------------------

const attributeFromSpec = (spec: AttributeSpec, position: number): Attribute =>
  attribute({ ...spec, order: position + 1 })

const rowsFromSpec = (spec: FamilySpec): ReadonlyArray<Category> =>
  spec.majors.flatMap((m): ReadonlyArray<Category> => {
    const majorRow = major({
      family: spec.family,
      code: m.code,
      name: m.name,
      ...(m.description === undefined ? {} : { description: m.description })
    })
    return [
      majorRow,
      ...m.minors.map(({ attributes, code, ...rest }) =>
        minor({
          ...rest,
          family: spec.family,
          code: `${m.code}${code}`,
          majorId: majorRow.id,
          attributes: (attributes ?? []).map(attributeFromSpec)
        })
      )
    ]
  })

/**
 * The rows of the standard catalogue: the six 部件 and five 事件 major classes
 * of GB/T 30428.2 / CJ/T 214 (codes 01–06 and 01–05, ids `BJ-…` / `SJ-…`)
 * with common minor classes under each. The major classes are the standard's;
 * the minor classes are a common set numbered in this catalogue, not a copy of
 * any city's table — a platform with its own table loads it with `make`.
 *
 * @since 0.1.0
 * @category catalogues
 */
export const standardRows: ReadonlyArray<Category> = [...rowsFromSpec(components), ...rowsFromSpec(events)]

/**
 * The rows community-governance platforms add, as 事件 major classes 21–25:
 * 矛盾纠纷 disputes, 信访事项 petitions, 物业管理 property management,
 * 养老服务 elderly care, 儿童关爱 child care — an example of `extend`.
 *
 * @since 0.1.0
 * @category catalogues
 */
export const communityGovernanceRows: ReadonlyArray<Category> = rowsFromSpec(community)

/**
 * 标准类别目录 — the default catalogue (`standardRows`).
 *
 * @since 0.1.0
 * @category catalogues
 */
export const Standard: Catalogue = unsafeMake(standardRows)

/**
 * 标准 + 社区治理 — the standard catalogue extended with `communityGovernanceRows`.
 *
 * @since 0.1.0
 * @category catalogues
 */
export const WithCommunityGovernance: Catalogue = unsafeMake([...standardRows, ...communityGovernanceRows])
