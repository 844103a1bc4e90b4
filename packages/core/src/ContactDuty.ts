/**
 * 联户 — contact duties: who keeps in touch with which households. Seed 000:
 * "340名市直单位党员干部包保联系16470户居民" (a cadre 包保联系 ≈ 48.4 households);
 * seed 003: a community clerk 联系重点户 4 户, "党员中心户、党员先锋岗均分别联系了1-5户";
 * building leaders 楼栋长 and grid workers 网格员 cover their buildings and grids.
 *
 * A `Contact` has a kind — `cadre` 包联干部, `party-member-household` 党员中心户,
 * `pioneer-post` 党员先锋岗, `building-leader` 楼栋长, `grid-worker` 网格员 — and a
 * duty: `households` 包保联系 (any households, as seed 000's cadres) or
 * `key-households` 联系重点户 (key households only, as seed 003). A `Link` ties a
 * contact to a household, optionally from/until a date.
 *
 * **Rules are configuration** (`Rules`, seed defaults in `defaultRules`):
 *
 * | rule | default | reported as |
 * | --- | --- | --- |
 * | a key-household contact links `keyLoad.min`–`keyLoad.max` households | 1–5 (seed 003) | `key-load-below`, `key-load-above` |
 * | …and only key households | on | `not-key-household` |
 * | every key household has a contact | on | `key-household-without-contact` |
 * | every key household has a visit plan | on | `key-household-without-plan` |
 * | every household of a grid has a contact | on | `household-without-contact` |
 * | a `households` contact links `load.min`–`load.max` households | off | `load-below`, `load-above` |
 *
 * `check` reports **every** violation (after the integrity ones: repeated
 * contact ids or links, links to unknown contacts or households), ordered by
 * rule, then id — the same input in any order gives the same list.
 *
 * @since 0.1.0
 */
import * as Either from "effect/Either"
import * as Schema from "effect/Schema"
import { ActorId } from "./Actor.js"
import { GridId } from "./Grid.js"
import { type Household, HouseholdId } from "./Household.js"
import { Day } from "./internal/localDay.js"
import * as Text from "./Text.js"
import { UnitId } from "./Unit.js"
import type { LocalDate } from "./WorkingCalendar.js"

/**
 * 联系人编号
 *
 * @since 0.1.0
 * @category schemas
 */
export const ContactId = Text.Id.pipe(
  Schema.brand("ContactId"),
  Schema.annotations({ identifier: "ContactId", title: "联系人编号 contact id" })
)

/**
 * @since 0.1.0
 * @category models
 */
export type ContactId = typeof ContactId.Type

/**
 * 联系人类别 — `cadre` 包联干部, `party-member-household` 党员中心户,
 * `pioneer-post` 党员先锋岗, `building-leader` 楼栋长, `grid-worker` 网格员.
 *
 * @since 0.1.0
 * @category schemas
 */
export const ContactKind = Schema.Literal(
  "cadre",
  "party-member-household",
  "pioneer-post",
  "building-leader",
  "grid-worker"
).annotations({
  identifier: "ContactKind",
  title: "联系人类别 contact kind",
  description:
    "cadre 包联干部 | party-member-household 党员中心户 | pioneer-post 党员先锋岗 | building-leader 楼栋长 | grid-worker 网格员"
})

/**
 * @since 0.1.0
 * @category models
 */
export type ContactKind = typeof ContactKind.Type

/**
 * 联系人类别名称
 *
 * @since 0.1.0
 * @category constants
 */
export const contactKindNames: Readonly<Record<ContactKind, { readonly zh: string; readonly en: string }>> = {
  cadre: { zh: "包联干部", en: "cadre" },
  "party-member-household": { zh: "党员中心户", en: "party member household" },
  "pioneer-post": { zh: "党员先锋岗", en: "party member pioneer post" },
  "building-leader": { zh: "楼栋长", en: "building leader" },
  "grid-worker": { zh: "网格员", en: "grid worker" }
}

