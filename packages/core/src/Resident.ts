/**
 * 居民 — a resident of a household, recorded only where an app needs people
 * (a key-group member 重点人群, a contact person of a lone elderly household).
 * Optional everywhere: a household can be visited, linked and counted with no
 * resident recorded.
 *
 * **Sensitive fields (PIPL 《个人信息保护法》).** `name` 姓名, `idNumber` 公民身份号码
 * and `phone` 电话 are personal information; with a key-group enrolment they
 * become sensitive personal information 敏感个人信息 (health, minors, criminal
 * records). They are optional, and `mask` is the one rule for what a role
 * without the right sees: the surname only (`王**`), an ID number with its
 * first 4 and last 4 characters (`5301**********1234`), a mobile number with
 * its first 3 and last 4 digits (`138****5678`), any other phone with only
 * its last 4 digits — the shapes of `Privacy.scrub`. Who may see what is
 * `KeyGroupAccess`'s decision, not this module's.
 *
 * @since 0.1.0
 */
import type { LazyArbitrary } from "effect/Arbitrary"
import * as Schema from "effect/Schema"
import { HouseholdId } from "./Household.js"
import * as Text from "./Text.js"

/**
 * 居民编号 — the identifier of a resident record.
 *
 * @since 0.1.0
 * @category schemas
 */
export const ResidentId = Text.Id.pipe(
  Schema.brand("ResidentId"),
  Schema.annotations({ identifier: "ResidentId", title: "居民编号 resident id" })
)

/**
 * @since 0.1.0
 * @category models
 */
export type ResidentId = typeof ResidentId.Type

const weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
const checkChars = "10X98765432"

/**
 * 身份证校验码 — the GB 11643 check character of the first 17 digits of an
 * 18-character ID number.
 *
 * @since 0.1.0
 * @category utils
 */
export const idCheckCharacter = (first17: string): string => {
  let sum = 0
  for (let i = 0; i < 17; i++) sum += (first17.charCodeAt(i) - 48) * (weights[i] ?? 0)
  return checkChars[sum % 11] ?? "?"
}

/**
 * Whether a text is a citizen ID number 公民身份号码 (GB 11643): 18 characters,
 * 17 digits and a check character (digit or `X`) that matches, the first digit
 * not 0; or the older 15-digit form.
 *
 * @since 0.1.0
 * @category predicates
 */
export const isIdNumber = (text: string): boolean => {
  if (/^[1-9][0-9]{14}$/.test(text)) return true
  if (!/^[1-9][0-9]{16}[0-9X]$/.test(text)) return false
  return idCheckCharacter(text.slice(0, 17)) === text[17]
}

const idArbitrary: LazyArbitrary<string> = (fc) =>
  fc
    .tuple(
      fc.integer({ min: 1, max: 9 }),
      fc.array(fc.integer({ min: 0, max: 9 }), { minLength: 16, maxLength: 16 })
    )
    .map(([a, rest]) => {
      const first17 = `${a}${rest.join("")}`
      return `${first17}${idCheckCharacter(first17)}`
    })

/**
 * 公民身份号码 — an 18-character ID number with a matching check character
 * (upper-case `X`), or a 15-digit one; anything else is refused with rule
 * `id-number-format`.
 *
 * @since 0.1.0
 * @category schemas
 */
export const IdNumber = Schema.String.pipe(
  Schema.filter(
    (s) =>
      isIdNumber(s) ||
      "身份证号码格式不正确 must be an ID number: 18 characters (17 digits and a matching check character 0–9 or X) or 15 digits (rule id-number-format)"
  ),
  Schema.annotations({
    identifier: "IdNumber",
    title: "公民身份号码 ID number",
    arbitrary: () => idArbitrary
  })
)

/**
 * 与户主关系 — relation to the head of the household (free text, e.g. `"户主"`, `"配偶"`).
 *
 * @since 0.1.0
 * @category schemas
 */
export const Relation = Text.field(Text.limits.tag).annotations({
  identifier: "ResidentRelation",
  title: "与户主关系 relation"
})

/**
 * 居民 — a resident: id, household, and optional personal data.
 *
 * @since 0.1.0
 * @category schemas
 */
export const Resident = Schema.Struct({
  id: ResidentId,
  householdId: HouseholdId,
  /** 姓名 — sensitive; masked for roles without the right. */
  name: Schema.optionalWith(Text.Name, { exact: true }),
  /** 公民身份号码 — sensitive; masked for roles without the right. */
  idNumber: Schema.optionalWith(IdNumber, { exact: true }),
  /** 电话 — sensitive; masked for roles without the right. */
  phone: Schema.optionalWith(Text.Phone, { exact: true }),
  /** 出生年份 */
  birthYear: Schema.optionalWith(Schema.Int.pipe(Schema.between(1900, 2999)), { exact: true }),
  relation: Schema.optionalWith(Relation, { exact: true })
}).annotations({ identifier: "Resident", title: "居民 resident" })

