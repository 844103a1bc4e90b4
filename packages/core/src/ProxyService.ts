/**
 * 网格代办 — a proxy service: a grid worker (or community staff) takes on a
 * matter for a resident — a 低保 certification, a residence certificate, a
 * public-rental application, a 信访代办 — and carries it to the office that
 * handles it. Seed 002: "以'网格代办'为抓手 … 将帮办代办服务前移到小区网格和居民家中",
 * "信访代办7件".
 *
 * A pure **decider** like `MicroWish`: `decide(command, state)` returns the
 * events a command causes or a typed refusal (`ProxyServiceRefused`, listing
 * every rule broken); `evolve` applies one event; `fold` / `replay` rebuild the
 * state from the history. Every command carries its actor and instant.
 *
 * ```text
 * (none)    ─Accept 受理───────────────▶ accepted  已受理
 * accepted  ─Submit 递交 (office)──────▶ submitted 已递交
 * submitted ─Complete 办结 (result)────▶ done      已办结
 * accepted, submitted ─Cancel 撤销 (reason)▶ cancelled 已撤销
 * ```
 *
 * **Who** may act: a `grid-worker` or `community-staff` acting for the
 * service's community (rule `role` for another role, `jurisdiction` for
 * another community); `Cancel` also the resident household itself (a
 * `resident` acting for the household's unit).
 *
 * **Source 来源.** `visit` 走访发现 and `patrol` 巡查发现 are proactive (主动发现:
 * "以'主动下沉服务'代替'坐等群众上门'"); `walk-in` 上门, `hotline` 热线, `online`
 * 线上 are requests. A service from a visit names the visit.
 *
 * @since 0.1.0
 */
import * as DateTime from "effect/DateTime"
import * as Either from "effect/Either"
import * as Schema from "effect/Schema"
import { Actor, ActorId, Role, roleNames } from "./Actor.js"
import * as Decider from "./Decider.js"
import { HouseholdId } from "./Household.js"
import * as Instant from "./Instant.js"
import * as Text from "./Text.js"
import { UnitId } from "./Unit.js"

/**
 * 代办编号
 *
 * @since 0.1.0
 * @category schemas
 */
export const ServiceId = Text.Id.pipe(
  Schema.brand("ProxyServiceId"),
  Schema.annotations({ identifier: "ProxyServiceId", title: "代办编号 proxy service id" })
)

/**
 * @since 0.1.0
 * @category models
 */
export type ServiceId = typeof ServiceId.Type

/**
 * 代办状态 — `accepted` 已受理, `submitted` 已递交, `done` 已办结, `cancelled` 已撤销.
 *
 * @since 0.1.0
 * @category schemas
 */
export const Status = Schema.Literal("accepted", "submitted", "done", "cancelled").annotations({
  identifier: "ProxyServiceStatus",
  title: "代办状态 status",
  description: "accepted 已受理 | submitted 已递交 | done 已办结 | cancelled 已撤销"
})

/**
 * @since 0.1.0
 * @category models
 */
export type Status = typeof Status.Type

/**
 * 状态名称
 *
 * @since 0.1.0
 * @category constants
 */
export const statusNames: Readonly<Record<Status, string>> = {
  accepted: "已受理",
  submitted: "已递交",
  done: "已办结",
  cancelled: "已撤销"
}

/**
 * 来源 — `visit` 走访发现, `patrol` 巡查发现, `walk-in` 上门, `hotline` 热线, `online` 线上.
 *
 * @since 0.1.0
 * @category schemas
 */
export const Source = Schema.Literal("visit", "patrol", "walk-in", "hotline", "online").annotations({
  identifier: "ProxyServiceSource",
  title: "来源 source",
  description: "visit 走访发现 | patrol 巡查发现 | walk-in 上门 | hotline 热线 | online 线上"
})

/**
 * @since 0.1.0
 * @category models
 */
export type Source = typeof Source.Type

