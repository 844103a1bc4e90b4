/**
 * 重点人群台账 — the key-group register as staff keep it (the community
 * experience report's "将高龄独居老人、精神障碍患者、残疾人等特殊群体登记造册并定时跟进"):
 * one row per enrolment (`KeyGroup.Enrolment`) — the category, the household,
 * the enrolled resident (name, ID number 公民身份号码, phone, birth year,
 * relation: `Resident`), since and until, the reason, who enrolled it and
 * its own visit interval.
 *
 * **Sensitive personal information (PIPL 第二十八条).** A row joins a person
 * to a health, minor or criminal-record category. Two specs:
 *
 * - `spec` — identity in full; imports back (every cell checked by the
 *   core's schemas: `Resident.IdNumber` with its GB 11643 check character,
 *   `Text.Phone`, the enrolment's fields);
 * - `maskedSpec` — export only, the sheet 重点人群台账（脱敏）: names, ID numbers
 *   and phones masked the core's way (`Resident.mask`: `王**`,
 *   `5301**********1234`, `138****5678`) under headers of their own
 *   (`姓名（脱敏）` …), so a masked file offered to import is refused naming them.
 *
 * Rows are made from what the people store returns to a logged read
 * (`KeyGroupAccess.Member`, `fromMember`) — the store never lists residents
 * otherwise; import turns a row into the resident (`toResident`) and the
 * enrolment (`toEnrolment`) the store's writes check (`KeyGroup.checkEnrolments`:
 * the category, the household, until after since, a reason, no overlap).
 * 登记人 and 走访周期 come with every member read; 登记原因 only with a read
 * in full (`KeyGroupAccess.Member`: the reason may name what masking hides),
 * so a full export imports back as it was and a masked one leaves the reason
 * empty. A row without a reason is refused on import (`reason-required`); a
 * row without 登记人 takes the importing operator.
 *
 * @since 0.1.0
 */
import { ActorId } from "@civicgrid/core/Actor"
import * as Household from "@civicgrid/core/Household"
import * as KeyGroup from "@civicgrid/core/KeyGroup"
import type * as KeyGroupAccess from "@civicgrid/core/KeyGroupAccess"
import * as Resident from "@civicgrid/core/Resident"
import * as Text from "@civicgrid/core/Text"
import * as Schema from "effect/Schema"
import * as Ledger from "./Ledger.js"

const enrolment = KeyGroup.Enrolment.fields
const resident = Resident.Resident.fields

const residentFields = ["name", "idNumber", "phone", "birthYear", "relation"] as const

/** The rules a row obeys beyond its cells: resident data needs a resident id; an interval is whole. */
const rowRules = <
  R extends {
    readonly residentId?: string
    readonly name?: string
    readonly idNumber?: string
    readonly phone?: string
    readonly birthYear?: number
    readonly relation?: string
    readonly visitEveryAmount?: number
    readonly visitEveryUnit?: KeyGroup.IntervalUnit
  }
>(
  row: R
): true | string => {
  if (row.residentId === undefined && residentFields.some((f) => row[f] !== undefined))
    return "填写姓名、身份证号码、电话等居民信息须同时填写居民编号 (resident data needs a resident id; rule resident-id)"
  if ((row.visitEveryAmount === undefined) !== (row.visitEveryUnit === undefined))
    return "走访周期与周期单位须同时填写或同时为空 (visit interval amount and unit go together; rule visit-interval)"
  return true
}

const baseFields = {
  id: enrolment.id,
  categoryId: enrolment.categoryId,
  householdId: enrolment.householdId,
  /** 户（门牌） — the household's display label; on import, checked against the stored household. */
  householdLabel: Schema.optionalWith(Household.Household.fields.label, { exact: true }),
  residentId: enrolment.residentId
}

/**
 * 日期 — a date cell: `2024-03-01`, or the date Excel makes of it when staff
 * type it into a cell (`2024-03-01 00:00:00` at midnight); written back as `2024-03-01`.
 */
const LedgerDay = Schema.transform(
  Schema.String.pipe(
    Schema.filter(
      (s) =>
        /^\d{4}-\d{2}-\d{2}(?:[ T]00:00(?::00(?:\.000)?)?)?$/.test(s) ||
        `日期应为 yyyy-mm-dd (a date is YYYY-MM-DD, got "${s}"; rule date-format)`
    )
  ),
  enrolment.since,
  { strict: true, decode: (s) => s.slice(0, 10), encode: (d) => d }
)