/**
 * @since 0.1.0
 * @category models
 */
export interface Resident extends Schema.Schema.Type<typeof Resident> {}

/**
 * 敏感字段 — the fields `mask` hides.
 *
 * @since 0.1.0
 * @category constants
 */
export const sensitiveFields: ReadonlyArray<"name" | "idNumber" | "phone"> = ["name", "idNumber", "phone"]

/**
 * 脱敏居民 — a resident as a role without the identity right sees it: the same
 * shape, sensitive fields masked (`masked: true`).
 *
 * @since 0.1.0
 * @category models
 */
export interface ResidentView {
  readonly id: ResidentId
  readonly householdId: HouseholdId
  readonly name?: string
  readonly idNumber?: string
  readonly phone?: string
  readonly birthYear?: number
  readonly relation?: string
  /** 已脱敏 — whether the sensitive fields are masked. */
  readonly masked: boolean
}

/**
 * 姓名脱敏 — the first character, every other as `*`: `王小明` → `王**`.
 *
 * @since 0.1.0
 * @category masking
 */
export const maskName = (name: string): string => {
  const chars = Array.from(name.trim())
  const [first] = chars
  return first === undefined ? "" : first + "*".repeat(Math.max(1, chars.length - 1))
}

/**
 * 身份证号脱敏 — the first 4 and last 4 characters, every other as `*`:
 * `530102199001011234` → `5301**********1234`. Anything shorter than 9
 * characters is masked whole.
 *
 * @since 0.1.0
 * @category masking
 */
export const maskIdNumber = (id: string): string =>
  id.length < 9 ? "*".repeat(id.length) : id.slice(0, 4) + "*".repeat(id.length - 8) + id.slice(-4)

/**
 * 电话脱敏 — a mobile number keeps its first 3 and last 4 digits
 * (`13812345678` → `138****5678`, separators and `+86` kept); any other
 * number keeps only its last 4 digits (`0871-65123456` → `****-****3456`).
 * An extension is masked whole. Never fewer than 4 digits hidden.
 *
 * @since 0.1.0
 * @category masking
 */
export const maskPhone = (phone: string): string => {
  const positions: Array<number> = []
  for (let i = 0; i < phone.length; i++) {
    const c = phone.charCodeAt(i)
    if (c >= 0x30 && c <= 0x39) positions.push(i)
  }
  const digits = positions.map((i) => phone[i]).join("")
  // a mobile number: 11 digits 1[3-9]…, optionally after the country code 86
  const mobileAt = /^(?:86)?1[3-9][0-9]{9}/.exec(digits)
  const keep = new Set<number>()
  if (mobileAt !== null && (digits.length === 11 || digits.length === 13)) {
    const start = digits.length === 13 ? 2 : 0
    for (let k = 0; k < start + 3; k++) keep.add(k)
    for (let k = start + 7; k < start + 11; k++) keep.add(k)
  } else {
    const visible = Math.max(0, Math.min(4, digits.length - 4))
    for (let k = digits.length - visible; k < digits.length; k++) keep.add(k)
  }
  const chars = Array.from(phone)
  positions.forEach((pos, k) => {
    if (!keep.has(k)) chars[pos] = "*"
  })
  return chars.join("")
}

/**
 * 居民视图 — a resident as shown: in full (`identity` true), or with name,
 * ID number and phone masked.
 *
 * @since 0.1.0
 * @category masking
 */
export const view = (resident: Resident, identity: boolean): ResidentView => {
  const out: {
    -readonly [K in keyof ResidentView]: ResidentView[K]
  } = { id: resident.id, householdId: resident.householdId, masked: !identity }
  if (resident.name !== undefined) out.name = identity ? resident.name : maskName(resident.name)
  if (resident.idNumber !== undefined)
    out.idNumber = identity ? resident.idNumber : maskIdNumber(resident.idNumber)
  if (resident.phone !== undefined) out.phone = identity ? resident.phone : maskPhone(resident.phone)
  if (resident.birthYear !== undefined) out.birthYear = resident.birthYear
  if (resident.relation !== undefined) out.relation = resident.relation
  return out
}

/**
 * 脱敏 — `view(resident, false)`.
 *
 * @since 0.1.0
 * @category masking
 */
export const mask = (resident: Resident): ResidentView => view(resident, false)
