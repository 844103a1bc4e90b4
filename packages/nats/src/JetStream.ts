/**
 * 消息队列投递 — NATS JetStream: an `EventDelivery` subscriber that publishes
 * each stored case event to a JetStream stream, acknowledged by the stream
 * once it is persisted.
 *
 * **Subjects.** An event goes to `<subjectPrefix>.<type>` (default prefix
 * `civicgrid.cases`, e.g. `civicgrid.cases.Closed`), the type being the
 * event's tag. A consumer filters by type with the subject
 * (`civicgrid.cases.Closed`, or `civicgrid.cases.>` for all). The case id is
 * not a subject token: it is free text (dots, spaces and `*`/`>` are subject
 * syntax), and a subject per case would grow the stream's subject index with
 * every case; it travels in a header. Per-case order is the stream's own:
 * one stream has one sequence, and the worker publishes a case's events one
 * at a time, each after the previous one's acknowledgement, so every
 * consumer — filtered by type or not — sees a case's events in sequence.
 *
 * **Payload.** The JSON `{ id, caseId, sequence, type, at, event }` (`event`
 * in its stored JSON encoding, `at` ISO-8601 UTC) — the body a webhook gets.
 *
 * **Headers.** `Nats-Msg-Id` is the event id `<caseId>:<sequence>`: JetStream
 * drops a message whose id it has already stored within the stream's
 * duplicate window (default 2 minutes), so the outbox's at-least-once
 * delivery (a worker killed after the publish, before marking it delivered,
 * publishes again) lands once in the stream. Then `Civicgrid-Event-Id`,
 * `Civicgrid-Case-Id`, `Civicgrid-Sequence` and `Civicgrid-Type`. Header
 * values carry visible ASCII only: any other character, and `%`, is
 * percent-encoded as UTF-8 (`headerValue`; `decodeURIComponent` reverses it).
 * A redelivery later than the window is stored again: consumers that must
 * never see an event twice still dedupe on `Civicgrid-Event-Id`.
 *
 * **Delivery.** A publish counts only when the stream's acknowledgement
 * (PubAck) arrives — a duplicate's too, the event being stored already. No
 * acknowledgement within `timeout`, a lost connection, or no stream for the
 * subject is a `DeliveryFailed`, retried with back-off; the connection
 * reconnects on its own meanwhile.
 *
 * @since 0.1.0
 */
import { CaseEvent } from "@civicgrid/core/CaseEvent"
import * as EventDelivery from "@civicgrid/core/EventDelivery"
import * as DateTime from "effect/DateTime"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Redacted from "effect/Redacted"
import * as Schema from "effect/Schema"
import type * as Scope from "effect/Scope"
import type * as NatsClient from "./internal/nats.js"

/**
 * The defaults of `Options`.
 *
 * @since 0.1.0
 * @category constants
 */
export const defaults = {
  id: "nats",
  stream: "CIVICGRID",
  subjectPrefix: "civicgrid.cases",
  duplicateWindow: "2 minutes",
  timeout: "5 seconds",
  reconnectWait: "2 seconds"
} as const

/**
 * The header names (NATS header names are case-sensitive as sent).
 *
 * @since 0.1.0
 * @category headers
 */
export const headerNames = {
  msgId: "Nats-Msg-Id",
  eventId: "Civicgrid-Event-Id",
  caseId: "Civicgrid-Case-Id",
  sequence: "Civicgrid-Sequence",
  type: "Civicgrid-Type"
} as const

const encodeEvent = Schema.encodeSync(CaseEvent)

/**
 * 头部取值 — a text as a header carries it: visible ASCII as is, `%` and
 * every other character percent-encoded (UTF-8).
 *
 * @since 0.1.0
 * @category headers
 */
export const headerValue = (text: string): string =>
  text.replace(/[^\x21-\x24\x26-\x7e]/gu, (c) => encodeURIComponent(c))

/**
 * 主题 — the subject of an event type: `<subjectPrefix>.<type>`.
 *
 * @since 0.1.0
 * @category encoding
 */
export const subject = (subjectPrefix: string, type: CaseEvent["_tag"]): string => `${subjectPrefix}.${type}`

/**
 * 消息正文 — the JSON payload of an event.
 *
 * @since 0.1.0
 * @category encoding
 */
