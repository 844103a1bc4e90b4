/**
 * 社区工作准入 — the community work access list: a positive list 正面清单 of work
 * a community may be given, and a negative list 负面清单 of work it may not.
 *
 * Source: the Panlong district report (某区社区治理工作情况报告): "实行社区公共服务事项准入制度。制定
 * XX县区关于进一步开展社区减负工作的意见、XX县区社区工作准入制度 … 制定社区工作正面和
 * 负面清单，清理社区考核、检查，精简工作台帐".
 *
 * An {@link AccessList} holds both lists (each item with a code, a name, the
 * issuing authority 发文机关 and the basis 依据), the levels it governs (by
 * default the `community` level of the level scheme: 社区/村) and a mode:
 *
 * - `lenient` (default): work on the negative list is refused; anything else
 *   may be assigned;
 * - `strict`: additionally, only work on the positive list may be assigned, and
 *   work without a code (unclassified) is refused.
 *
 * {@link checkAssignment} answers one assignment; {@link refusals} audits a
 * batch and returns every refusal. The module depends on nothing in the lists
 * (problem / resource / task): `TaskList.assign` and the planner use it, never
 * the other way round.
 *
 * @since 0.1.0
 */
import * as Arr from "effect/Array"
import * as Either from "effect/Either"
import * as Option from "effect/Option"
import * as Schema from "effect/Schema"
import { LevelId } from "./LevelScheme.js"
import * as Text from "./Text.js"

// ---------------------------------------------------------------------------
// models
// ---------------------------------------------------------------------------

/**
 * 事项编码 — the code of a work item on an access list (e.g. `"P-03"`, or a
 * code from the local 准入目录).
 *
 * @since 0.1.0
 * @category schemas
 */
export const WorkCode = Text.Id.pipe(
  Schema.brand("WorkCode"),
  Schema.annotations({ identifier: "WorkCode", title: "事项编码 work code" })
)

/**
 * @since 0.1.0
 * @category models
 */
export type WorkCode = typeof WorkCode.Type

/**
 * 准入事项 — one item of a list: its code, its name, the issuing authority
 * 发文机关 and the basis 依据 (the document that puts it on the list).
 *
 * @since 0.1.0
 * @category schemas
 */
export const AccessItem = Schema.Struct({
  code: WorkCode,
  /** 事项名称 — e.g. `"组织开展社区文化体育活动"`. */
  name: Text.line(Text.limits.title),
  /** 发文机关 — the issuing authority, e.g. `"XX县区委、区政府"`. */
  authority: Text.line(Text.limits.title),
  /** 依据 — the basis, e.g. `"XX县区社区工作准入制度"`. */
  basis: Text.line(Text.limits.title),
  /** 备注 — an optional note. */
  note: Schema.optionalWith(Text.Note, { exact: true })
}).annotations({ identifier: "AccessItem", title: "准入事项 access item" })

/**
 * @since 0.1.0
 * @category models
 */
export interface AccessItem extends Schema.Schema.Type<typeof AccessItem> {}

/**
 * 准入模式 — `lenient` 宽松 (only the negative list refuses) or `strict` 严格
 * (only positive-list work may be assigned).
 *
 * @since 0.1.0
 * @category schemas
 */
export const AccessMode = Schema.Literal("lenient", "strict").annotations({
  identifier: "AccessMode",
  title: "准入模式 access mode",
  description: "lenient 宽松: 负面清单之外均可 | strict 严格: 仅限正面清单"
})

/**
 * @since 0.1.0
 * @category models
 */
export type AccessMode = typeof AccessMode.Type

/**
 * 社区工作准入清单 — the positive and negative lists, the levels they govern and
 * the mode. Build one with {@link make}, which validates it.
 *
 * @since 0.1.0
 * @category schemas
 */
