/**
 * 签名回调 — `Webhook.verify` accepts what `Webhook.signedHeaders` signed, and
 * refuses a changed body, a wrong secret, a missing header and a timestamp
 * outside the replay window (either side); headers match case-insensitively.
 */
import * as Webhook from "@civicgrid/http/Webhook"
import { describe, expect, it } from "@effect/vitest"
import * as Either from "effect/Either"
import * as fc from "effect/FastCheck"
import * as Redacted from "effect/Redacted"

const secret = Redacted.make("s3cret-值")
const NOW = Date.UTC(2026, 0, 5, 8, 0)
const stamp = Math.floor(NOW / 1000)

const reason = (result: ReturnType<typeof Webhook.verify>) =>
  Either.match(result, { onLeft: (e) => e.reason, onRight: () => "ok" })

describe("Webhook.verify", () => {
  it.prop(
    "a signed request verifies; any change of its body does not",
    [fc.string({ minLength: 0, maxLength: 200 }), fc.string({ minLength: 1, maxLength: 20 })],
    ([body, suffix]) => {
      const headers = Webhook.signedHeaders(secret, "c-1:3", stamp, body)
      expect(Webhook.verify(secret, headers, body, { now: NOW })).toEqual(
        Either.right({ eventId: "c-1:3", timestamp: stamp })
      )
      expect(reason(Webhook.verify(secret, headers, body + suffix, { now: NOW }))).toBe("bad-signature")
    }
  )

  it("headers are found whatever their case; the signature is v1=<hex HMAC-SHA256(secret, timestamp.body)>", () => {
    const body = '{"id":"c-1:1"}'
    const headers = Webhook.signedHeaders(secret, "c-1:1", stamp, body)
    const lower = Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v]))
    expect(Either.isRight(Webhook.verify(secret, lower, body, { now: NOW }))).toBe(true)
    expect(headers["X-Civicgrid-Signature"]).toMatch(/^v1=[0-9a-f]{64}$/)
    expect(headers["X-Civicgrid-Timestamp"]).toBe(String(stamp))
  })

  it("a case id beyond visible ASCII travels percent-encoded in the header and verifies as itself", () => {
    const id = "案件 2026%1:4"
    const headers = Webhook.signedHeaders(secret, id, stamp, "{}")
    expect(headers["X-Civicgrid-Event-Id"]).toMatch(/^[\x21-\x7e]+$/)
    expect(Webhook.verify(secret, headers, "{}", { now: NOW })).toEqual(
      Either.right({ eventId: id, timestamp: stamp })
    )
  })

  it("a wrong secret, a missing header, a stale or future timestamp are refused", () => {
    const body = '{"id":"c-1:1"}'
    const headers = Webhook.signedHeaders(secret, "c-1:1", stamp, body)
    expect(reason(Webhook.verify(Redacted.make("other"), headers, body, { now: NOW }))).toBe("bad-signature")
    const { "X-Civicgrid-Signature": _, ...unsigned } = headers
    expect(reason(Webhook.verify(secret, unsigned, body, { now: NOW }))).toBe("missing-header")
    expect(reason(Webhook.verify(secret, headers, body, { now: NOW + 301_000 }))).toBe("stale-timestamp")
    expect(reason(Webhook.verify(secret, headers, body, { now: NOW - 301_000 }))).toBe("stale-timestamp")
    expect(reason(Webhook.verify(secret, headers, body, { now: NOW + 300_000 }))).toBe("ok")
    expect(reason(Webhook.verify(secret, headers, body, { now: NOW + 61_000, toleranceSeconds: 60 }))).toBe(
      "stale-timestamp"
    )
    // a replay with a fresh timestamp but the old signature: refused
    const replayed = { ...headers, "X-Civicgrid-Timestamp": String(stamp + 400) }
    expect(reason(Webhook.verify(secret, replayed, body, { now: NOW + 400_000 }))).toBe("bad-signature")
  })
})
