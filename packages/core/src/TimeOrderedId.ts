/**
 * 时间有序编号 — UUID version 7 (RFC 9562): 48 bits of Unix milliseconds,
 * then random bits. Ids generated later sort after earlier ones (as text and
 * as bytes), so new rows of a B-tree keyed by them land on its right edge —
 * a few hot pages — instead of random pages all over it as random (version
 * 4) UUIDs do: at tens of millions of cases a random key makes each insert
 * touch a page that is mostly not in memory, and leaves the index's pages
 * half empty.
 *
 * @since 0.1.0
 */
import * as Clock from "effect/Clock"
import * as Effect from "effect/Effect"

const hex = (bytes: Uint8Array): string => Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("")

/**
 * The UUID v7 of an instant (epoch milliseconds, 0 … 2⁴⁸ − 1) and 10 random
 * bytes (only the first 74 bits are used): `tttttttt-tttt-7rrr-vrrr-rrrrrrrrrrrr`.
 *
 * @since 0.1.0
 * @category constructors
 */
export const uuidV7At = (epochMillis: number, random: Uint8Array): string => {
  const bytes = new Uint8Array(16)
  let ms = Math.max(0, Math.floor(epochMillis))
  for (let i = 5; i >= 0; i--) {
    bytes[i] = ms % 256
    ms = Math.floor(ms / 256)
  }
  for (let i = 0; i < 10; i++) bytes[6 + i] = random[i] ?? 0
  bytes[6] = 0x70 | ((bytes[6] ?? 0) & 0x0f)
  bytes[8] = 0x80 | ((bytes[8] ?? 0) & 0x3f)
  const h = hex(bytes)
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`
}

/**
 * A new UUID v7 at the ambient `Clock`'s time, with random bits from
 * `crypto.getRandomValues` — a drop-in for `crypto.randomUUID()` where ids
 * become keys of large tables (`CaseService` settings' `newCaseId`,
 * `Open311` options' `newCaseId`).
 *
 * @since 0.1.0
 * @category constructors
 */
export const uuidV7: Effect.Effect<string> = Effect.flatMap(Clock.currentTimeMillis, (now) =>
  Effect.sync(() => uuidV7At(now, globalThis.crypto.getRandomValues(new Uint8Array(10))))
)