/**
 * Whether a source is proactive discovery 主动发现 (a visit or a patrol).
 *
 * @since 0.1.0
 * @category predicates
 */
export const isProactive = (source: Source): boolean => source === "visit" || source === "patrol"

/**
 * 指令类型
 *
 * @since 0.1.0
 * @category schemas
 */
export const CommandTag = Schema.Literal("Accept", "Submit", "Complete", "Cancel").annotations({
  identifier: "ProxyServiceCommandTag",
  title: "指令类型 command"
})

/**
 * @since 0.1.0
 * @category models
 */
export type CommandTag = typeof CommandTag.Type

/**
 * Chinese and English names of the commands.
 *
 * @since 0.1.0
 * @category constants
 */
export const commandNames: Readonly<Record<CommandTag, { readonly en: string; readonly zh: string }>> = {
  Accept: { en: "accept", zh: "受理" },
  Submit: { en: "submit", zh: "递交" },
  Complete: { en: "complete", zh: "办结" },
  Cancel: { en: "cancel", zh: "撤销" }
}

const commandMeta = {
  serviceId: ServiceId,
  actor: Actor,
  at: Instant.DateTimeUtc
}

/**
 * 受理 — take a matter on for a household.
 *
 * @since 0.1.0
 * @category commands
 */
export const Accept = Schema.TaggedStruct("Accept", {
  ...commandMeta,
  householdId: HouseholdId,
  /** 户所在单元 — the household's unit or building (for the resident's own cancel). */
  householdUnitId: UnitId,
  communityId: UnitId,
  /** 代办事项 — e.g. `"低保年审"`; no personal data. */
  matter: Text.field(Text.limits.title),
  source: Source,
  /** 走访编号 — for a service found on a visit. */
  visitId: Schema.optionalWith(Text.Id, { exact: true }),
  note: Schema.optionalWith(Text.Note, { exact: true })
}).annotations({ identifier: "AcceptProxyService", title: "受理 accept" })

/**
 * @since 0.1.0
 * @category models
 */
export interface Accept extends Schema.Schema.Type<typeof Accept> {}

/**
 * 递交 — the matter was handed to the office that handles it.
 *
 * @since 0.1.0
 * @category commands
 */
export const Submit = Schema.TaggedStruct("Submit", {
  ...commandMeta,
  /** 承办单位 — e.g. `"街道便民服务中心"`. */
  office: Text.field(Text.limits.name),
  /** 受理回执 — the office's reference, where it gives one. */
  reference: Schema.optionalWith(Text.Reference, { exact: true })
}).annotations({ identifier: "SubmitProxyService", title: "递交 submit" })

/**
 * @since 0.1.0
 * @category models
 */
export interface Submit extends Schema.Schema.Type<typeof Submit> {}

/**
 * 办结 — the office finished the matter; the result is required.
 *
 * @since 0.1.0
 * @category commands
 */
export const Complete = Schema.TaggedStruct("Complete", {
  ...commandMeta,
  result: Text.Note
}).annotations({ identifier: "CompleteProxyService", title: "办结 complete" })

/**
 * @since 0.1.0
 * @category models
 */
export interface Complete extends Schema.Schema.Type<typeof Complete> {}

/**
 * 撤销 — the service is dropped (the resident withdrew, the matter lapsed), with a reason.
 *
 * @since 0.1.0
 * @category commands
 */
export const Cancel = Schema.TaggedStruct("Cancel", {
  ...commandMeta,
  reason: Text.Note
}).annotations({ identifier: "CancelProxyService", title: "撤销 cancel" })

/**
 * @since 0.1.0
 * @category models
 */
export interface Cancel extends Schema.Schema.Type<typeof Cancel> {}

/**
 * 代办指令 — any command.
 *
 * @since 0.1.0
 * @category commands
 */
export const ProxyServiceCommand = Schema.Union(Accept, Submit, Complete, Cancel).annotations({
  identifier: "ProxyServiceCommand",
  title: "代办指令 command"
})

