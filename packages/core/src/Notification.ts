/**
 * 通知 — telling people what happened to a case: the handler that a case was
 * dispatched to it (派遣), the party responsible for a step that its timer
 * light turned yellow or red (计时灯 预警/超期), the handler that a case was
 * supervised (督办/催办), and a reporter who agreed to it (`notifyReporter`,
 * 同意接收进度通知) that their case's status changed.
 *
 * - `fromEvent` / `fromHistory` (pure) turn a stored event into its
 *   notifications; `crossings` (pure) finds the lights a case turned in a
 *   window of time, `lightNotifications` addresses them.
 * - `Notifier` is the port a deployment fills (SMS, 政务微信/钉钉, app push);
 *   `layerLog` is the reference adapter: one log line per notification, the
 *   reporter's phone masked (`Privacy.scrub`).
 * - `subscriber` delivers event notifications through the outbox
 *   (`EventDelivery`: at-least-once, per case in order, retried on failure);
 *   `lightJob` is the `Scheduler` job that sends the light notifications of
 *   the window since its last run, its cursor kept in the store (`JobCursor`).
 *
 * **Idempotency.** Every notification has a deterministic id — an event's
 * `<eventId>:<trigger>:<recipient>`, a light's
 * `<caseId>:<step>@<stepStartedAt>:<color>:<mark>` — the same whenever it is
 * sent again (a retried delivery, a job run again after a crash), so a
 * provider dedupes on it.
 *
 * **Personal data.** A reporter's contact is passed to the `Notifier` (it has
 * to reach them) but never written to logs unmasked, and a reporter's
 * notification says only the case id and its status: no internal note.
 *
 * @since 0.1.0
 */
import * as Clock from "effect/Clock"
import * as Context from "effect/Context"
import * as DateTime from "effect/DateTime"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import * as Schema from "effect/Schema"
import { ActorId, DepartmentId } from "./Actor.js"
import * as Case from "./Case.js"
import type { CaseEvent } from "./CaseEvent.js"
import { CaseRepository, type CaseSummary } from "./CaseRepository.js"
import type { CaseStep } from "./CaseStep.js"
import * as EventDelivery from "./EventDelivery.js"
import { JobCursor } from "./JobCursor.js"
import * as Privacy from "./Privacy.js"
import * as Scheduler from "./Scheduler.js"
import type { StorageUnavailable } from "./Storage.js"
import { UnitId } from "./Unit.js"

// -----------------------------------------------------------------------------
// models
// -----------------------------------------------------------------------------

/**
 * 通知触发 — why a notification is sent: `dispatched` 派遣, `lightYellow`
 * 黄灯预警, `lightRed` 红灯超期, `supervised` 督办/催办, `statusChanged` 进度变化.
 *
 * @since 0.1.0
 * @category schemas
 */
export const Trigger = Schema.Literal(
  "dispatched",
  "lightYellow",
  "lightRed",
  "supervised",
  "statusChanged"
).annotations({
  identifier: "NotificationTrigger",
  title: "通知触发 notification trigger",
  description:
    "dispatched 派遣 | lightYellow 黄灯预警 | lightRed 红灯超期 | supervised 督办 | statusChanged 进度变化"
})

/**
 * @since 0.1.0
 * @category models
 */
export type Trigger = typeof Trigger.Type

/**
 * 通知对象 — who is told: a unit (its duty staff), a functional department, a
 * staff member by actor id, or a reporter at their contact phone (personal
 * data: passed to the `Notifier`, never logged unmasked — see `describe`).
 *
 * @since 0.1.0
 * @category schemas
 */
export const Recipient = Schema.Union(
  Schema.TaggedStruct("Unit", { unitId: UnitId }),
  Schema.TaggedStruct("Department", { departmentId: DepartmentId }),
  Schema.TaggedStruct("Staff", { actorId: ActorId }),
  Schema.TaggedStruct("Reporter", {
    phone: Schema.NonEmptyTrimmedString,
    name: Schema.optionalWith(Schema.NonEmptyTrimmedString, { exact: true })
  })
).annotations({ identifier: "NotificationRecipient", title: "通知对象 recipient" })

/**
 * @since 0.1.0
 * @category models
 */
export type Recipient = typeof Recipient.Type

/**
 * 通知 — one message to one recipient: its id (the idempotency key a provider
 * dedupes on), why, about which case, when it happened, and a title and body
 * in Chinese followed by an English line.
 *
 * @since 0.1.0
 * @category schemas
 */