/**
 * 联系职责 — `households` 包保联系 (any households) or `key-households` 联系重点户.
 *
 * @since 0.1.0
 * @category schemas
 */
export const Duty = Schema.Literal("households", "key-households").annotations({
  identifier: "ContactDuty",
  title: "联系职责 duty",
  description: "households 包保联系 | key-households 联系重点户"
})

/**
 * @since 0.1.0
 * @category models
 */
export type Duty = typeof Duty.Type

/**
 * 联系人 — a contact: id, kind, duty, display label, the community, and —
 * where the contact has an account — the actor id that records visits.
 *
 * @since 0.1.0
 * @category schemas
 */
export const Contact = Schema.Struct({
  id: ContactId,
  kind: ContactKind,
  duty: Duty,
  /** 显示名称 — e.g. `"文书 蒲某"`. */
  label: Text.Name,
  communityId: UnitId,
  gridId: Schema.optionalWith(GridId, { exact: true }),
  actorId: Schema.optionalWith(ActorId, { exact: true })
}).annotations({ identifier: "Contact", title: "联系人 contact" })

/**
 * @since 0.1.0
 * @category models
 */
export interface Contact extends Schema.Schema.Type<typeof Contact> {}

/**
 * 联户关系 — a contact linked to a household, optionally from `since` until
 * `until` (both included).
 *
 * @since 0.1.0
 * @category schemas
 */
export const Link = Schema.Struct({
  contactId: ContactId,
  householdId: HouseholdId,
  since: Schema.optionalWith(Day, { exact: true }),
  until: Schema.optionalWith(Day, { exact: true })
}).annotations({ identifier: "ContactLink", title: "联户关系 link" })

/**
 * @since 0.1.0
 * @category models
 */
export interface Link extends Schema.Schema.Type<typeof Link> {}

/**
 * Whether a link is in force on a date (always, without a date).
 *
 * @since 0.1.0
 * @category predicates
 */
export const isLinkActive = (link: Link, date: LocalDate | undefined): boolean =>
  date === undefined ||
  ((link.since === undefined || link.since <= date) && (link.until === undefined || date <= link.until))

// -----------------------------------------------------------------------------
// rules
// -----------------------------------------------------------------------------

/**
 * 户数区间 — at least `min` and at most `max` households (`max` absent: no upper bound).
 *
 * @since 0.1.0
 * @category schemas
 */
export const Bounds = Schema.Struct({
  min: Schema.Int.pipe(Schema.nonNegative()),
  max: Schema.optionalWith(Schema.Int.pipe(Schema.nonNegative()), { exact: true })
}).pipe(
  Schema.filter((b) => b.max === undefined || b.min <= b.max || `min ${b.min} must not exceed max ${b.max}`),
  Schema.annotations({ identifier: "ContactBounds", title: "户数区间 bounds" })
)

/**
 * @since 0.1.0
 * @category models
 */
export interface Bounds extends Schema.Schema.Type<typeof Bounds> {}

/**
 * 联户规则 — the rules a `check` applies (configuration).
 *
 * @since 0.1.0
 * @category schemas
 */
export const Rules = Schema.Struct({
  /** 重点户联系人户数 — households per `key-households` contact; absent: not checked. */
  keyLoad: Schema.optionalWith(Bounds, { exact: true }),
  /** 只联系重点户 — a `key-households` contact links key households only. */
  keyOnly: Schema.Boolean,
  /** 重点户均有联系人 */
  keyHouseholdContact: Schema.Boolean,
  /** 重点户均有走访计划 */
  keyHouseholdPlan: Schema.Boolean,
  /** 网格内每户均有联系人 */
  householdContact: Schema.Boolean,
  /** 包保户数 — households per `households` contact; absent: not checked. */
  load: Schema.optionalWith(Bounds, { exact: true })
}).annotations({ identifier: "ContactRules", title: "联户规则 rules" })