/**
 * @since 0.1.0
 * @category models
 */
export type ProxyServiceCommand = Accept | Submit | Complete | Cancel

// -----------------------------------------------------------------------------
// events
// -----------------------------------------------------------------------------

const Recorded = Schema.NonEmptyTrimmedString

const eventMeta = {
  serviceId: ServiceId,
  /** 序号 — 1, 2, 3 … per service, without gaps. */
  sequence: Schema.Int.pipe(Schema.positive()),
  at: Schema.DateTimeUtc,
  actor: Actor
}

/**
 * 已受理
 *
 * @since 0.1.0
 * @category events
 */
export const Accepted = Schema.TaggedStruct("Accepted", {
  ...eventMeta,
  householdId: HouseholdId,
  householdUnitId: UnitId,
  communityId: UnitId,
  matter: Recorded,
  source: Source,
  visitId: Schema.optionalWith(Schema.String, { exact: true }),
  note: Schema.optionalWith(Recorded, { exact: true })
}).annotations({ identifier: "ProxyServiceAccepted", title: "已受理 accepted" })

/**
 * @since 0.1.0
 * @category models
 */
export interface Accepted extends Schema.Schema.Type<typeof Accepted> {}

/**
 * 已递交
 *
 * @since 0.1.0
 * @category events
 */
export const Submitted = Schema.TaggedStruct("Submitted", {
  ...eventMeta,
  office: Recorded,
  reference: Schema.optionalWith(Recorded, { exact: true })
}).annotations({ identifier: "ProxyServiceSubmitted", title: "已递交 submitted" })

/**
 * @since 0.1.0
 * @category models
 */
export interface Submitted extends Schema.Schema.Type<typeof Submitted> {}

/**
 * 已办结
 *
 * @since 0.1.0
 * @category events
 */
export const Completed = Schema.TaggedStruct("Completed", {
  ...eventMeta,
  result: Recorded
}).annotations({ identifier: "ProxyServiceCompleted", title: "已办结 completed" })

/**
 * @since 0.1.0
 * @category models
 */
export interface Completed extends Schema.Schema.Type<typeof Completed> {}

/**
 * 已撤销
 *
 * @since 0.1.0
 * @category events
 */
export const Cancelled = Schema.TaggedStruct("Cancelled", {
  ...eventMeta,
  reason: Recorded
}).annotations({ identifier: "ProxyServiceCancelled", title: "已撤销 cancelled" })

/**
 * @since 0.1.0
 * @category models
 */
export interface Cancelled extends Schema.Schema.Type<typeof Cancelled> {}

/**
 * 代办事件 — any event. Encodes to JSON for storage.
 *
 * @since 0.1.0
 * @category events
 */
export const ProxyServiceEvent = Schema.Union(Accepted, Submitted, Completed, Cancelled).annotations({
  identifier: "ProxyServiceEvent",
  title: "代办事件 event"
})

/**
 * @since 0.1.0
 * @category models
 */
export type ProxyServiceEvent = Accepted | Submitted | Completed | Cancelled

// -----------------------------------------------------------------------------
// state
// -----------------------------------------------------------------------------

/**
 * 代办 — a service's current state.
 *
 * @since 0.1.0
 * @category schemas
 */
export const ProxyService = Schema.Struct({
  _tag: Schema.Literal("ProxyService"),
  id: ServiceId,
  version: Schema.Int.pipe(Schema.positive()),
  status: Status,
  householdId: HouseholdId,
  householdUnitId: UnitId,
  communityId: UnitId,
  matter: Recorded,
  source: Source,
  visitId: Schema.NullOr(Schema.String),
  acceptedBy: ActorId,
  acceptedAt: Schema.DateTimeUtc,
  office: Schema.NullOr(Recorded),
  reference: Schema.NullOr(Recorded),
  submittedAt: Schema.NullOr(Schema.DateTimeUtc),
  result: Schema.NullOr(Recorded),
  doneAt: Schema.NullOr(Schema.DateTimeUtc),
  cancelReason: Schema.NullOr(Recorded),
  cancelledAt: Schema.NullOr(Schema.DateTimeUtc),
  updatedAt: Schema.DateTimeUtc
}).annotations({ identifier: "ProxyService", title: "代办 proxy service" })

