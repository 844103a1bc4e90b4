/**
 * 评优评先 — an award round: nomination (推荐), public notice (公示) and award
 * (表彰), with a quota (名额). The Panlong district report: "对优秀小组长、楼栋长定期开展评优评先";
 * the Pingyi street report's 孝老家庭 / 孝老个人 awards (131 households, 270 residents).
 *
 * The order is the practice's: a nominee is published for public notice, and
 * only after the notice period (default 5 days, configuration per round) may
 * they be awarded; an objection upheld (or a withdrawal) takes them out. No
 * more nominees are on notice or awarded together than the quota.
 *
 * A round is a decider of the shared kit (`Decider`); refusals are typed and
 * name every rule broken.
 *
 * @since 0.1.0
 */
import * as Either from "effect/Either"
import * as Schema from "effect/Schema"
import * as Decider from "./Decider.js"
import * as Cal from "./internal/calendar.js"
import { PersonId } from "./Staffing.js"
import * as Text from "./Text.js"
import { LocalDate } from "./WorkingCalendar.js"

/**
 * 评选标识 — the identifier of an award round.
 *
 * @since 0.1.0
 * @category schemas
 */
export const RoundId = Text.Id.pipe(
  Schema.brand("AwardRoundId"),
  Schema.annotations({ identifier: "AwardRoundId", title: "评选标识 award round id" })
)

/**
 * @since 0.1.0
 * @category models
 */
export type RoundId = typeof RoundId.Type

/**
 * 候选状态 — `nominated` 已推荐, `on-notice` 公示中, `awarded` 已表彰, `withdrawn` 已撤回.
 *
 * @since 0.1.0
 * @category schemas
 */
export const NomineeStatus = Schema.Literal("nominated", "on-notice", "awarded", "withdrawn")

/**
 * @since 0.1.0
 * @category models
 */
export type NomineeStatus = typeof NomineeStatus.Type

const Nominees = Schema.Array(PersonId).pipe(Schema.maxItems(1000))
const meta = { roundId: RoundId, on: LocalDate }

/**
 * 开始评选 — open a round: its name, quota and notice period in days.
 *
 * @since 0.1.0
 * @category commands
 */
export const Open = Schema.TaggedStruct("Open", {
  ...meta,
  name: Text.Name,
  quota: Schema.Int.pipe(Schema.between(1, 100_000)),
  noticeDays: Schema.Int.pipe(Schema.between(0, 365))
})

/**
 * 推荐 — nominate a person (a household is represented by its head).
 *
 * @since 0.1.0
 * @category commands
 */
export const Nominate = Schema.TaggedStruct("Nominate", { ...meta, nomineeId: PersonId })

/**
 * 公示 — publish nominees for public notice, from `on`.
 *
 * @since 0.1.0
 * @category commands
 */
export const Publish = Schema.TaggedStruct("Publish", { ...meta, nomineeIds: Nominees })

/**
 * 撤回 — take a nominee out (an objection upheld during notice, or a withdrawal).
 *
 * @since 0.1.0
 * @category commands
 */
export const Withdraw = Schema.TaggedStruct("Withdraw", { ...meta, nomineeId: PersonId, reason: Text.Note })

/**
 * 表彰 — award nominees whose notice is over.
 *
 * @since 0.1.0
 * @category commands
 */
export const Confer = Schema.TaggedStruct("Confer", { ...meta, nomineeIds: Nominees })

/**
 * @since 0.1.0
 * @category commands
 */
export const Command = Schema.Union(Open, Nominate, Publish, Withdraw, Confer)

/**
 * @since 0.1.0
 * @category models
 */
export type Command = typeof Command.Type

const eventMeta = { ...meta, sequence: Schema.Int.pipe(Schema.positive()) }

/**
 * @since 0.1.0
 * @category events
 */
export const Opened = Schema.TaggedStruct("Opened", {
  ...eventMeta,
  name: Text.Name,
  quota: Schema.Int,
  noticeDays: Schema.Int
})

/**
 * @since 0.1.0
 * @category events
 */
export const Nominated = Schema.TaggedStruct("Nominated", { ...eventMeta, nomineeId: PersonId })

/**
 * @since 0.1.0
 * @category events
 */
export const Published = Schema.TaggedStruct("Published", { ...eventMeta, nomineeIds: Nominees })

/**
 * @since 0.1.0
 * @category events
 */
