/**
 * 小区党组织组建 — the founding of a compound's party organisation in the five
 * steps of the Yilong county report: "推行'找党员、转关系、建组织、配班子、履承诺'五步工作法，
 * 建立小区党组织52个、物业党组织6个":
 *
 * 1. `find-members` 找党员 — find the party members living in the compound;
 * 2. `transfer-relations` 转关系 — transfer (some of) their relations to it;
 * 3. `establish` 建组织 — establish the organisation (a branch needs at least
 *    three full members, the Party Constitution's "正式党员三人以上";
 *    configurable);
 * 4. `staff-committee` 配班子 — staff its committee: a secretary and members,
 *    from the transferred members;
 * 5. `pledge` 履承诺 — the committee's public commitments.
 *
 * A founding is a decider of the shared kit (`Decider`): the steps run in
 * order, each once; every refusal is a typed value naming its rule.
 *
 * @since 0.1.0
 */
import * as Either from "effect/Either"
import * as Schema from "effect/Schema"
import { BodyId, BodyKindId } from "./Body.js"
import * as Decider from "./Decider.js"
import { PersonId } from "./Staffing.js"
import * as Text from "./Text.js"
import { UnitId } from "./Unit.js"
import { LocalDate } from "./WorkingCalendar.js"

/**
 * 步骤 — the five steps, in order.
 *
 * @since 0.1.0
 * @category schemas
 */
export const Step = Schema.Literal(
  "find-members",
  "transfer-relations",
  "establish",
  "staff-committee",
  "pledge"
).annotations({
  identifier: "FoundingStep",
  title: "组建步骤 founding step",
  description:
    "find-members 找党员 | transfer-relations 转关系 | establish 建组织 | staff-committee 配班子 | pledge 履承诺"
})

/**
 * @since 0.1.0
 * @category models
 */
export type Step = typeof Step.Type

/**
 * The steps in order.
 *
 * @since 0.1.0
 * @category constants
 */
export const steps: ReadonlyArray<Step> = Step.literals

/**
 * Chinese names of the steps.
 *
 * @since 0.1.0
 * @category constants
 */
export const stepNames: Readonly<Record<Step, string>> = {
  "find-members": "找党员",
  "transfer-relations": "转关系",
  establish: "建组织",
  "staff-committee": "配班子",
  pledge: "履承诺"
}

const Members = Schema.Array(PersonId).pipe(Schema.maxItems(1000))
const Commitments = Schema.Array(Text.Description).pipe(Schema.maxItems(50))

const meta = { compoundId: UnitId, on: LocalDate }

/**
 * 找党员 — the members found in the compound (the first command: it starts the founding).
 *
 * @since 0.1.0
 * @category commands
 */
export const FindMembers = Schema.TaggedStruct("FindMembers", {
  ...meta,
  communityId: UnitId,
  memberIds: Members
})

/**
 * 转关系 — the members whose relations are transferred.
 *
 * @since 0.1.0
 * @category commands
 */
export const TransferRelations = Schema.TaggedStruct("TransferRelations", { ...meta, memberIds: Members })

/**
 * 建组织 — establish the organisation as a body.
 *
 * @since 0.1.0
 * @category commands
 */
export const Establish = Schema.TaggedStruct("Establish", {
  ...meta,
  bodyId: BodyId,
  kind: BodyKindId,
  name: Text.Name
})

/**
 * 配班子 — the secretary and committee members.
 *
 * @since 0.1.0
 * @category commands
 */
export const StaffCommittee = Schema.TaggedStruct("StaffCommittee", {
  ...meta,
  secretaryId: PersonId,
  memberIds: Members
})

/**
 * 履承诺 — the committee's public commitments.
 *
 * @since 0.1.0
 * @category commands
 */
export const Pledge = Schema.TaggedStruct("Pledge", { ...meta, commitments: Commitments })

/**
 * A command of the founding.
 *
 * @since 0.1.0
 * @category commands
 */
export const Command = Schema.Union(
  FindMembers,
  TransferRelations,
  Establish,
  StaffCommittee,
  Pledge
).annotations({
  identifier: "FoundingCommand",
  title: "组建指令 founding command"
})

/**
 * @since 0.1.0
 * @category models
 */
export type Command = typeof Command.Type

/**
 * The step each command performs.
 *
 * @since 0.1.0
 * @category constants
 */
export const stepOf: Readonly<Record<Command["_tag"], Step>> = {
  FindMembers: "find-members",
  TransferRelations: "transfer-relations",
  Establish: "establish",
  StaffCommittee: "staff-committee",
  Pledge: "pledge"
}