export const Notification = Schema.Struct({
  id: Schema.String,
  trigger: Trigger,
  caseId: Case.CaseId,
  recipient: Recipient,
  at: Schema.DateTimeUtc,
  title: Schema.String,
  body: Schema.String
}).annotations({ identifier: "Notification", title: "通知 notification" })

/**
 * @since 0.1.0
 * @category models
 */
export interface Notification extends Schema.Schema.Type<typeof Notification> {}

/**
 * 通知失败 — a notification could not be sent (the provider refused or was
 * unreachable); the sender retries it.
 *
 * @since 0.1.0
 * @category errors
 */
export class NotificationFailed extends Schema.TaggedError<NotificationFailed>()("NotificationFailed", {
  notificationId: Schema.String,
  reason: Schema.String
}) {
  override get message(): string {
    return `通知发送失败 notification ${this.notificationId} was not sent: ${this.reason}`
  }
}

/**
 * 通知端口 — sends one notification (SMS, 政务微信/钉钉, app push …). It may be
 * called again with the same notification (same id): dedupe on the id.
 *
 * @since 0.1.0
 * @category tags
 */
export class Notifier extends Context.Tag("@civicgrid/core/Notification/Notifier")<
  Notifier,
  { readonly send: (notification: Notification) => Effect.Effect<void, NotificationFailed> }
>() {}

// -----------------------------------------------------------------------------
// recipients
// -----------------------------------------------------------------------------

/**
 * The key of a recipient in a notification id: `unit/<id>`, `department/<id>`,
 * `staff/<id>`, `reporter` (never the phone: ids are logged).
 *
 * @since 0.1.0
 * @category getters
 */
export const recipientKey = (recipient: Recipient): string => {
  switch (recipient._tag) {
    case "Unit":
      return `unit/${recipient.unitId}`
    case "Department":
      return `department/${recipient.departmentId}`
    case "Staff":
      return `staff/${recipient.actorId}`
    case "Reporter":
      return "reporter"
  }
}

/**
 * 手机号脱敏 — a phone number as it may be logged: `Privacy.scrub`'s mask
 * (`138****5678`); a text it does not recognise as a number keeps only its
 * last 4 digits (every other digit `*`).
 *
 * @since 0.1.0
 * @category privacy
 */
export const maskPhone = (phone: string): string => {
  const scrubbed = Privacy.scrub(phone)
  if (scrubbed !== phone) return scrubbed
  const digits = [...phone].filter((c) => c >= "0" && c <= "9").length
  let seen = 0
  return [...phone]
    .map((c) => {
      if (c < "0" || c > "9") return c
      seen++
      return seen > digits - 4 ? c : "*"
    })
    .join("")
}

/**
 * A recipient as it may be logged: the reporter's phone masked, their name left out.
 *
 * @since 0.1.0
 * @category privacy
 */
export const describeRecipient = (recipient: Recipient): string =>
  recipient._tag === "Reporter" ? `reporter ${maskPhone(recipient.phone)}` : recipientKey(recipient)

/**
 * 通知日志行 — one notification as one log line: id, trigger, case, recipient
 * (masked, `describeRecipient`), title.
 *
 * @since 0.1.0
 * @category privacy
 */
export const describe = (n: Notification): string =>
  `通知 notification ${n.id} [${n.trigger}] case ${n.caseId} → ${describeRecipient(n.recipient)}: ${n.title}`

/** The handler of a dispatch target. */
const handlerOf = (target: Case.DispatchTarget): Recipient =>
  target._tag === "Unit"
    ? { _tag: "Unit", unitId: target.unitId }
    : { _tag: "Department", departmentId: target.departmentId }

/**
 * 责任方 — who answers for a case now: its handler (the dispatch target)
 * while it is dispatched to one, else the unit that owns it.
 *
 * @since 0.1.0
 * @category getters
 */
export const responsibleOf = (state: Case.Case): Recipient =>
  state.dispatchTarget === null
    ? { _tag: "Unit", unitId: state.ownerUnitId }
    : handlerOf(state.dispatchTarget)

// -----------------------------------------------------------------------------
// event notifications
// -----------------------------------------------------------------------------

/**
 * 事件通知上下文 — what `fromEvent` needs besides the event: the case before
 * and after it, and the reporter's contact as reported (the case state keeps
 * no personal data; `fromHistory` takes it from the `Reported` event).
 *
 * @since 0.1.0
 * @category models
 */
export interface EventContext {
  readonly before: Case.State
  readonly after: Case.Case
  readonly contact?: typeof Case.RecordedContact.Type | undefined
}

const statusEn = (status: Case.Status): string => status