const tailFields = {
  birthYear: resident.birthYear,
  relation: resident.relation,
  since: LedgerDay,
  until: Schema.optionalWith(LedgerDay, { exact: true }),
  reason: Schema.optionalWith(enrolment.reason, { exact: true }),
  enrolledBy: Schema.optionalWith(ActorId, { exact: true }),
  visitEveryAmount: Schema.optionalWith(KeyGroup.VisitInterval.fields.amount, { exact: true }),
  visitEveryUnit: Schema.optionalWith(KeyGroup.IntervalUnit, { exact: true })
}

/**
 * 重点人群台账行 — an enrolment and its resident in full.
 *
 * @since 0.1.0
 * @category schemas
 */
export const KeyGroupRow = Schema.Struct({
  ...baseFields,
  name: resident.name,
  idNumber: resident.idNumber,
  phone: resident.phone,
  ...tailFields
})
  .pipe(Schema.filter(rowRules))
  .annotations({ identifier: "KeyGroupRow", title: "重点人群台账行 key-group row" })

/**
 * @since 0.1.0
 * @category models
 */
export interface KeyGroupRow extends Schema.Schema.Type<typeof KeyGroupRow> {}

const maskedText = (max: number) => Schema.optionalWith(Text.line(max), { exact: true })

/**
 * 重点人群台账行（脱敏） — a row with name, ID number and phone masked (export only).
 *
 * @since 0.1.0
 * @category schemas
 */
export const MaskedKeyGroupRow = Schema.Struct({
  ...baseFields,
  name: maskedText(Text.limits.name),
  idNumber: maskedText(Text.limits.id),
  phone: maskedText(Text.limits.phone),
  ...tailFields
})
  .pipe(Schema.filter(rowRules))
  .annotations({ identifier: "MaskedKeyGroupRow", title: "重点人群台账行（脱敏） masked key-group row" })

/**
 * @since 0.1.0
 * @category models
 */
export interface MaskedKeyGroupRow extends Schema.Schema.Type<typeof MaskedKeyGroupRow> {}

/**
 * 重点人群类别名称 — the Chinese names of a catalogue's categories (default
 * `KeyGroup.defaultCatalogue`), by id.
 *
 * @since 0.1.0
 * @category constants
 */
export const categoryNames = (
  catalogue: KeyGroup.Catalogue = KeyGroup.defaultCatalogue
): Readonly<Record<string, string>> => {
  // category ids are free text: without a prototype, an id such as "constructor" has no label but its own
  const names: Record<string, string> = Object.create(null)
  for (const c of catalogue.categories) names[c.id] = c.name
  return names
}

/**
 * 走访周期单位名称
 *
 * @since 0.1.0
 * @category constants
 */
export const intervalUnitNames: Readonly<Record<KeyGroup.IntervalUnit, string>> = {
  "working-days": "工作日",
  "natural-days": "自然日",
  months: "月"
}

/**
 * The row of a member a logged read returned (`KeyGroupAccess.Member`): the
 * resident as the read gave it (in full or masked — write it with the spec
 * that matches, `spec` or `maskedSpec`), who enrolled it, its own visit
 * interval, and the reason when the read carried it (reads in full).
 *
 * @since 0.1.0
 * @category constructors
 */
export const fromMember = (member: KeyGroupAccess.Member): MaskedKeyGroupRow => {
  const r = member.resident
  return {
    id: member.enrolment.id,
    categoryId: member.enrolment.categoryId,
    householdId: member.household.id,
    householdLabel: member.household.label,
    ...(r === undefined
      ? {}
      : {
          residentId: r.id,
          ...(r.name === undefined ? {} : { name: r.name }),
          ...(r.idNumber === undefined ? {} : { idNumber: r.idNumber }),
          ...(r.phone === undefined ? {} : { phone: r.phone }),
          ...(r.birthYear === undefined ? {} : { birthYear: r.birthYear }),
          ...(r.relation === undefined ? {} : { relation: r.relation })
        }),
    since: member.enrolment.since,
    ...(member.enrolment.until === undefined ? {} : { until: member.enrolment.until }),
    ...(member.enrolment.reason === undefined ? {} : { reason: member.enrolment.reason }),
    enrolledBy: member.enrolment.enrolledBy,
    ...(member.enrolment.visitEvery === undefined
      ? {}
      : {
          visitEveryAmount: member.enrolment.visitEvery.amount,
          visitEveryUnit: member.enrolment.visitEvery.unit
        })
  }
}

/**
 * 脱敏 — a row with name, ID number and phone masked (`Resident.maskName`,
 * `maskIdNumber`, `maskPhone`: the core's one masking rule).
 *
 * @since 0.1.0
 * @category constructors
 */