export const Withdrawn = Schema.TaggedStruct("Withdrawn", {
  ...eventMeta,
  nomineeId: PersonId,
  reason: Text.Note
})

/**
 * @since 0.1.0
 * @category events
 */
export const Conferred = Schema.TaggedStruct("Conferred", { ...eventMeta, nomineeIds: Nominees })

/**
 * @since 0.1.0
 * @category events
 */
export const Event = Schema.Union(Opened, Nominated, Published, Withdrawn, Conferred)

/**
 * @since 0.1.0
 * @category models
 */
export type Event = typeof Event.Type

/**
 * 候选人 — a nominee and where they stand.
 *
 * @since 0.1.0
 * @category models
 */
export interface Nominee {
  readonly id: PersonId
  readonly status: NomineeStatus
  readonly nominatedOn: LocalDate
  readonly noticeFrom?: LocalDate
  readonly awardedOn?: LocalDate
}

/**
 * 评选状态 — no round yet, or the round and its nominees (in nomination order).
 *
 * @since 0.1.0
 * @category models
 */
export type State =
  | { readonly _tag: "NoRound"; readonly version: 0 }
  | {
      readonly _tag: "Round"
      readonly version: number
      readonly id: RoundId
      readonly name: string
      readonly quota: number
      readonly noticeDays: number
      readonly lastOn: LocalDate
      readonly nominees: ReadonlyArray<Nominee>
    }

/**
 * @since 0.1.0
 * @category constants
 */
export const initial: State = { _tag: "NoRound", version: 0 }

/**
 * The default notice period, 5 days (local practice; configuration per round).
 *
 * @since 0.1.0
 * @category constants
 */
export const defaultNoticeDays = 5

/**
 * The nominees awarded so far.
 *
 * @since 0.1.0
 * @category getters
 */
export const awarded = (state: State): ReadonlyArray<PersonId> =>
  state._tag === "NoRound" ? [] : state.nominees.filter((n) => n.status === "awarded").map((n) => n.id)

/**
 * The quota places taken: nominees on notice or awarded.
 *
 * @since 0.1.0
 * @category getters
 */
export const placesTaken = (state: State): number =>
  state._tag === "NoRound"
    ? 0
    : state.nominees.filter((n) => n.status === "on-notice" || n.status === "awarded").length

/**
 * The first day a nominee published on `from` may be awarded.
 *
 * @since 0.1.0
 * @category getters
 */
export const noticeEnds = (from: LocalDate, noticeDays: number): LocalDate =>
  LocalDate.make(Cal.isoFromDay(Cal.dayFromIso(from) + noticeDays), { disableValidation: true })

/**
 * 公示中 — the nominees on public notice on `day`: published (not withdrawn,
 * not yet awarded) and `day` within their notice window, from `noticeFrom` to
 * the day before {@link noticeEnds}.
 *
 * @since 0.1.0
 * @category getters
 */
export const onNotice = (state: State, day: LocalDate): ReadonlyArray<Nominee> =>
  state._tag === "NoRound"
    ? []
    : state.nominees.filter(
        (n) =>
          n.status === "on-notice" &&
          n.noticeFrom !== undefined &&
          n.noticeFrom <= day &&
          day < noticeEnds(n.noticeFrom, state.noticeDays)
      )

/**
 * The rule a command breaks.
 *
 * @since 0.1.0
 * @category schemas
 */
export const RefusalRule = Schema.Literal(
  "no-round",
  "round-exists",
  "other-round",
  "date-before-previous",
  "empty",
  "duplicate-nominee",
  "already-nominated",
  "unknown-nominee",
  "not-nominated",
  "not-on-notice",
  "notice-not-over",
  "already-awarded",
  "over-quota"
)

/**
 * @since 0.1.0
 * @category models
 */
export type RefusalRule = typeof RefusalRule.Type