const make = (
  event: CaseEvent,
  trigger: Trigger,
  recipient: Recipient,
  title: string,
  body: string
): Notification => ({
  id: `${EventDelivery.eventId(event.caseId, event.sequence)}:${trigger}:${recipientKey(recipient)}`,
  trigger,
  caseId: event.caseId,
  recipient,
  at: event.at,
  title,
  body
})

/**
 * 事件通知 — the notifications of one event (pure):
 *
 * - `Dispatched` → `dispatched` to its handler (the dispatch target);
 * - `Supervised` → `supervised` to whoever answers for the case after it
 *   (`responsibleOf`: the handler, else the owner unit);
 * - any event after the report that changes the case's status →
 *   `statusChanged` to the reporter, only when they consented
 *   (`notifyReporter`), are not anonymous and left a contact phone. The
 *   report itself tells nobody (the reporter knows).
 *
 * Ids are `<eventId>:<trigger>:<recipientKey>`: the same event gives the same ids.
 *
 * @since 0.1.0
 * @category constructors
 */
export const fromEvent = (event: CaseEvent, context: EventContext): ReadonlyArray<Notification> => {
  const out: Array<Notification> = []
  const { after, before } = context
  if (event._tag === "Dispatched") {
    const handler = handlerOf(event.target)
    out.push(
      make(
        event,
        "dispatched",
        handler,
        `案件派遣 ${event.caseId}`,
        `案件 ${event.caseId} 已派遣给你单位处置，请按时限办理。\nCase ${event.caseId} was dispatched to you for handling.`
      )
    )
  }
  if (event._tag === "Supervised") {
    const level = event.level === "supervise" ? "督办" : "催办"
    out.push(
      make(
        event,
        "supervised",
        responsibleOf(after),
        `案件${level} ${event.caseId}`,
        `案件 ${event.caseId} 被${level}，请尽快办理。\nCase ${event.caseId} was ${event.level === "supervise" ? "supervised" : "urged"}: please act on it.`
      )
    )
  }
  const phone = context.contact?.phone
  if (
    before._tag === "Case" &&
    before.status !== after.status &&
    after.notifyReporter === true &&
    !after.anonymous &&
    phone !== undefined
  ) {
    const recipient: Recipient = {
      _tag: "Reporter",
      phone,
      ...(context.contact?.name === undefined ? {} : { name: context.contact.name })
    }
    out.push(
      make(
        event,
        "statusChanged",
        recipient,
        `案件进度 ${event.caseId}`,
        `您反映的案件 ${event.caseId} 状态：${Case.statusNames[before.status]} → ${Case.statusNames[after.status]}。\nYour case ${event.caseId}: ${statusEn(before.status)} → ${statusEn(after.status)}.`
      )
    )
  }
  return out
}

/**
 * 事件通知（由历史） — `fromEvent` for the event of `history` with sequence
 * `sequence`: the states are the fold of the history before and through it,
 * the contact the `Reported` event's. None when the history lacks the event.
 *
 * @since 0.1.0
 * @category constructors
 */
export const fromHistory = (
  history: ReadonlyArray<CaseEvent>,
  sequence: number
): ReadonlyArray<Notification> => {
  const event = history.find((e) => e.sequence === sequence)
  if (event === undefined) return []
  const earlier = history.filter((e) => e.sequence < sequence)
  const before = Case.fold(earlier)
  const after = Case.evolve(before, event)
  if (after._tag !== "Case") return []
  const reported = history.find((e) => e._tag === "Reported")
  return fromEvent(event, {
    before,
    after,
    contact: reported?._tag === "Reported" ? reported.contact : undefined
  })
}

// -----------------------------------------------------------------------------
// timer lights
// -----------------------------------------------------------------------------

/**
 * 变灯 — a case's light turning yellow or red at `mark` during its step
 * `step` (started `stepStartedAt`).
 *
 * @since 0.1.0
 * @category models
 */
export interface Crossing {
  readonly caseId: Case.CaseId
  readonly color: "yellow" | "red"
  readonly mark: DateTime.Utc
  readonly step: CaseStep
  readonly stepStartedAt: DateTime.Utc
}

/**
 * 窗口内变灯 — the lights an open case turned in the window (`since`,
 * `until`] (pure): yellow when its `yellowAt` lies in it, red when its
 * `redAt` does (both when both). A case not open or without a running clock
 * (`yellowAt` / `redAt` null) turned none. Windows that tile time — (t0, t1],
 * (t1, t2] … — find each crossing exactly once.
 *
 * @since 0.1.0
 * @category getters
 */