/**
 * @since 0.1.0
 * @category models
 */
export interface ProxyService extends Schema.Schema.Type<typeof ProxyService> {}

/**
 * 尚无代办 — the state before a service is accepted.
 *
 * @since 0.1.0
 * @category schemas
 */
export const NoService = Schema.Struct({
  _tag: Schema.Literal("NoService"),
  version: Schema.Literal(0)
}).annotations({ identifier: "NoProxyService", title: "尚无代办 no service" })

/**
 * @since 0.1.0
 * @category models
 */
export interface NoService extends Schema.Schema.Type<typeof NoService> {}

/**
 * 代办状态 — the decider's state.
 *
 * @since 0.1.0
 * @category schemas
 */
export const State = Schema.Union(NoService, ProxyService).annotations({
  identifier: "ProxyServiceState",
  title: "代办状态 state"
})

/**
 * @since 0.1.0
 * @category models
 */
export type State = NoService | ProxyService

/**
 * The state before any event.
 *
 * @since 0.1.0
 * @category constructors
 */
export const initial: State = { _tag: "NoService", version: 0 }

// -----------------------------------------------------------------------------
// rules as data
// -----------------------------------------------------------------------------

/**
 * 状态迁移 — one row of the transition table.
 *
 * @since 0.1.0
 * @category models
 */
export interface Transition {
  readonly from: Status | "none"
  readonly command: CommandTag
  readonly to: Status
}

/**
 * 状态迁移表 — status × command → next status, as data.
 *
 * @since 0.1.0
 * @category rules
 */
export const transitions: ReadonlyArray<Transition> = [
  { from: "none", command: "Accept", to: "accepted" },
  { from: "accepted", command: "Submit", to: "submitted" },
  { from: "submitted", command: "Complete", to: "done" },
  { from: "accepted", command: "Cancel", to: "cancelled" },
  { from: "submitted", command: "Cancel", to: "cancelled" }
]

/**
 * Whether a command is allowed in a status.
 *
 * @since 0.1.0
 * @category rules
 */
export const isAllowed = (from: Status | "none", command: CommandTag): boolean =>
  transitions.some((t) => t.from === from && t.command === command)

/**
 * 拒绝规则 — `service-exists`, `service-not-found`, `service-id`, `time-order`,
 * `status`, `role`, `jurisdiction`, `matter-required`, `office-required`,
 * `result-required`, `reason-required`, `visit-required` (a service from a
 * visit names it).
 *
 * @since 0.1.0
 * @category errors
 */
export const RefusalRule = Schema.Literal(
  "service-exists",
  "service-not-found",
  "service-id",
  "time-order",
  "status",
  "role",
  "jurisdiction",
  "matter-required",
  "office-required",
  "result-required",
  "reason-required",
  "visit-required"
).annotations({ identifier: "ProxyServiceRefusalRule", title: "拒绝规则 refusal rule" })

/**
 * @since 0.1.0
 * @category models
 */
export type RefusalRule = typeof RefusalRule.Type

/**
 * 违规项 — one broken rule, the field concerned and a bilingual message.
 *
 * @since 0.1.0
 * @category errors
 */
export const Violation = Schema.Struct({
  rule: RefusalRule,
  field: Schema.String,
  message: Schema.String
}).annotations({ identifier: "ProxyServiceViolation", title: "违规项 violation" })

/**
 * @since 0.1.0
 * @category models
 */
export interface Violation extends Schema.Schema.Type<typeof Violation> {}