export const AccessList = Schema.Struct({
  /** 正面清单 — work the governed units may be given, in code order. */
  positive: Schema.Array(AccessItem),
  /** 负面清单 — work they may not be given, in code order. */
  negative: Schema.Array(AccessItem),
  mode: AccessMode,
  /** 适用层级 — the level ids the lists govern (default `["community"]`). */
  levels: Schema.Array(LevelId)
}).annotations({ identifier: "AccessList", title: "社区工作准入清单 community work access list" })

/**
 * @since 0.1.0
 * @category models
 */
export interface AccessList extends Schema.Schema.Type<typeof AccessList> {}

/**
 * 工作事项 — what is being assigned: its access-list code when it has one, and
 * its name (for messages).
 *
 * @since 0.1.0
 * @category schemas
 */
export const WorkItem = Schema.Struct({
  code: Schema.optionalWith(WorkCode, { exact: true }),
  name: Text.line(Text.limits.title)
}).annotations({ identifier: "WorkItem", title: "工作事项 work item" })

/**
 * @since 0.1.0
 * @category models
 */
export interface WorkItem extends Schema.Schema.Type<typeof WorkItem> {}

/**
 * The level ids an access list governs unless told otherwise: `community`
 * (社区/村 in the built-in level schemes).
 *
 * @since 0.1.0
 * @category constants
 */
export const defaultLevels: ReadonlyArray<LevelId> = [LevelId.make("community")]

// ---------------------------------------------------------------------------
// validation
// ---------------------------------------------------------------------------

/**
 * 清单校验规则 — `duplicate-code` 事项编码重复 (twice on one list),
 * `on-both-lists` 同时列入正面和负面清单.
 *
 * @since 0.1.0
 * @category validation
 */
export const AccessListRule = Schema.Literal("duplicate-code", "on-both-lists").annotations({
  identifier: "AccessListRule",
  title: "清单校验规则 access list rule"
})

/**
 * @since 0.1.0
 * @category validation
 */
export type AccessListRule = typeof AccessListRule.Type

/**
 * 清单校验问题 — one violation: the rule, the code, the list(s) involved and a
 * readable message.
 *
 * @since 0.1.0
 * @category validation
 */
export const AccessListViolation = Schema.TaggedStruct("AccessListViolation", {
  rule: AccessListRule,
  code: WorkCode,
  lists: Schema.Array(Schema.Literal("positive", "negative")),
  message: Schema.String
}).annotations({ identifier: "AccessListViolation", title: "清单校验问题 access list violation" })

/**
 * @since 0.1.0
 * @category validation
 */
export interface AccessListViolation extends Schema.Schema.Type<typeof AccessListViolation> {}

/**
 * 准入清单无效 — the lists are inconsistent; carries every violation, sorted by
 * code then rule.
 *
 * @since 0.1.0
 * @category errors
 */
export class AccessListInvalid extends Schema.TaggedError<AccessListInvalid>()("AccessListInvalid", {
  violations: Schema.NonEmptyArray(AccessListViolation)
}) {
  override get message(): string {
    return `社区工作准入清单无效 invalid access list (${this.violations.length} violation(s)): ${this.violations
      .map((v) => v.message)
      .join("; ")}`
  }
}

const byCode = (a: AccessItem, b: AccessItem): number => (a.code < b.code ? -1 : a.code > b.code ? 1 : 0)

/**
 * Builds an access list and validates it: no code twice on one list, no code on
 * both lists. Every violation is reported. Items are kept in code order; mode
 * defaults to `lenient`, levels to {@link defaultLevels}.
 *
 * @since 0.1.0
 * @category constructors
 */