export const payload = (event: EventDelivery.OutboxEvent): string =>
  JSON.stringify({
    id: event.id,
    caseId: event.caseId,
    sequence: event.sequence,
    type: event.type,
    at: DateTime.formatIso(event.at),
    event: encodeEvent(event.event)
  })

/**
 * 消息头 — the headers of an event's message (`Nats-Msg-Id` included).
 *
 * @since 0.1.0
 * @category encoding
 */
export const messageHeaders = (event: EventDelivery.OutboxEvent): Record<string, string> => ({
  [headerNames.msgId]: headerValue(event.id),
  [headerNames.eventId]: headerValue(event.id),
  [headerNames.caseId]: headerValue(event.caseId),
  [headerNames.sequence]: String(event.sequence),
  [headerNames.type]: event.type
})

/**
 * 消息队列订阅者配置 — the subscriber's id (default `nats`), the server URL(s),
 * the stream (default `CIVICGRID`) and subject prefix (default
 * `civicgrid.cases`), the event types (none: all), the duplicate window of a
 * stream it creates (default 2 minutes), whether it creates the stream or
 * adds `<subjectPrefix>.>` to it (`ensureStream`, default true; false needs
 * no stream-management permission), the time to wait for a connection or an
 * acknowledgement (default 5 s), the wait between reconnection attempts
 * (default 2 s), and credentials: a token, or a user and password.
 *
 * @since 0.1.0
 * @category models
 */
export interface Options {
  readonly id?: string | undefined
  readonly servers: string | ReadonlyArray<string>
  readonly stream?: string | undefined
  readonly subjectPrefix?: string | undefined
  readonly types?: ReadonlyArray<CaseEvent["_tag"]> | undefined
  readonly duplicateWindow?: Duration.DurationInput | undefined
  readonly ensureStream?: boolean | undefined
  readonly timeout?: Duration.DurationInput | undefined
  readonly reconnectWait?: Duration.DurationInput | undefined
  readonly token?: Redacted.Redacted<string> | undefined
  readonly user?: string | undefined
  readonly password?: Redacted.Redacted<string> | undefined
}

/**
 * 消息队列不可用 — the subscriber could not start: an option breaks its rule
 * (`operation` `options`, `field` naming it), the servers did not answer
 * (`connect`), or the stream could not be read, created or extended
 * (`stream`: JetStream off, no permission, a conflicting stream).
 *
 * @since 0.1.0
 * @category errors
 */
export class JetStreamError extends Schema.TaggedError<JetStreamError>()("JetStreamError", {
  operation: Schema.Literal("options", "connect", "stream"),
  field: Schema.optional(Schema.String),
  servers: Schema.String,
  reason: Schema.String
}) {
  override get message(): string {
    if (this.operation === "options") {
      return `消息队列配置无效 NATS option ${this.field ?? "?"} is invalid: ${this.reason}`
    }
    if (this.operation === "connect") {
      return `无法连接消息队列 cannot connect to NATS at ${this.servers}: ${this.reason}`
    }
    return `消息流不可用 the JetStream stream at ${this.servers} is unavailable: ${this.reason}`
  }
}

const subjectToken = /^[^\s.*>]+$/u
const streamName = /^[^\s.*>/\\]+$/u

const millis = (input: Duration.DurationInput): number => Duration.toMillis(Duration.decode(input))

/**
 * 消息队列订阅者 — an `EventDelivery.Subscriber` of kind `nats` over one
 * connection, open for the scope (drained when it closes); the stream is
 * made ready first (`ensureStream`). Fails with `JetStreamError` when an
 * option is invalid or the servers or the stream are unavailable at start.
 *
 * @since 0.1.0
 * @category constructors
 */