/**
 * @since 0.1.0
 * @category models
 */
export interface Rules extends Schema.Schema.Type<typeof Rules> {}

/**
 * 默认联户规则 — the seed defaults: a key-household contact links 1–5
 * households (seed 003), key households only; every key household has a
 * contact and a visit plan; every household of a grid has a contact (seed 000's
 * full coverage); no bound on a `households` contact's load.
 *
 * @since 0.1.0
 * @category constants
 */
export const defaultRules: Rules = {
  keyLoad: { min: 1, max: 5 },
  keyOnly: true,
  keyHouseholdContact: true,
  keyHouseholdPlan: true,
  householdContact: true
}

// -----------------------------------------------------------------------------
// violations
// -----------------------------------------------------------------------------

/**
 * 联户规则名 — integrity: `duplicate-contact`, `duplicate-link`,
 * `unknown-contact`, `unknown-household`; rules: `key-load-below`,
 * `key-load-above`, `not-key-household`, `key-household-without-contact`,
 * `key-household-without-plan`, `household-without-contact`, `load-below`,
 * `load-above`.
 *
 * @since 0.1.0
 * @category schemas
 */
export const ContactRule = Schema.Literal(
  "duplicate-contact",
  "duplicate-link",
  "unknown-contact",
  "unknown-household",
  "key-load-below",
  "key-load-above",
  "not-key-household",
  "key-household-without-contact",
  "key-household-without-plan",
  "household-without-contact",
  "load-below",
  "load-above"
).annotations({ identifier: "ContactRule", title: "联户规则 rule" })

/**
 * @since 0.1.0
 * @category models
 */
export type ContactRule = typeof ContactRule.Type

/**
 * 联户违规 — one violation: the rule, the field it concerns (`contacts`,
 * `links`, `households`, `plans`), the contact and/or household, and for load
 * rules the count and bounds.
 *
 * @since 0.1.0
 * @category errors
 */
export class ContactViolation extends Schema.TaggedError<ContactViolation>()("ContactViolation", {
  rule: ContactRule,
  field: Schema.Literal("contacts", "links", "households", "plans"),
  contactId: Schema.optionalWith(ContactId, { exact: true }),
  householdId: Schema.optionalWith(HouseholdId, { exact: true }),
  count: Schema.optionalWith(Schema.Int, { exact: true }),
  bounds: Schema.optionalWith(Bounds, { exact: true })
}) {
  override get message(): string {
    const c = this.contactId ?? "?"
    const h = this.householdId ?? "?"
    const n = this.count ?? 0
    const range =
      this.bounds === undefined
        ? ""
        : this.bounds.max === undefined
          ? `≥ ${this.bounds.min}`
          : `${this.bounds.min}–${this.bounds.max}`
    const text = ((): string => {
      switch (this.rule) {
        case "duplicate-contact":
          return `联系人编号 ${c} 重复 — contact id ${c} occurs more than once`
        case "duplicate-link":
          return `联系人 ${c} 与户 ${h} 的联户关系重复 — contact ${c} is linked to household ${h} more than once`
        case "unknown-contact":
          return `联户关系指向不存在的联系人 ${c} — a link names unknown contact ${c}`
        case "unknown-household":
          return `联户关系指向不存在的户 ${h} — a link names unknown household ${h}`
        case "key-load-below":
        case "load-below":
          return `联系人 ${c} 联系 ${n} 户，应为 ${range} 户 — contact ${c} is linked to ${n} household(s), ${range} required`
        case "key-load-above":
        case "load-above":
          return `联系人 ${c} 联系 ${n} 户，超过 ${range} 户 — contact ${c} is linked to ${n} households, over ${range}`
        case "not-key-household":
          return `重点户联系人 ${c} 联系的户 ${h} 不是重点户 — key-household contact ${c} is linked to household ${h}, which is not a key household`
        case "key-household-without-contact":
          return `重点户 ${h} 没有联系人 — key household ${h} has no contact`
        case "key-household-without-plan":
          return `重点户 ${h} 没有走访计划 — key household ${h} has no visit plan`
        case "household-without-contact":
          return `网格内的户 ${h} 没有联系人 — household ${h} of a grid has no contact`
      }
    })()
    return `${text} (rule ${this.rule})`
  }
}