export const crossings = (
  summary: Pick<CaseSummary, "caseId" | "status" | "step" | "stepStartedAt" | "yellowAt" | "redAt">,
  since: DateTime.Utc,
  until: DateTime.Utc
): ReadonlyArray<Crossing> => {
  const { redAt, step, stepStartedAt, yellowAt } = summary
  if (
    !Case.isOpen(summary.status) ||
    yellowAt === null ||
    redAt === null ||
    step === null ||
    stepStartedAt === null
  )
    return []
  const lo = DateTime.toEpochMillis(since)
  const hi = DateTime.toEpochMillis(until)
  const within = (mark: DateTime.Utc) => {
    const t = DateTime.toEpochMillis(mark)
    return t > lo && t <= hi
  }
  const out: Array<Crossing> = []
  if (within(yellowAt))
    out.push({ caseId: summary.caseId, color: "yellow", mark: yellowAt, step, stepStartedAt })
  if (within(redAt)) out.push({ caseId: summary.caseId, color: "red", mark: redAt, step, stepStartedAt })
  return out
}

const stepNames: Readonly<Record<CaseStep, string>> = {
  filing: "立案",
  dispatch: "派遣",
  handling: "处置",
  verification: "核查",
  evaluation: "回访"
}

/**
 * 变灯通知 — the notification of a crossing (pure), to whoever answers for
 * the case (`responsibleOf`); id `<caseId>:<step>@<stepStartedAt>:<color>:<mark>`
 * (epoch milliseconds), so an extension that moves a mark notifies again and
 * a repeated window does not.
 *
 * @since 0.1.0
 * @category constructors
 */
export const lightNotification = (crossing: Crossing, state: Case.Case): Notification => {
  const red = crossing.color === "red"
  const step = `${stepNames[crossing.step]}环节`
  return {
    id: `${crossing.caseId}:${crossing.step}@${DateTime.toEpochMillis(crossing.stepStartedAt)}:${crossing.color}:${DateTime.toEpochMillis(crossing.mark)}`,
    trigger: red ? "lightRed" : "lightYellow",
    caseId: crossing.caseId,
    recipient: responsibleOf(state),
    at: crossing.mark,
    title: red ? `案件超期 ${crossing.caseId}` : `案件预警 ${crossing.caseId}`,
    body: red
      ? `案件 ${crossing.caseId} ${step}已超期（红灯），请立即办理。\nCase ${crossing.caseId} is overdue at its ${crossing.step} step (red light).`
      : `案件 ${crossing.caseId} ${step}时限将到（黄灯），请抓紧办理。\nCase ${crossing.caseId} nears its ${crossing.step} deadline (yellow light).`
  }
}

// -----------------------------------------------------------------------------
// adapters and workers
// -----------------------------------------------------------------------------

/**
 * 日志通知 — the reference `Notifier`: one `Effect.logInfo` line per
 * notification (`describe`: the reporter's phone masked, no name); never fails.
 *
 * @since 0.1.0
 * @category layers
 */
export const layerLog: Layer.Layer<Notifier> = Layer.succeed(Notifier, {
  send: (n) =>
    Effect.logInfo(describe(n)).pipe(
      Effect.withSpan("Notification.send", { attributes: { "civicgrid.notification": n.id } })
    )
})

/**
 * 发送 — sends notifications one after the other; the first failure stops.
 *
 * @since 0.1.0
 * @category running
 */
export const sendAll = (
  notifications: ReadonlyArray<Notification>
): Effect.Effect<number, NotificationFailed, Notifier> =>
  Effect.flatMap(Notifier, (notifier) =>
    Effect.as(Effect.forEach(notifications, notifier.send, { discard: true }), notifications.length)
  )

/**
 * 订阅选项 — the subscriber's id (default `notifications`; its delivery state
 * is kept under it).
 *
 * @since 0.1.0
 * @category models
 */
export interface SubscriberOptions {
  readonly id?: string
}

/**
 * 通知订阅者 — an `EventDelivery.Subscriber` of kind `notifications`: each
 * delivered event's notifications (`fromHistory`, the case's events read
 * through `CaseRepository`) sent through the `Notifier`. A failure (store or
 * provider) is a `DeliveryFailed`: the outbox retries the event, and its
 * notifications keep their ids.
 *
 * @since 0.1.0
 * @category constructors
 */