export const subscriber = (
  options: Options
): Effect.Effect<EventDelivery.Subscriber, JetStreamError, Scope.Scope> =>
  Effect.gen(function* () {
    const id = options.id ?? defaults.id
    const servers = typeof options.servers === "string" ? [options.servers] : [...options.servers]
    const stream = options.stream ?? defaults.stream
    const prefix = options.subjectPrefix ?? defaults.subjectPrefix
    const serverList = servers.join(",")
    const invalid = (field: string, reason: string) =>
      new JetStreamError({ operation: "options", field, servers: serverList, reason })
    if (servers.length === 0 || servers.some((s) => s.trim() === "")) {
      return yield* invalid("servers", "须至少一个服务器地址 needs at least one server URL")
    }
    if (!streamName.test(stream)) {
      return yield* invalid(
        "stream",
        "流名称不得含空白、. * > / \\ a stream name has no spaces, . * > / or \\"
      )
    }
    if (!prefix.split(".").every((token) => subjectToken.test(token))) {
      return yield* invalid(
        "subjectPrefix",
        "主题前缀须为以 . 分隔的非空词，不含空白、* 或 > dot-separated non-empty tokens without spaces, * or >"
      )
    }
    if (id.trim() === "") return yield* invalid("id", "订阅者编号不得为空 the subscriber id is empty")
    const duplicateWindow = millis(options.duplicateWindow ?? defaults.duplicateWindow)
    const timeout = millis(options.timeout ?? defaults.timeout)
    const reconnectWait = millis(options.reconnectWait ?? defaults.reconnectWait)
    if (!(duplicateWindow > 0) || !Number.isFinite(duplicateWindow)) {
      return yield* invalid("duplicateWindow", "去重窗口须为正的有限时长 must be a positive, finite duration")
    }
    if (!(timeout > 0) || !Number.isFinite(timeout)) {
      return yield* invalid("timeout", "超时须为正的有限时长 must be a positive, finite duration")
    }
    if (!(reconnectWait >= 0) || !Number.isFinite(reconnectWait)) {
      return yield* invalid("reconnectWait", "重连间隔须为有限时长 must be a finite duration")
    }

    // the NATS client (about 60 modules) is loaded by the first subscriber, not by importing this module
    const Nats: typeof NatsClient = yield* Effect.promise(() => import("./internal/nats.js"))
    const connection = yield* Effect.acquireRelease(
      Effect.tryPromise({
        try: () =>
          Nats.open({
            servers,
            name: `civicgrid ${id}`,
            timeout,
            reconnectWait,
            token: options.token === undefined ? undefined : Redacted.value(options.token),
            user: options.user,
            password: options.password === undefined ? undefined : Redacted.value(options.password)
          }),
        catch: (error) =>
          new JetStreamError({ operation: "connect", servers: serverList, reason: Nats.describe(error) })
      }).pipe(Effect.withSpan("JetStream.connect", { attributes: { servers: serverList } })),
      (open) => Effect.promise(() => Nats.close(open, timeout))
    )
    if (options.ensureStream ?? true) {
      yield* Effect.tryPromise({
        try: () =>
          Nats.ensureStream(connection, {
            name: stream,
            prefix,
            duplicateWindowNanos: duplicateWindow * 1_000_000,
            timeout
          }),
        catch: (error) =>
          new JetStreamError({
            operation: "stream",
            servers: serverList,
            reason: `${stream}: ${Nats.describe(error)}`
          })
      }).pipe(
        Effect.tap((outcome) => Effect.annotateCurrentSpan("outcome", outcome)),
        Effect.withSpan("JetStream.ensureStream", { attributes: { stream, subjectPrefix: prefix } })
      )
    }

    return {
      id,
      kind: "nats",
      config: {
        servers,
        stream,
        subjectPrefix: prefix,
        duplicateWindow: Duration.format(Duration.millis(duplicateWindow)),
        ...(options.token === undefined ? {} : { token: options.token }),
        ...(options.user === undefined ? {} : { user: options.user }),
        ...(options.password === undefined ? {} : { password: options.password })
      },
      types: options.types,
      deliver: (event) => {
        const failed = (reason: string) =>
          new EventDelivery.DeliveryFailed({ subscriberId: id, eventId: event.id, reason })
        const headers = messageHeaders(event)
        return Effect.tryPromise({
          try: () =>
            Nats.publish(connection, {
              subject: subject(prefix, event.type),
              data: payload(event),
              msgId: headers[headerNames.msgId] ?? event.id,
              headers,
              stream,
              timeout
            }),
          catch: (error) => failed(Nats.describe(error))
        }).pipe(
          // a guard: the client's own timeout answers first
          Effect.timeoutFail({
            duration: timeout + 1000,
            onTimeout: () => failed("no acknowledgement in time")
          }),
          Effect.flatMap((ack) =>
            ack.stream === stream
              ? Effect.annotateCurrentSpan({ duplicate: ack.duplicate, streamSequence: ack.seq })
              : Effect.fail(failed(`acknowledged by stream ${ack.stream}, not ${stream}`))
          ),
          Effect.withSpan("JetStream.deliver", { attributes: { eventId: event.id, stream } })
        )
      }
    }
  })