/**
 * 代办指令被拒 — the service, its status, the command, the actor's role, the
 * first rule broken and every rule broken.
 *
 * @since 0.1.0
 * @category errors
 */
export class ProxyServiceRefused extends Schema.TaggedError<ProxyServiceRefused>()("ProxyServiceRefused", {
  serviceId: ServiceId,
  status: Schema.Union(Status, Schema.Literal("none")),
  command: CommandTag,
  role: Role,
  rule: RefusalRule,
  field: Schema.String,
  violations: Schema.NonEmptyArray(Violation)
}) {
  override get message(): string {
    const status = this.status === "none" ? "none" : `${this.status} ${statusNames[this.status]}`
    return `代办 ${this.serviceId} (${status}) 拒绝${commandNames[this.command].zh} — ${commandNames[this.command].en} refused: ${this.violations.map((v) => v.message).join("; ")}`
  }
}

/**
 * 重放错误 — an event that does not continue the service.
 *
 * @since 0.1.0
 * @category errors
 */
export class ProxyServiceReplayError extends Schema.TaggedError<ProxyServiceReplayError>()(
  "ProxyServiceReplayError",
  {
    serviceId: ServiceId,
    index: Schema.NonNegativeInt,
    sequence: Schema.Int,
    expected: Schema.Int
  }
) {
  override get message(): string {
    return `代办 ${this.serviceId} 的第 ${this.index} 个事件序号为 ${this.sequence}，应为 ${this.expected} — event #${this.index} of proxy service ${this.serviceId} has sequence ${this.sequence}, expected ${this.expected}`
  }
}

// -----------------------------------------------------------------------------
// decide
// -----------------------------------------------------------------------------

const text = (s: string | undefined): string | undefined => {
  if (s === undefined) return undefined
  const t = s.trim()
  return t.length === 0 ? undefined : t
}

const violation = (rule: RefusalRule, field: string, message: string): Violation => ({ rule, field, message })

const authorize = (
  tag: CommandTag,
  actor: Actor,
  communityId: UnitId,
  householdUnitId: UnitId,
  out: Array<Violation>
): void => {
  const staff = actor.role === "grid-worker" || actor.role === "community-staff"
  const resident = tag === "Cancel" && actor.role === "resident"
  if (!staff && !resident) {
    out.push(
      violation(
        "role",
        "actor",
        `${roleNames[actor.role]} 不能${commandNames[tag].zh}代办 — role ${actor.role} may not ${commandNames[tag].en} a proxy service: it needs a 网格员 (grid-worker) or 社区工作人员 (community-staff) of community ${communityId}`
      )
    )
    return
  }
  const scope = resident ? householdUnitId : communityId
  if (actor.unitId !== scope && !(resident && actor.unitId === communityId)) {
    out.push(
      violation(
        "jurisdiction",
        "actor",
        `${actor.id} 代表 ${actor.unitId}，不属于 ${scope} — ${actor.id} acts for ${actor.unitId}, not for ${scope}`
      )
    )
  }
}

type Decision =
  | { readonly _tag: "Decided"; readonly events: ReadonlyArray<ProxyServiceEvent> }
  | { readonly _tag: "Refused"; readonly violations: ReadonlyArray<Violation> }

const refused = (violations: ReadonlyArray<Violation>): Decision => ({ _tag: "Refused", violations })

