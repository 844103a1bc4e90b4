/**
 * 签名回调 — signed webhooks: an `EventDelivery` subscriber that POSTs each
 * case event as JSON to a URL, and `verify` for receivers.
 *
 * The body is `{ id, caseId, sequence, type, at, event }` (`event` in its
 * stored JSON encoding, `at` ISO-8601 UTC); the headers
 *
 * - `X-Civicgrid-Event-Id`: the event id `<caseId>:<sequence>` — delivery is
 *   at-least-once, so receivers dedupe on it (a header carries visible ASCII
 *   only: any other character of a case id, and `%`, is percent-encoded as
 *   UTF-8, `headerEventId`; `verify` answers it decoded; the body's `id` is
 *   the plain id, covered by the signature);
 * - `X-Civicgrid-Timestamp`: the sending time, Unix seconds;
 * - `X-Civicgrid-Signature`: `v1=<hex HMAC-SHA256(secret, "<timestamp>.<body>")>`.
 *
 * A 2xx answer is a delivery; anything else (another status, a network error,
 * no answer within `timeout`) is a failure, retried with back-off.
 *
 * @since 0.1.0
 */
import { createHmac, timingSafeEqual } from "node:crypto"
import { CaseEvent } from "@civicgrid/core/CaseEvent"
import * as EventDelivery from "@civicgrid/core/EventDelivery"
import * as HttpClient from "@effect/platform/HttpClient"
import * as HttpClientRequest from "@effect/platform/HttpClientRequest"
import * as Clock from "effect/Clock"
import * as DateTime from "effect/DateTime"
import type * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Redacted from "effect/Redacted"
import * as Schema from "effect/Schema"

/**
 * The header names (as sent; HTTP header names are case-insensitive).
 *
 * @since 0.1.0
 * @category headers
 */
export const headerNames = {
  eventId: "X-Civicgrid-Event-Id",
  timestamp: "X-Civicgrid-Timestamp",
  signature: "X-Civicgrid-Signature"
} as const

const encodeEvent = Schema.encodeSync(CaseEvent)

/**
 * 事件编号头 — an event id as the `X-Civicgrid-Event-Id` header carries it:
 * visible ASCII as is, `%` and every other character percent-encoded (UTF-8).
 *
 * @since 0.1.0
 * @category headers
 */
export const headerEventId = (eventId: string): string =>
  eventId.replace(/[^\x21-\x24\x26-\x7e]/gu, (c) => encodeURIComponent(c))

const decodeEventId = (header: string): string | undefined => {
  try {
    return decodeURIComponent(header)
  } catch {
    return undefined
  }
}

/**
 * 回调正文 — the JSON body of an event.
 *
 * @since 0.1.0
 * @category encoding
 */
export const body = (event: EventDelivery.OutboxEvent): string =>
  JSON.stringify({
    id: event.id,
    caseId: event.caseId,
    sequence: event.sequence,
    type: event.type,
    at: DateTime.formatIso(event.at),
    event: encodeEvent(event.event)
  })

/**
 * 签名 — `v1=<hex HMAC-SHA256(secret, "<timestamp>.<body>")>`.
 *
 * @since 0.1.0
 * @category signing
 */
export const sign = (secret: Redacted.Redacted<string>, timestamp: number, payload: string): string =>
  `v1=${createHmac("sha256", Redacted.value(secret)).update(`${timestamp}.${payload}`).digest("hex")}`

/**
 * 签名头 — the three headers of a signed request sent at `timestamp` (Unix seconds).
 *
 * @since 0.1.0
 * @category signing
 */
export const signedHeaders = (
  secret: Redacted.Redacted<string>,
  eventId: string,
  timestamp: number,
  payload: string
): Record<string, string> => ({
  [headerNames.eventId]: headerEventId(eventId),
  [headerNames.timestamp]: String(timestamp),
  [headerNames.signature]: sign(secret, timestamp, payload)
})

/**
 * 验签失败 — a webhook request `verify` refuses: a header is missing or
 * malformed, the signature does not match (changed body, wrong secret), or the
 * timestamp is outside the replay window.
 *
 * @since 0.1.0
 * @category errors
 */
export class WebhookRejected extends Schema.TaggedError<WebhookRejected>()("WebhookRejected", {
  reason: Schema.Literal("missing-header", "bad-signature", "stale-timestamp"),
  detail: Schema.String
}) {
  override get message(): string {
    return `回调验签失败 webhook request refused (rule ${this.reason}): ${this.detail}`
  }
}