const eventMeta = { ...meta, sequence: Schema.Int.pipe(Schema.positive()) }

/**
 * A step done: the event of each command carries its fields and a sequence.
 *
 * @since 0.1.0
 * @category events
 */
export const MembersFound = Schema.TaggedStruct("MembersFound", {
  ...eventMeta,
  communityId: UnitId,
  memberIds: Members
})

/**
 * @since 0.1.0
 * @category events
 */
export const RelationsTransferred = Schema.TaggedStruct("RelationsTransferred", {
  ...eventMeta,
  memberIds: Members
})

/**
 * @since 0.1.0
 * @category events
 */
export const Established = Schema.TaggedStruct("Established", {
  ...eventMeta,
  bodyId: BodyId,
  kind: BodyKindId,
  name: Text.Name
})

/**
 * @since 0.1.0
 * @category events
 */
export const CommitteeStaffed = Schema.TaggedStruct("CommitteeStaffed", {
  ...eventMeta,
  secretaryId: PersonId,
  memberIds: Members
})

/**
 * @since 0.1.0
 * @category events
 */
export const Pledged = Schema.TaggedStruct("Pledged", { ...eventMeta, commitments: Commitments })

/**
 * An event of the founding.
 *
 * @since 0.1.0
 * @category events
 */
export const Event = Schema.Union(MembersFound, RelationsTransferred, Established, CommitteeStaffed, Pledged)

/**
 * @since 0.1.0
 * @category models
 */
export type Event = typeof Event.Type

/**
 * 组建状态 — nothing yet (`NotStarted`), or a founding: the steps done, the
 * members found and transferred, the body, its committee and its commitments.
 *
 * @since 0.1.0
 * @category models
 */
export type State =
  | { readonly _tag: "NotStarted"; readonly version: 0 }
  | {
      readonly _tag: "Founding"
      readonly version: number
      readonly compoundId: UnitId
      readonly communityId: UnitId
      readonly done: ReadonlyArray<Step>
      readonly found: ReadonlyArray<PersonId>
      readonly transferred: ReadonlyArray<PersonId>
      readonly bodyId?: BodyId
      readonly secretaryId?: PersonId
      readonly committee?: ReadonlyArray<PersonId>
      readonly commitments?: ReadonlyArray<string>
      readonly since: LocalDate
      readonly lastOn: LocalDate
      readonly foundedOn?: LocalDate
    }

/**
 * @since 0.1.0
 * @category constants
 */
export const initial: State = { _tag: "NotStarted", version: 0 }

/**
 * The next step of a founding (none when founded).
 *
 * @since 0.1.0
 * @category getters
 */
export const nextStep = (state: State): Step | undefined =>
  state._tag === "NotStarted" ? "find-members" : steps[state.done.length]

/**
 * Whether all five steps are done.
 *
 * @since 0.1.0
 * @category predicates
 */
export const isFounded = (state: State): boolean =>
  state._tag === "Founding" && state.done.length === steps.length

/**
 * The rule a command breaks: `out-of-order` (not the next step), `founded`
 * (all steps done), `other-compound`, `no-members` (an empty list),
 * `duplicate-member`, `not-found` (transferring someone not found),
 * `too-few-members` (fewer transferred than a branch needs), `not-transferred`
 * (a committee member whose relation is not here), `no-commitments`,
 * `date-before-previous` (a step dated before the one before it).
 *
 * @since 0.1.0
 * @category schemas
 */
export const RefusalRule = Schema.Literal(
  "out-of-order",
  "founded",
  "other-compound",
  "no-members",
  "duplicate-member",
  "not-found",
  "too-few-members",
  "not-transferred",
  "no-commitments",
  "date-before-previous"
)

/**
 * @since 0.1.0
 * @category models
 */
export type RefusalRule = typeof RefusalRule.Type

/**
 * 组建指令被拒 — a refused step: the compound, the step tried, the step expected
 * (none when founded), every rule broken and the people concerned.
 *
 * @since 0.1.0
 * @category errors
 */
export class FoundingRefused extends Schema.TaggedError<FoundingRefused>()("FoundingRefused", {
  compoundId: UnitId,
  step: Step,
  expected: Schema.optionalWith(Step, { exact: true }),
  rules: Schema.NonEmptyArray(RefusalRule),
  personIds: Schema.Array(PersonId),
  minimum: Schema.optionalWith(Schema.Int, { exact: true })
}) {
  override get message(): string {
    const texts = this.rules.map((r) => refusalText(this, r))
    return `小区 ${this.compoundId} 党组织组建「${stepNames[this.step]}」被拒：${texts.map((t) => t.zh).join("；")} — compound ${this.compoundId} party organisation founding, step ${this.step} refused: ${texts.map((t, i) => `${t.en} [${this.rules[i]}]`).join("; ")}`
  }
}