/**
 * 联户不合规 — every violation `validate` found.
 *
 * @since 0.1.0
 * @category errors
 */
export class ContactViolations extends Schema.TaggedError<ContactViolations>()("ContactViolations", {
  violations: Schema.NonEmptyArray(ContactViolation)
}) {
  override get message(): string {
    return `联户有 ${this.violations.length} 处不合规 — ${this.violations.length} contact-duty violation(s):\n${this.violations.map((v) => `- ${v.message}`).join("\n")}`
  }
}

// -----------------------------------------------------------------------------
// check
// -----------------------------------------------------------------------------

/**
 * 检查输入 — households (those with a `gridId` are "of a grid"), contacts,
 * links, the key households (e.g. `KeyGroup.keyHouseholds`), the households
 * with a visit plan, and the date links are read at (all links, without one).
 *
 * @since 0.1.0
 * @category models
 */
export interface Input {
  readonly households: ReadonlyArray<Household>
  readonly contacts: ReadonlyArray<Contact>
  readonly links: ReadonlyArray<Link>
  readonly keyHouseholds?: Iterable<HouseholdId>
  readonly plannedHouseholds?: Iterable<HouseholdId>
  readonly date?: LocalDate
}

const ruleOrder: ReadonlyMap<ContactRule, number> = new Map(ContactRule.literals.map((r, i) => [r, i]))

const compareViolations = (a: ContactViolation, b: ContactViolation): number =>
  (ruleOrder.get(a.rule) ?? 0) - (ruleOrder.get(b.rule) ?? 0) ||
  (a.contactId ?? "").localeCompare(b.contactId ?? "") ||
  (a.householdId ?? "").localeCompare(b.householdId ?? "")

/**
 * 联户汇总 — for each known contact, the distinct households it is linked to
 * (sound, active links only), and for each household its contacts.
 *
 * @since 0.1.0
 * @category models
 */
export interface Links {
  readonly byContact: ReadonlyMap<ContactId, ReadonlySet<HouseholdId>>
  readonly byHousehold: ReadonlyMap<HouseholdId, ReadonlySet<ContactId>>
}

const index = (
  input: Input,
  out: Array<ContactViolation>
): { readonly links: Links; readonly contacts: Map<ContactId, Contact> } => {
  const contacts = new Map<ContactId, Contact>()
  const repeatedContacts = new Set<ContactId>()
  for (const c of input.contacts) {
    if (contacts.has(c.id)) repeatedContacts.add(c.id)
    else contacts.set(c.id, c)
  }
  for (const id of repeatedContacts)
    out.push(new ContactViolation({ rule: "duplicate-contact", field: "contacts", contactId: id }))
  const households = new Set(input.households.map((h) => h.id))
  const byContact = new Map<ContactId, Set<HouseholdId>>()
  const byHousehold = new Map<HouseholdId, Set<ContactId>>()
  const repeatedLinks = new Set<string>()
  for (const link of input.links) {
    if (!isLinkActive(link, input.date)) continue
    const known = contacts.has(link.contactId)
    if (!known)
      out.push(
        new ContactViolation({
          rule: "unknown-contact",
          field: "links",
          contactId: link.contactId,
          householdId: link.householdId
        })
      )
    if (!households.has(link.householdId))
      out.push(
        new ContactViolation({
          rule: "unknown-household",
          field: "links",
          contactId: link.contactId,
          householdId: link.householdId
        })
      )
    if (!known || !households.has(link.householdId)) continue
    const set = byContact.get(link.contactId) ?? new Set<HouseholdId>()
    if (set.has(link.householdId)) {
      const key = `${link.contactId}|${link.householdId}`
      if (!repeatedLinks.has(key))
        out.push(
          new ContactViolation({
            rule: "duplicate-link",
            field: "links",
            contactId: link.contactId,
            householdId: link.householdId
          })
        )
      repeatedLinks.add(key)
      continue
    }
    set.add(link.householdId)
    byContact.set(link.contactId, set)
    const cs = byHousehold.get(link.householdId) ?? new Set<ContactId>()
    cs.add(link.contactId)
    byHousehold.set(link.householdId, cs)
  }
  return { links: { byContact, byHousehold }, contacts }
}