const header = (
  headers: Readonly<Record<string, string | ReadonlyArray<string> | undefined>>,
  name: string
): string | undefined => {
  const lower = name.toLowerCase()
  for (const [key, value] of Object.entries(headers)) {
    if (key.toLowerCase() === lower) return typeof value === "string" ? value : value?.[0]
  }
  return undefined
}

/**
 * 验签 — what a receiver checks: the signature of `body` (the raw request
 * text) under `secret`, compared in constant time, and the timestamp within
 * `toleranceSeconds` (default 300) of `now` (epoch milliseconds) — a replayed
 * request older than that is refused. Answers the event id.
 *
 * @since 0.1.0
 * @category signing
 */
export const verify = (
  secret: Redacted.Redacted<string>,
  headers: Readonly<Record<string, string | ReadonlyArray<string> | undefined>>,
  payload: string,
  options: { readonly now: number; readonly toleranceSeconds?: number }
): Either.Either<{ readonly eventId: string; readonly timestamp: number }, WebhookRejected> => {
  const encodedId = header(headers, headerNames.eventId)
  const eventId = encodedId === undefined ? undefined : decodeEventId(encodedId)
  const stamp = header(headers, headerNames.timestamp)
  const signature = header(headers, headerNames.signature)
  if (eventId === undefined || stamp === undefined || signature === undefined) {
    return Either.left(
      new WebhookRejected({
        reason: "missing-header",
        detail: `须有 ${headerNames.eventId}, ${headerNames.timestamp} and ${headerNames.signature}`
      })
    )
  }
  const timestamp = /^\d{1,15}$/.test(stamp) ? Number(stamp) : Number.NaN
  if (!Number.isSafeInteger(timestamp)) {
    return Either.left(
      new WebhookRejected({
        reason: "missing-header",
        detail: `${headerNames.timestamp} 须为 Unix 秒 must be Unix seconds`
      })
    )
  }
  const expected = Buffer.from(sign(secret, timestamp, payload))
  const given = Buffer.from(signature)
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) {
    return Either.left(
      new WebhookRejected({
        reason: "bad-signature",
        detail: `${headerNames.signature} 与正文不符 does not match the body`
      })
    )
  }
  const tolerance = options.toleranceSeconds ?? 300
  if (Math.abs(options.now / 1000 - timestamp) > tolerance) {
    return Either.left(
      new WebhookRejected({
        reason: "stale-timestamp",
        detail: `${headerNames.timestamp} 超出 ${tolerance} 秒窗口 is more than ${tolerance} s from now`
      })
    )
  }
  return Either.right({ eventId, timestamp })
}

/**
 * 回调订阅者配置 — the subscriber's id, the URL, the secret, the event types
 * (none: all) and the time to wait for an answer (default 10 s).
 *
 * @since 0.1.0
 * @category models
 */
export interface Options {
  readonly id: string
  readonly url: string
  readonly secret: Redacted.Redacted<string>
  readonly types?: ReadonlyArray<CaseEvent["_tag"]> | undefined
  readonly timeout?: Duration.DurationInput
}

/**
 * 回调订阅者 — an `EventDelivery.Subscriber` of kind `webhook` that POSTs
 * signed events with the ambient `HttpClient`.
 *
 * @since 0.1.0
 * @category constructors
 */
export const subscriber = (
  options: Options
): Effect.Effect<EventDelivery.Subscriber, never, HttpClient.HttpClient> =>
  Effect.map(HttpClient.HttpClient, (client) => ({
    id: options.id,
    kind: "webhook",
    config: { url: options.url, secret: options.secret },
    types: options.types,
    deliver: (event) =>
      Effect.gen(function* () {
        const payload = body(event)
        const timestamp = Math.floor((yield* Clock.currentTimeMillis) / 1000)
        const request = HttpClientRequest.post(options.url).pipe(
          HttpClientRequest.setHeaders(signedHeaders(options.secret, event.id, timestamp, payload)),
          HttpClientRequest.bodyText(payload, "application/json")
        )
        const failed = (reason: string) =>
          new EventDelivery.DeliveryFailed({ subscriberId: options.id, eventId: event.id, reason })
        const response = yield* client.execute(request).pipe(
          Effect.timeoutFail({
            duration: options.timeout ?? "10 seconds",
            onTimeout: () => failed("no answer in time")
          }),
          Effect.catchTag("RequestError", "ResponseError", (error) =>
            Effect.fail(
              failed(`${error.message}${error.cause === undefined ? "" : `: ${String(error.cause)}`}`)
            )
          )
        )
        if (response.status < 200 || response.status > 299) {
          return yield* failed(`HTTP ${response.status}`)
        }
      }).pipe(Effect.scoped, Effect.withSpan("Webhook.deliver", { attributes: { eventId: event.id } }))
  }))