const refusalText = (r: FoundingRefused, rule: RefusalRule): { readonly zh: string; readonly en: string } => {
  const who = r.personIds.join(", ")
  switch (rule) {
    case "out-of-order":
      return r.expected === undefined
        ? { zh: "步骤顺序不符", en: "out of order" }
        : {
            zh: `下一步应为「${stepNames[r.expected]}」`,
            en: `the next step is ${r.expected} (steps run in order: 找党员→转关系→建组织→配班子→履承诺)`
          }
    case "founded":
      return { zh: "五步已全部完成", en: "all five steps are done" }
    case "other-compound":
      return { zh: "指令属于另一个小区", en: "the command is for another compound" }
    case "no-members":
      return { zh: "人员名单为空", en: "the list of members is empty" }
    case "duplicate-member":
      return { zh: `人员重复：${who}`, en: `members repeated: ${who}` }
    case "not-found":
      return { zh: `${who} 不在已找到的党员中`, en: `${who} not among the members found` }
    case "too-few-members":
      return {
        zh: `转入组织关系的党员不足 ${r.minimum ?? 3} 人`,
        en: `fewer than ${r.minimum ?? 3} members have transferred their relations`
      }
    case "not-transferred":
      return { zh: `${who} 的组织关系未转入`, en: `${who} have not transferred their relations` }
    case "no-commitments":
      return { zh: "承诺事项为空", en: "no commitments" }
    case "date-before-previous":
      return { zh: "日期早于上一步", en: "dated before the previous step" }
  }
}

/**
 * 配置 — the minimum number of transferred members to establish (default 3).
 *
 * @since 0.1.0
 * @category models
 */
export interface Config {
  readonly minimumMembers: number
}

/**
 * @since 0.1.0
 * @category constants
 */
export const defaultConfig: Config = { minimumMembers: 3 }

const repeated = (ids: ReadonlyArray<PersonId>): ReadonlyArray<PersonId> => {
  const seen = new Set<PersonId>()
  const out = new Set<PersonId>()
  for (const id of ids) (seen.has(id) ? out : seen).add(id)
  return [...out].sort()
}

const lastDate = (state: State): LocalDate | undefined =>
  state._tag === "NotStarted" ? undefined : state.lastOn

const decideWith =
  (config: Config) =>
  (command: Command, state: State): Either.Either<ReadonlyArray<Event>, FoundingRefused> => {
    const step = stepOf[command._tag]
    const expected = nextStep(state)
    const rules: Array<RefusalRule> = []
    const people: Array<PersonId> = []
    const refuse = () => {
      const [first, ...rest] = rules
      return Either.left(
        new FoundingRefused({
          compoundId: command.compoundId,
          step,
          ...(expected === undefined ? {} : { expected }),
          rules: [first as RefusalRule, ...rest],
          personIds: [...new Set(people)].sort(),
          ...(rules.includes("too-few-members") ? { minimum: config.minimumMembers } : {})
        })
      )
    }
    if (expected === undefined) rules.push("founded")
    else if (step !== expected) rules.push("out-of-order")
    if (state._tag === "Founding" && command.compoundId !== state.compoundId) rules.push("other-compound")
    const previous = lastDate(state)
    if (previous !== undefined && command.on < previous) rules.push("date-before-previous")
    if (rules.length > 0) return refuse()
    const sequence = state.version + 1
    const base = { compoundId: command.compoundId, on: command.on, sequence }
    const found = state._tag === "Founding" ? new Set(state.found) : new Set<PersonId>()
    const transferred = state._tag === "Founding" ? new Set(state.transferred) : new Set<PersonId>()
    const checkList = (
      ids: ReadonlyArray<PersonId>,
      within: ReadonlySet<PersonId> | undefined,
      rule: RefusalRule
    ) => {
      if (ids.length === 0) rules.push("no-members")
      const dup = repeated(ids)
      if (dup.length > 0) {
        rules.push("duplicate-member")
        people.push(...dup)
      }
      if (within !== undefined) {
        const outside = ids.filter((id) => !within.has(id))
        if (outside.length > 0) {
          rules.push(rule)
          people.push(...outside)
        }
      }
    }
    switch (command._tag) {
      case "FindMembers":
        checkList(command.memberIds, undefined, "not-found")
        return rules.length > 0
          ? refuse()
          : Either.right([
              {
                _tag: "MembersFound",
                ...base,
                communityId: command.communityId,
                memberIds: command.memberIds
              }
            ])
      case "TransferRelations":
        checkList(command.memberIds, found, "not-found")
        return rules.length > 0
          ? refuse()
          : Either.right([{ _tag: "RelationsTransferred", ...base, memberIds: command.memberIds }])
      case "Establish":
        if (transferred.size < config.minimumMembers) rules.push("too-few-members")
        return rules.length > 0
          ? refuse()
          : Either.right([
              { _tag: "Established", ...base, bodyId: command.bodyId, kind: command.kind, name: command.name }
            ])
      case "StaffCommittee": {
        checkList([command.secretaryId, ...command.memberIds], transferred, "not-transferred")
        return rules.length > 0
          ? refuse()
          : Either.right([
              {
                _tag: "CommitteeStaffed",
                ...base,
                secretaryId: command.secretaryId,
                memberIds: command.memberIds
              }
            ])
      }
      case "Pledge":
        if (command.commitments.filter((c) => c.trim().length > 0).length === 0) rules.push("no-commitments")
        return rules.length > 0
          ? refuse()
          : Either.right([{ _tag: "Pledged", ...base, commitments: command.commitments }])
    }
  }