/**
 * 联户汇总 — the sound links in force at `input.date`, by contact and by household.
 *
 * @since 0.1.0
 * @category getters
 */
export const links = (input: Input): Links => index(input, []).links

const checkLoad = (
  contact: Contact,
  count: number,
  bounds: Bounds,
  rules: readonly ["key-load-below", "key-load-above"] | readonly ["load-below", "load-above"],
  out: Array<ContactViolation>
): void => {
  const rule =
    count < bounds.min ? rules[0] : bounds.max !== undefined && count > bounds.max ? rules[1] : undefined
  if (rule !== undefined)
    out.push(new ContactViolation({ rule, field: "links", contactId: contact.id, count, bounds }))
}

/**
 * 联户检查 — every violation of `rules` (see the module's table), after the
 * integrity violations. Ordered by rule, then contact id, then household id.
 *
 * @since 0.1.0
 * @category validation
 */
export const check = (rules: Rules, input: Input): ReadonlyArray<ContactViolation> => {
  const out: Array<ContactViolation> = []
  const { links: l, contacts } = index(input, out)
  const key = new Set(input.keyHouseholds ?? [])
  const planned = new Set(input.plannedHouseholds ?? [])
  for (const contact of contacts.values()) {
    const linked = l.byContact.get(contact.id) ?? new Set<HouseholdId>()
    if (contact.duty === "key-households") {
      if (rules.keyLoad !== undefined)
        checkLoad(contact, linked.size, rules.keyLoad, ["key-load-below", "key-load-above"], out)
      if (rules.keyOnly)
        for (const h of linked)
          if (!key.has(h))
            out.push(
              new ContactViolation({
                rule: "not-key-household",
                field: "links",
                contactId: contact.id,
                householdId: h
              })
            )
    } else if (rules.load !== undefined) {
      checkLoad(contact, linked.size, rules.load, ["load-below", "load-above"], out)
    }
  }
  const seen = new Set<HouseholdId>()
  for (const h of input.households) {
    if (seen.has(h.id)) continue
    seen.add(h.id)
    const hasContact = (l.byHousehold.get(h.id)?.size ?? 0) > 0
    if (key.has(h.id)) {
      if (rules.keyHouseholdContact && !hasContact)
        out.push(
          new ContactViolation({
            rule: "key-household-without-contact",
            field: "households",
            householdId: h.id
          })
        )
      if (rules.keyHouseholdPlan && !planned.has(h.id))
        out.push(
          new ContactViolation({ rule: "key-household-without-plan", field: "plans", householdId: h.id })
        )
    }
    if (rules.householdContact && h.gridId !== undefined && !hasContact)
      out.push(
        new ContactViolation({ rule: "household-without-contact", field: "households", householdId: h.id })
      )
  }
  return out.sort(compareViolations)
}

/**
 * Like `check`, as an `Either`: the input, or every violation.
 *
 * @since 0.1.0
 * @category validation
 */
export const validate = (rules: Rules, input: Input): Either.Either<Input, ContactViolations> => {
  const [first, ...rest] = check(rules, input)
  return first === undefined
    ? Either.right(input)
    : Either.left(new ContactViolations({ violations: [first, ...rest] }))
}