const decideWith = (command: ProxyServiceCommand, state: State): Decision => {
  const out: Array<Violation> = []
  const { actor, at } = command
  if (state._tag === "NoService") {
    if (command._tag !== "Accept")
      return refused([
        violation(
          "service-not-found",
          "serviceId",
          `代办 ${command.serviceId} 尚未受理 — no proxy service ${command.serviceId} has been accepted`
        )
      ])
    authorize("Accept", actor, command.communityId, command.householdUnitId, out)
    const matter = text(command.matter)
    if (matter === undefined)
      out.push(violation("matter-required", "matter", "代办需要事项 — a proxy service needs a matter"))
    if (command.source === "visit" && text(command.visitId) === undefined)
      out.push(
        violation(
          "visit-required",
          "visitId",
          "走访发现的代办需要走访编号 — a service found on a visit names the visit"
        )
      )
    if (out.length > 0 || matter === undefined) return refused(out)
    const note = text(command.note)
    const visitId = text(command.visitId)
    const accepted: Accepted = {
      _tag: "Accepted",
      serviceId: command.serviceId,
      sequence: 1,
      at,
      actor,
      householdId: command.householdId,
      householdUnitId: command.householdUnitId,
      communityId: command.communityId,
      matter,
      source: command.source,
      ...(visitId === undefined ? {} : { visitId }),
      ...(note === undefined ? {} : { note })
    }
    return { _tag: "Decided", events: [accepted] }
  }
  const s = state
  if (command.serviceId !== s.id)
    out.push(
      violation(
        "service-id",
        "serviceId",
        `指令针对代办 ${command.serviceId}，当前为 ${s.id} — the command names service ${command.serviceId}, this is ${s.id}`
      )
    )
  if (command._tag === "Accept") {
    out.push(
      violation(
        "service-exists",
        "serviceId",
        `代办 ${s.id} 已受理 — proxy service ${s.id} is already accepted`
      )
    )
    return refused(out)
  }
  if (DateTime.lessThan(at, s.updatedAt))
    out.push(
      violation(
        "time-order",
        "at",
        `指令时间早于上一事件 — the command is at ${DateTime.formatIso(at)}, before the last event at ${DateTime.formatIso(s.updatedAt)}`
      )
    )
  if (!isAllowed(s.status, command._tag))
    out.push(
      violation(
        "status",
        "status",
        `${statusNames[s.status]}的代办不能${commandNames[command._tag].zh} — ${commandNames[command._tag].en} is not allowed while the service is ${s.status}`
      )
    )
  authorize(command._tag, actor, s.communityId, s.householdUnitId, out)
  const base = { serviceId: s.id, sequence: s.version + 1, at, actor }
  let event: ProxyServiceEvent | undefined
  switch (command._tag) {
    case "Submit": {
      const office = text(command.office)
      const reference = text(command.reference)
      if (office === undefined)
        out.push(violation("office-required", "office", "递交需要承办单位 — submitting needs the office"))
      else event = { _tag: "Submitted", ...base, office, ...(reference === undefined ? {} : { reference }) }
      break
    }
    case "Complete": {
      const result = text(command.result)
      if (result === undefined)
        out.push(violation("result-required", "result", "办结需要结果 — completing needs the result"))
      else event = { _tag: "Completed", ...base, result }
      break
    }
    case "Cancel": {
      const reason = text(command.reason)
      if (reason === undefined)
        out.push(violation("reason-required", "reason", "撤销需要原因 — cancelling needs a reason"))
      else event = { _tag: "Cancelled", ...base, reason }
      break
    }
  }
  if (out.length > 0) return refused(out)
  return event === undefined
    ? refused([violation("status", "status", `${commandNames[command._tag].en} has nothing to act on`)])
    : { _tag: "Decided", events: [event] }
}

/**
 * 决策 — checks a command against a state. Right: the events it causes,
 * numbered from `state.version + 1`. Left: a `ProxyServiceRefused` listing
 * every rule broken. Pure.
 *
 * @since 0.1.0
 * @category decider
 */
export const decide = (
  command: ProxyServiceCommand,
  state: State
): Either.Either<ReadonlyArray<ProxyServiceEvent>, ProxyServiceRefused> => {
  const decision = decideWith(command, state)
  if (decision._tag === "Decided") return Either.right(decision.events)
  const [first, ...rest] = decision.violations
  if (first === undefined) return Either.right([])
  return Either.left(
    new ProxyServiceRefused({
      serviceId: command.serviceId,
      status: state._tag === "ProxyService" ? state.status : "none",
      command: command._tag,
      role: command.actor.role,
      rule: first.rule,
      field: first.field,
      violations: [first, ...rest]
    })
  )
}

