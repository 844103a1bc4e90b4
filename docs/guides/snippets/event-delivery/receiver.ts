import * as Webhook from "@civicgrid/http/Webhook"
import * as Either from "effect/Either"
import type * as Redacted from "effect/Redacted"

export type Outcome =
  | { readonly _tag: "Accepted"; readonly eventId: string; readonly type: string }
  | { readonly _tag: "Duplicate"; readonly eventId: string }
  | { readonly _tag: "Rejected"; readonly reason: string }

// 接收方 — the other system's side of a webhook: check the signature and the timestamp (5-minute
// window), then drop what was seen before — delivery is at least once, and the event id
// `<caseId>:<sequence>` is the key. Answer 2xx for Accepted and Duplicate, 401 for Rejected.
export const makeReceiver = (secret: Redacted.Redacted<string>, seen: Set<string> = new Set()) => ({
  receive: (
    headers: Readonly<Record<string, string | ReadonlyArray<string> | undefined>>,
    body: string,
    now: number = Date.now()
  ): Outcome => {
    const checked = Webhook.verify(secret, headers, body, { now })
    if (Either.isLeft(checked)) return { _tag: "Rejected", reason: checked.left.reason }
    const { eventId } = checked.right
    if (seen.has(eventId)) return { _tag: "Duplicate", eventId }
    seen.add(eventId)
    const event = JSON.parse(body) as { readonly type: string }
    return { _tag: "Accepted", eventId, type: event.type }
  }
})