export const make = (fields: {
  readonly positive: ReadonlyArray<AccessItem>
  readonly negative: ReadonlyArray<AccessItem>
  readonly mode?: AccessMode
  readonly levels?: ReadonlyArray<string>
}): Either.Either<AccessList, AccessListInvalid> => {
  const violations: Array<AccessListViolation> = []
  const counts = (items: ReadonlyArray<AccessItem>): Map<string, number> => {
    const m = new Map<string, number>()
    for (const item of items) m.set(item.code, (m.get(item.code) ?? 0) + 1)
    return m
  }
  const pos = counts(fields.positive)
  const neg = counts(fields.negative)
  const codes = Arr.dedupe([...pos.keys(), ...neg.keys()]).sort()
  for (const code of codes) {
    const c = WorkCode.make(code, { disableValidation: true })
    const inPos = pos.get(code) ?? 0
    const inNeg = neg.get(code) ?? 0
    const dupLists: Array<"positive" | "negative"> = []
    if (inPos > 1) dupLists.push("positive")
    if (inNeg > 1) dupLists.push("negative")
    if (dupLists.length > 0) {
      violations.push(
        AccessListViolation.make({
          rule: "duplicate-code",
          code: c,
          lists: dupLists,
          message: `事项编码重复 duplicate code "${code}" on the ${dupLists.join(" and ")} list`
        })
      )
    }
    if (inPos > 0 && inNeg > 0) {
      violations.push(
        AccessListViolation.make({
          rule: "on-both-lists",
          code: c,
          lists: ["positive", "negative"],
          message: `同时列入正面和负面清单 code "${code}" is on both the positive and the negative list`
        })
      )
    }
  }
  if (Arr.isNonEmptyArray(violations)) return Either.left(new AccessListInvalid({ violations }))
  return Either.right({
    positive: [...fields.positive].sort(byCode),
    negative: [...fields.negative].sort(byCode),
    mode: fields.mode ?? "lenient",
    levels: (fields.levels ?? defaultLevels).map((l) => LevelId.make(l, { disableValidation: true }))
  })
}

// ---------------------------------------------------------------------------
// checks
// ---------------------------------------------------------------------------

/**
 * 准入规则 — why an assignment is refused:
 * `negative-list` 列入负面清单; `not-on-positive-list` 未列入正面清单 (strict mode);
 * `unclassified` 事项未编码 (strict mode: work without a code cannot be shown to
 * be on the positive list).
 *
 * @since 0.1.0
 * @category validation
 */
export const AccessRule = Schema.Literal("negative-list", "not-on-positive-list", "unclassified").annotations(
  {
    identifier: "AccessRule",
    title: "准入规则 access rule"
  }
)

/**
 * @since 0.1.0
 * @category validation
 */
export type AccessRule = typeof AccessRule.Type

/**
 * 不予准入 — the work may not be assigned to a unit of this level: names the
 * work (code and name), the target level, the rule, and for `negative-list` the
 * list item (with its issuing authority and basis).
 *
 * @since 0.1.0
 * @category errors
 */
export class AccessRefused extends Schema.TaggedError<AccessRefused>()("AccessRefused", {
  code: Schema.NullOr(WorkCode),
  work: Schema.String,
  level: Schema.String,
  rule: AccessRule,
  item: Schema.optionalWith(AccessItem, { exact: true })
}) {
  override get message(): string {
    const what = this.code === null ? `"${this.work}"` : `"${this.work}" (${this.code})`
    const source = this.item === undefined ? "" : ` — ${this.item.authority}《${this.item.basis}》`
    const text: Record<AccessRule, string> = {
      "negative-list": `列入负面清单, may not be assigned to level ${this.level}${source}`,
      "not-on-positive-list": `未列入正面清单, may not be assigned to level ${this.level} (strict mode)`,
      unclassified: `事项未编码, unclassified work may not be assigned to level ${this.level} (strict mode)`
    }
    return `社区工作准入: ${what} ${text[this.rule]}`
  }
}

/**
 * 准入依据 — why an assignment is allowed: `positive-list` 列入正面清单,
 * `not-on-negative-list` 不在负面清单 (lenient mode), `level-not-governed`
 * 清单不适用于该层级.
 *
 * @since 0.1.0
 * @category models
 */