const apply = (state: State, event: Event): State => {
  if (event._tag === "MembersFound") {
    return {
      _tag: "Founding",
      version: event.sequence,
      compoundId: event.compoundId,
      communityId: event.communityId,
      done: ["find-members"],
      found: event.memberIds,
      transferred: [],
      since: event.on,
      lastOn: event.on
    }
  }
  if (state._tag === "NotStarted") return state
  const next = { ...state, version: event.sequence, lastOn: event.on }
  switch (event._tag) {
    case "RelationsTransferred":
      return { ...next, done: [...state.done, "transfer-relations"], transferred: event.memberIds }
    case "Established":
      return { ...next, done: [...state.done, "establish"], bodyId: event.bodyId }
    case "CommitteeStaffed":
      return {
        ...next,
        done: [...state.done, "staff-committee"],
        secretaryId: event.secretaryId,
        committee: event.memberIds
      }
    case "Pledged":
      return { ...next, done: [...state.done, "pledge"], commitments: event.commitments, foundedOn: event.on }
  }
}

const continues = (state: State, event: Event): boolean =>
  state._tag === "NotStarted"
    ? event._tag === "MembersFound" && event.sequence === 1
    : event._tag !== "MembersFound" &&
      event.compoundId === state.compoundId &&
      event.sequence === state.version + 1 &&
      stepOf[eventCommand[event._tag]] === steps[state.done.length]

const eventCommand: Readonly<Record<Event["_tag"], Command["_tag"]>> = {
  MembersFound: "FindMembers",
  RelationsTransferred: "TransferRelations",
  Established: "Establish",
  CommitteeStaffed: "StaffCommittee",
  Pledged: "Pledge"
}

/**
 * Applies one event (an event that does not continue the founding leaves it unchanged).
 *
 * @since 0.1.0
 * @category decider
 */
export const evolve = (state: State, event: Event): State =>
  continues(state, event) ? apply(state, event) : state

/**
 * A founding decider with a configuration.
 *
 * @since 0.1.0
 * @category decider
 */
export const makeDecider = (
  config: Config = defaultConfig
): Decider.Decider<Command, State, Event, FoundingRefused> =>
  Decider.make({ initial, decide: decideWith(config), evolve })

/**
 * 决策器 — the founding with the default configuration.
 *
 * @since 0.1.0
 * @category decider
 */
export const decider: Decider.Decider<Command, State, Event, FoundingRefused> = makeDecider()

/**
 * The state a history leads to.
 *
 * @since 0.1.0
 * @category decider
 */
export const fold: (events: Iterable<Event>) => State = Decider.fold(decider)

/**
 * 事件重放错误 — an event that does not continue the founding.
 *
 * @since 0.1.0
 * @category errors
 */
export class FoundingReplayError extends Schema.TaggedError<FoundingReplayError>()("FoundingReplayError", {
  index: Schema.NonNegativeInt,
  sequence: Schema.Int
}) {
  override get message(): string {
    return `组建事件 #${this.index}（序号 ${this.sequence}）不能接续 — founding event #${this.index} (sequence ${this.sequence}) does not continue the history`
  }
}

/**
 * The strict fold: the state, or the first event that does not continue it.
 *
 * @since 0.1.0
 * @category decider
 */
export const replay: (events: ReadonlyArray<Event>) => Either.Either<State, FoundingReplayError> =
  Decider.replay(decider, {
    continues,
    broken: (_state, event, index) => new FoundingReplayError({ index, sequence: event.sequence })
  })