// -----------------------------------------------------------------------------
// evolve
// -----------------------------------------------------------------------------

const continues = (state: State, event: ProxyServiceEvent): boolean =>
  state._tag === "NoService"
    ? event._tag === "Accepted" && event.sequence === 1
    : event._tag !== "Accepted" && event.serviceId === state.id && event.sequence === state.version + 1

const apply = (state: State, event: ProxyServiceEvent): State => {
  if (event._tag === "Accepted")
    return {
      _tag: "ProxyService",
      id: event.serviceId,
      version: event.sequence,
      status: "accepted",
      householdId: event.householdId,
      householdUnitId: event.householdUnitId,
      communityId: event.communityId,
      matter: event.matter,
      source: event.source,
      visitId: event.visitId ?? null,
      acceptedBy: event.actor.id,
      acceptedAt: event.at,
      office: null,
      reference: null,
      submittedAt: null,
      result: null,
      doneAt: null,
      cancelReason: null,
      cancelledAt: null,
      updatedAt: event.at
    }
  if (state._tag === "NoService") return state
  const next = { ...state, version: event.sequence, updatedAt: event.at }
  switch (event._tag) {
    case "Submitted":
      return {
        ...next,
        status: "submitted",
        office: event.office,
        reference: event.reference ?? null,
        submittedAt: event.at
      }
    case "Completed":
      return { ...next, status: "done", result: event.result, doneAt: event.at }
    case "Cancelled":
      return { ...next, status: "cancelled", cancelReason: event.reason, cancelledAt: event.at }
  }
}

/**
 * 演进 — applies one event; an event that does not continue the service
 * leaves the state unchanged.
 *
 * @since 0.1.0
 * @category decider
 */
export const evolve = (state: State, event: ProxyServiceEvent): State =>
  continues(state, event) ? apply(state, event) : state

/**
 * 决策器 — the proxy service as a `Decider` (initial, decide, evolve) for the
 * shared decider kit.
 *
 * @since 0.1.0
 * @category decider
 */
export const decider: Decider.Decider<ProxyServiceCommand, State, ProxyServiceEvent, ProxyServiceRefused> =
  Decider.make({ initial, decide, evolve })

/**
 * 折叠 — `evolve` over the events from `initial`.
 *
 * @since 0.1.0
 * @category decider
 */
export const fold: (events: Iterable<ProxyServiceEvent>) => State = Decider.fold(decider)

/**
 * 重放 — the strict fold: the state, or the first event that does not continue the service.
 *
 * @since 0.1.0
 * @category decider
 */
export const replay: (
  events: ReadonlyArray<ProxyServiceEvent>
) => Either.Either<State, ProxyServiceReplayError> = Decider.replay(decider, {
  continues,
  broken: (state, event, index) =>
    new ProxyServiceReplayError({
      serviceId: state._tag === "ProxyService" ? state.id : event.serviceId,
      index,
      sequence: event.sequence,
      expected: state.version + 1
    })
})

/**
 * 执行 — `decide`, then `evolve`: the events to append and the state they lead to.
 *
 * @since 0.1.0
 * @category decider
 */
export const execute: (
  state: State,
  command: ProxyServiceCommand
) => Either.Either<
  { readonly events: ReadonlyArray<ProxyServiceEvent>; readonly state: State },
  ProxyServiceRefused
> = Decider.execute(decider)

/**
 * Whether a state holds a service.
 *
 * @since 0.1.0
 * @category predicates
 */
export const isService = (state: State): state is ProxyService => state._tag === "ProxyService"

/**
 * Whether a status is open (accepted or submitted).
 *
 * @since 0.1.0
 * @category predicates
 */
export const isOpen = (status: Status): boolean => status === "accepted" || status === "submitted"