const ruleText: Readonly<Record<RefusalRule, { readonly zh: string; readonly en: string }>> = {
  "no-round": { zh: "评选尚未开始", en: "the round is not open" },
  "round-exists": { zh: "评选已开始", en: "the round is already open" },
  "other-round": { zh: "指令属于另一次评选", en: "the command is for another round" },
  "date-before-previous": { zh: "日期早于上一步", en: "dated before the previous step" },
  empty: { zh: "名单为空", en: "the list is empty" },
  "duplicate-nominee": { zh: "名单有重复", en: "the list repeats a nominee" },
  "already-nominated": { zh: "已被推荐", en: "already nominated" },
  "unknown-nominee": { zh: "未被推荐", en: "not a nominee" },
  "not-nominated": { zh: "不在待公示状态", en: "not waiting for public notice" },
  "not-on-notice": { zh: "未经公示", en: "not on public notice" },
  "notice-not-over": { zh: "公示期未满", en: "the public notice period is not over" },
  "already-awarded": { zh: "已表彰，不能撤回", en: "already awarded and cannot be withdrawn" },
  "over-quota": { zh: "超过名额", en: "over the quota" }
}

/**
 * 评选指令被拒 — a refused command: the round, the command, every rule broken
 * and the nominees concerned.
 *
 * @since 0.1.0
 * @category errors
 */
export class AwardRefused extends Schema.TaggedError<AwardRefused>()("AwardRefused", {
  roundId: RoundId,
  command: Schema.Literal("Open", "Nominate", "Publish", "Withdraw", "Confer"),
  rules: Schema.NonEmptyArray(RefusalRule),
  nomineeIds: Schema.Array(PersonId),
  quota: Schema.optionalWith(Schema.Int, { exact: true })
}) {
  override get message(): string {
    const who = this.nomineeIds.length === 0 ? "" : `（${this.nomineeIds.join(", ")}）`
    const whoEn = this.nomineeIds.length === 0 ? "" : ` (${this.nomineeIds.join(", ")})`
    return `评选 ${this.roundId}「${this.command}」被拒${who}：${this.rules.map((r) => ruleText[r].zh).join("；")} — award round ${this.roundId}: ${this.command} refused${whoEn}: ${this.rules.map((r) => `${ruleText[r].en} [${r}]`).join("; ")}`
  }
}

const dup = (ids: ReadonlyArray<PersonId>): ReadonlyArray<PersonId> => {
  const seen = new Set<PersonId>()
  const out = new Set<PersonId>()
  for (const id of ids) (seen.has(id) ? out : seen).add(id)
  return [...out]
}

/**
 * Decides a command.
 *
 * @since 0.1.0
 * @category decider
 */
export const decide = (command: Command, state: State): Either.Either<ReadonlyArray<Event>, AwardRefused> => {
  const rules: Array<RefusalRule> = []
  const who: Array<PersonId> = []
  const refuse = () => {
    const [first, ...rest] = [...new Set(rules)]
    return Either.left(
      new AwardRefused({
        roundId: command.roundId,
        command: command._tag,
        rules: [first as RefusalRule, ...rest],
        nomineeIds: [...new Set(who)].sort(),
        ...(state._tag === "Round" ? { quota: state.quota } : {})
      })
    )
  }
  const base = { roundId: command.roundId, on: command.on, sequence: state.version + 1 }
  if (command._tag === "Open") {
    if (state._tag === "Round") {
      rules.push("round-exists")
      return refuse()
    }
    return Either.right([
      { _tag: "Opened", ...base, name: command.name, quota: command.quota, noticeDays: command.noticeDays }
    ])
  }
  if (state._tag === "NoRound") {
    rules.push("no-round")
    return refuse()
  }
  if (command.roundId !== state.id) rules.push("other-round")
  if (command.on < state.lastOn) rules.push("date-before-previous")
  const byId = new Map(state.nominees.map((n) => [n.id, n] as const))
  switch (command._tag) {
    case "Nominate": {
      if (byId.has(command.nomineeId)) {
        rules.push("already-nominated")
        who.push(command.nomineeId)
      }
      return rules.length > 0
        ? refuse()
        : Either.right([{ _tag: "Nominated", ...base, nomineeId: command.nomineeId }])
    }
    case "Withdraw": {
      const n = byId.get(command.nomineeId)
      if (n === undefined || n.status === "withdrawn") rules.push("unknown-nominee")
      else if (n.status === "awarded") rules.push("already-awarded")
      if (rules.length > 0) who.push(command.nomineeId)
      return rules.length > 0
        ? refuse()
        : Either.right([{ _tag: "Withdrawn", ...base, nomineeId: command.nomineeId, reason: command.reason }])
    }
    case "Publish":
    case "Confer": {
      const ids = command.nomineeIds
      if (ids.length === 0) rules.push("empty")
      const repeated = dup(ids)
      if (repeated.length > 0) {
        rules.push("duplicate-nominee")
        who.push(...repeated)
      }
      for (const id of ids) {
        const n = byId.get(id)
        if (n === undefined || n.status === "withdrawn") {
          rules.push("unknown-nominee")
          who.push(id)
        } else if (command._tag === "Publish" && n.status !== "nominated") {
          rules.push("not-nominated")
          who.push(id)
        } else if (command._tag === "Confer" && n.status !== "on-notice") {
          rules.push("not-on-notice")
          who.push(id)
        } else if (
          command._tag === "Confer" &&
          n.noticeFrom !== undefined &&
          command.on < noticeEnds(n.noticeFrom, state.noticeDays)
        ) {
          rules.push("notice-not-over")
          who.push(id)
        }
      }
      if (command._tag === "Publish" && placesTaken(state) + new Set(ids).size > state.quota)
        rules.push("over-quota")
      if (rules.length > 0) return refuse()
      return Either.right([
        command._tag === "Publish"
          ? { _tag: "Published", ...base, nomineeIds: ids }
          : { _tag: "Conferred", ...base, nomineeIds: ids }
      ])
    }
  }
}