export const subscriber = (
  options: SubscriberOptions = {}
): EventDelivery.Subscriber<CaseRepository | Notifier> => {
  const id = options.id ?? "notifications"
  const failed = (eventId: string) => (error: StorageUnavailable | NotificationFailed) =>
    new EventDelivery.DeliveryFailed({ subscriberId: id, eventId, reason: error.message })
  return {
    id,
    kind: "notifications",
    config: {},
    deliver: (delivered) =>
      Effect.gen(function* () {
        const repo = yield* CaseRepository
        const history = yield* repo.events(delivered.caseId)
        if (!history.some((e) => e.sequence === delivered.sequence)) {
          return yield* Effect.fail(
            new EventDelivery.DeliveryFailed({
              subscriberId: id,
              eventId: delivered.id,
              reason: `事件缺失 event ${delivered.id} is not in the case's history`
            })
          )
        }
        yield* sendAll(fromHistory(history, delivered.sequence))
      }).pipe(
        Effect.catchTags({
          StorageUnavailable: (e) => Effect.fail(failed(delivered.id)(e)),
          NotificationFailed: (e) => Effect.fail(failed(delivered.id)(e))
        }),
        Effect.withSpan("Notification.deliver", { attributes: { "civicgrid.event": delivered.id } })
      )
  }
}

/**
 * 变灯任务选项 — the job's name (also its lease's and its cursor's; default
 * `timer-light-notifications`) and the cases read per batch (`batchSize`,
 * default 100).
 *
 * @since 0.1.0
 * @category models
 */
export interface LightJobOptions {
  readonly name?: string
  readonly batchSize?: number
}

/**
 * 变灯任务结果 — one run's window (epoch milliseconds; `since === until` on
 * the first run ever, which only sets the cursor) and how many notifications
 * it sent.
 *
 * @since 0.1.0
 * @category models
 */
export interface LightReport {
  readonly since: number
  readonly until: number
  readonly sent: number
}

/**
 * 变灯一次 — one run: the window (cursor, now] (the first run ever sets the
 * cursor to now and sends nothing: old lights are not replayed), the open
 * cases whose light turned in it (`CaseRepository.lightsCrossed`, by batches),
 * one notification per crossing to whoever answers for the case (the case's
 * events folded), then the cursor advanced to now. A failure leaves the
 * cursor: the next run sends the window again (at-least-once; the ids let a
 * provider dedupe).
 *
 * @since 0.1.0
 * @category running
 */
export const lightsOnce = (
  options: LightJobOptions = {}
): Effect.Effect<
  LightReport,
  StorageUnavailable | NotificationFailed,
  CaseRepository | Notifier | JobCursor
> =>
  Effect.gen(function* () {
    const name = options.name ?? lightJobName
    const limit = Math.min(500, Math.max(1, Math.floor(options.batchSize ?? 100)))
    const cursors = yield* JobCursor
    const repo = yield* CaseRepository
    const now = yield* Clock.currentTimeMillis
    const cursor = yield* cursors.get(name)
    if (Option.isNone(cursor)) {
      yield* cursors.set(name, now)
      return { since: now, until: now, sent: 0 }
    }
    const since = cursor.value
    if (now <= since) return { since, until: since, sent: 0 }
    const window = { since: DateTime.unsafeMake(since), until: DateTime.unsafeMake(now) }
    let sent = 0
    let after: string | undefined
    for (;;) {
      const batch = yield* repo.lightsCrossed({ ...window, limit, ...(after === undefined ? {} : { after }) })
      for (const summary of batch) {
        const crossed = crossings(summary, window.since, window.until)
        if (crossed.length === 0) continue
        const state = Case.fold(yield* repo.events(summary.caseId))
        if (state._tag !== "Case") continue
        sent += yield* sendAll(crossed.map((crossing) => lightNotification(crossing, state)))
      }
      const last = batch[batch.length - 1]
      if (batch.length < limit || last === undefined) break
      after = last.caseId
    }
    yield* cursors.set(name, now)
    return { since, until: now, sent }
  }).pipe(Effect.withSpan("Notification.lightsOnce"))

const lightJobName = "timer-light-notifications"

/**
 * 变灯通知任务 — `lightsOnce` as a `Scheduler` job (default name
 * `timer-light-notifications`; one instance runs it per tick under its
 * lease); it logs a line when a run sent something.
 *
 * @since 0.1.0
 * @category running
 */
export const lightJob = (
  options: LightJobOptions = {}
): Scheduler.Job<CaseRepository | Notifier | JobCursor> =>
  Scheduler.job(options.name ?? lightJobName, lightsOnce(options), (report) =>
    report.sent === 0 ? Option.none() : Option.some(`变灯通知 sent ${report.sent} timer light notifications`)
  )