export const mask = (row: MaskedKeyGroupRow): MaskedKeyGroupRow => ({
  ...row,
  ...(row.name === undefined ? {} : { name: Resident.maskName(row.name) }),
  ...(row.idNumber === undefined ? {} : { idNumber: Resident.maskIdNumber(row.idNumber) }),
  ...(row.phone === undefined ? {} : { phone: Resident.maskPhone(row.phone) })
})

/**
 * 居民 — the resident a row records, if it names one.
 *
 * @since 0.1.0
 * @category constructors
 */
export const toResident = (row: KeyGroupRow): Resident.Resident | undefined =>
  row.residentId === undefined
    ? undefined
    : {
        id: row.residentId,
        householdId: row.householdId,
        ...(row.name === undefined ? {} : { name: row.name }),
        ...(row.idNumber === undefined ? {} : { idNumber: row.idNumber }),
        ...(row.phone === undefined ? {} : { phone: row.phone }),
        ...(row.birthYear === undefined ? {} : { birthYear: row.birthYear }),
        ...(row.relation === undefined ? {} : { relation: row.relation })
      }

/**
 * 登记 — the enrolment a row records; `enrolledBy` when the row names no one
 * (the importing operator). An empty reason stays empty: the core refuses it
 * (`reason-required`).
 *
 * @since 0.1.0
 * @category constructors
 */
export const toEnrolment = (row: KeyGroupRow, enrolledBy: ActorId): KeyGroup.Enrolment => ({
  id: row.id,
  categoryId: row.categoryId,
  householdId: row.householdId,
  ...(row.residentId === undefined ? {} : { residentId: row.residentId }),
  since: row.since,
  ...(row.until === undefined ? {} : { until: row.until }),
  reason: row.reason ?? "",
  enrolledBy: row.enrolledBy ?? enrolledBy,
  ...(row.visitEveryAmount === undefined || row.visitEveryUnit === undefined
    ? {}
    : { visitEvery: { amount: row.visitEveryAmount, unit: row.visitEveryUnit } })
})

const headersOf = (catalogue: KeyGroup.Catalogue, masked: boolean) =>
  ({
    id: "登记编号",
    categoryId: { header: "重点人群类别", labels: categoryNames(catalogue) },
    householdId: "户编号",
    householdLabel: { header: "户（门牌）", width: 24 },
    residentId: "居民编号",
    name: masked ? "姓名（脱敏）" : "姓名",
    idNumber: masked
      ? { header: "公民身份号码（脱敏）", width: 22 }
      : { header: "公民身份号码", width: 22, halfWidth: true },
    phone: masked
      ? { header: "联系电话（脱敏）", width: 16 }
      : { header: "联系电话", width: 16, halfWidth: true },
    birthYear: "出生年份",
    relation: "与户主关系",
    since: "登记日期",
    until: "截止日期",
    reason: { header: "登记原因", width: 30 },
    enrolledBy: "登记人",
    visitEveryAmount: "走访周期",
    visitEveryUnit: { header: "周期单位", labels: intervalUnitNames }
  }) as const

/**
 * 重点人群台账 — the spec (identity in full) for a catalogue (default
 * `KeyGroup.defaultCatalogue`: its Chinese names are the category column's labels).
 *
 * @since 0.1.0
 * @category specs
 */
export const make = (
  catalogue: KeyGroup.Catalogue = KeyGroup.defaultCatalogue
): Ledger.LedgerSpec<KeyGroupRow> =>
  Ledger.make({ sheet: "重点人群台账", schema: KeyGroupRow, headers: headersOf(catalogue, false) })

/**
 * 重点人群台账（脱敏） — the masked spec (export only) for a catalogue.
 *
 * @since 0.1.0
 * @category specs
 */
export const makeMasked = (
  catalogue: KeyGroup.Catalogue = KeyGroup.defaultCatalogue
): Ledger.LedgerSpec<MaskedKeyGroupRow> =>
  Ledger.make({
    sheet: "重点人群台账（脱敏）",
    schema: MaskedKeyGroupRow,
    headers: headersOf(catalogue, true)
  })

/**
 * 重点人群台账 — the spec for the default categories.
 *
 * @since 0.1.0
 * @category specs
 */
export const spec: Ledger.LedgerSpec<KeyGroupRow> = make()

/**
 * 重点人群台账（脱敏） — the masked spec for the default categories.
 *
 * @since 0.1.0
 * @category specs
 */
export const maskedSpec: Ledger.LedgerSpec<MaskedKeyGroupRow> = makeMasked()