const continues = (state: State, event: Event): boolean =>
  state._tag === "NoRound"
    ? event._tag === "Opened" && event.sequence === 1
    : event._tag !== "Opened" && event.roundId === state.id && event.sequence === state.version + 1

const apply = (state: State, event: Event): State => {
  if (event._tag === "Opened") {
    return {
      _tag: "Round",
      version: event.sequence,
      id: event.roundId,
      name: event.name,
      quota: event.quota,
      noticeDays: event.noticeDays,
      lastOn: event.on,
      nominees: []
    }
  }
  if (state._tag === "NoRound") return state
  const next = { ...state, version: event.sequence, lastOn: event.on }
  const update = (ids: ReadonlyArray<PersonId>, f: (n: Nominee) => Nominee) => {
    const set = new Set(ids)
    return state.nominees.map((n) => (set.has(n.id) ? f(n) : n))
  }
  switch (event._tag) {
    case "Nominated":
      return {
        ...next,
        nominees: [
          ...state.nominees.filter((n) => n.id !== event.nomineeId),
          { id: event.nomineeId, status: "nominated", nominatedOn: event.on }
        ]
      }
    case "Published":
      return {
        ...next,
        nominees: update(event.nomineeIds, (n) => ({ ...n, status: "on-notice", noticeFrom: event.on }))
      }
    case "Withdrawn":
      return { ...next, nominees: update([event.nomineeId], (n) => ({ ...n, status: "withdrawn" })) }
    case "Conferred":
      return {
        ...next,
        nominees: update(event.nomineeIds, (n) => ({ ...n, status: "awarded", awardedOn: event.on }))
      }
  }
}

/**
 * Applies one event (an event that does not continue the round leaves it unchanged).
 *
 * @since 0.1.0
 * @category decider
 */
export const evolve = (state: State, event: Event): State =>
  continues(state, event) ? apply(state, event) : state

/**
 * 决策器 — the award round for the shared decider kit.
 *
 * @since 0.1.0
 * @category decider
 */
export const decider: Decider.Decider<Command, State, Event, AwardRefused> = Decider.make({
  initial,
  decide,
  evolve
})

/**
 * The state a history leads to.
 *
 * @since 0.1.0
 * @category decider
 */
export const fold: (events: Iterable<Event>) => State = Decider.fold(decider)

/**
 * 评选事件不能接续 — an event that does not continue a round's history (a gap,
 * a repeat, another round's event, a second opening).
 *
 * @since 0.1.0
 * @category errors
 */
export class AwardReplayError extends Schema.TaggedError<AwardReplayError>()("AwardReplayError", {
  index: Schema.NonNegativeInt,
  sequence: Schema.Int
}) {
  override get message(): string {
    return `评选事件 #${this.index}（序号 ${this.sequence}）不能接续 — award event #${this.index} (sequence ${this.sequence}) does not continue the round's history`
  }
}

/**
 * The strict fold: the state, or the first event that does not continue it.
 *
 * @since 0.1.0
 * @category decider
 */
export const replay: (events: ReadonlyArray<Event>) => Either.Either<State, AwardReplayError> =
  Decider.replay(decider, {
    continues,
    broken: (_state, event, index) => new AwardReplayError({ index, sequence: event.sequence })
  })