export const AccessGround = Schema.Literal(
  "positive-list",
  "not-on-negative-list",
  "level-not-governed"
).annotations({
  identifier: "AccessGround",
  title: "准入依据 access ground"
})

/**
 * @since 0.1.0
 * @category models
 */
export type AccessGround = typeof AccessGround.Type

/**
 * 准予 — the assignment is allowed, on this ground; `item` is the positive-list
 * item when the ground is `positive-list`.
 *
 * @since 0.1.0
 * @category models
 */
export const AccessGranted = Schema.TaggedStruct("AccessGranted", {
  code: Schema.NullOr(WorkCode),
  ground: AccessGround,
  item: Schema.optionalWith(AccessItem, { exact: true })
}).annotations({ identifier: "AccessGranted", title: "准予 access granted" })

/**
 * @since 0.1.0
 * @category models
 */
export interface AccessGranted extends Schema.Schema.Type<typeof AccessGranted> {}

/**
 * Whether the list governs units of this level.
 *
 * @since 0.1.0
 * @category predicates
 */
export const governs = (self: AccessList, level: string): boolean => self.levels.some((l) => l === level)

/**
 * 查找事项 — the item with this code and the list it is on.
 *
 * @since 0.1.0
 * @category getters
 */
export const lookup = (
  self: AccessList,
  code: string
): Option.Option<{ readonly list: "positive" | "negative"; readonly item: AccessItem }> => {
  const neg = self.negative.find((i) => i.code === code)
  if (neg !== undefined) return Option.some({ list: "negative", item: neg })
  const pos = self.positive.find((i) => i.code === code)
  return pos === undefined ? Option.none() : Option.some({ list: "positive", item: pos })
}

/**
 * 准入检查 — may this work be assigned to a unit of `targetLevel`? Levels the list
 * does not govern are always allowed. Otherwise work on the negative list is
 * refused (the negative list wins, whatever the mode); in strict mode work that
 * is not on the positive list, or has no code, is refused too.
 *
 * @since 0.1.0
 * @category validation
 */
export const checkAssignment = (
  self: AccessList,
  work: WorkItem,
  targetLevel: string
): Either.Either<AccessGranted, AccessRefused> => {
  const code = work.code ?? null
  if (!governs(self, targetLevel)) {
    return Either.right(AccessGranted.make({ code, ground: "level-not-governed" }))
  }
  const refuse = (rule: AccessRule, item?: AccessItem) =>
    Either.left(
      new AccessRefused({
        code,
        work: work.name,
        level: targetLevel,
        rule,
        ...(item === undefined ? {} : { item })
      })
    )
  if (code === null) {
    return self.mode === "strict"
      ? refuse("unclassified")
      : Either.right(AccessGranted.make({ code, ground: "not-on-negative-list" }))
  }
  const found = lookup(self, code)
  if (Option.isSome(found)) {
    return found.value.list === "negative"
      ? refuse("negative-list", found.value.item)
      : Either.right(AccessGranted.make({ code, ground: "positive-list", item: found.value.item }))
  }
  return self.mode === "strict"
    ? refuse("not-on-positive-list")
    : Either.right(AccessGranted.make({ code, ground: "not-on-negative-list" }))
}

/**
 * 准入清理 — audits a batch of work items against the list for one target level
 * and returns every refusal, in input order (e.g. to 清理社区考核、检查 as the Panlong district report
 * asks). Empty when everything may be assigned.
 *
 * @since 0.1.0
 * @category validation
 */
export const refusals = (
  self: AccessList,
  works: ReadonlyArray<WorkItem>,
  targetLevel: string
): ReadonlyArray<AccessRefused> => {
  const out: Array<AccessRefused> = []
  for (const work of works) {
    const r = checkAssignment(self, work, targetLevel)
    if (Either.isLeft(r)) out.push(r.left)
  }
  return out
}
