/**
 * docs/guides/limits-and-errors.md — the input limits, the JSON error body
 * naming field and rule, the body limit, impossible dates and idempotency
 * keys over HTTP; the guide's numbers are the code's.
 */
import { readFileSync } from "node:fs"
import { join } from "node:path"
import * as Text from "@civicgrid/core/Text"
import * as BodyGuard from "@civicgrid/http/BodyGuard"
import * as Ledger from "@civicgrid/ledger/Ledger"
import { describe, expect, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as ErrorBodies from "../guides/snippets/limits-and-errors/error-bodies.js"
import { guidesDir } from "../scripts/snippets.js"

describe("limits and errors guide", () => {
  it.effect("every 4xx is a JSON body naming the field and the rule", () =>
    Effect.gen(function* () {
      const r = yield* ErrorBodies.errorBodies
      expect(r.tooLong).toMatchObject({
        status: 400,
        body: {
          _tag: "HttpApiDecodeError",
          field: "description",
          rule: "max-length",
          message: expect.stringContaining(
            "description: 超过 4000 个字符 must be at most 4000 characters (rule max-length)"
          )
        }
      })
      expect(r.control).toMatchObject({
        status: 400,
        body: { field: "description", rule: "no-control-characters" }
      })
      expect(r.phone).toMatchObject({ status: 400, body: { field: "contact.phone", rule: "phone-format" } })
      expect(r.date).toMatchObject({ status: 400, body: { field: "reportedFrom", rule: "valid-date" } })
      expect(r.malformed).toMatchObject({
        status: 400,
        body: { _tag: "InvalidRequest", field: "body", rule: "malformed-json" }
      })
      expect(r.tooLarge).toMatchObject({
        status: 413,
        body: { _tag: "BodyTooLarge", field: "body", rule: "body-too-large", maxBytes: 256 * 1024 }
      })
    })
  )

  it.effect("the same Idempotency-Key: the same report replays its case, another report is a 422", () =>
    Effect.gen(function* () {
      const r = yield* ErrorBodies.errorBodies
      expect(r.first).toMatchObject({ status: 201, body: { replayed: false } })
      const first = r.first.body as { readonly caseId: string }
      expect(r.again).toMatchObject({ status: 201, body: { caseId: first.caseId, replayed: true } })
      expect(r.other).toMatchObject({
        status: 422,
        body: { _tag: "Refused", caseId: first.caseId, rule: "idempotency-key-reused" }
      })
    })
  )

  it("the guide's limits table quotes the code's limits", () => {
    const guide = readFileSync(join(guidesDir, "limits-and-errors.md"), "utf8")
    const row = (name: string) =>
      guide
        .split("\n")
        .find((line) => line.startsWith(`| \`${name}\` `))
        ?.split("|")
        .map((cell) => cell.trim())
    const number = (n: number) => n.toLocaleString("en-US")
    expect(row("id")?.[2]).toBe(number(Text.limits.id))
    expect(row("name")?.[2]).toBe(number(Text.limits.name))
    expect(row("phone")?.[2]).toBe(number(Text.limits.phone))
    expect(row("address")?.[2]).toBe(number(Text.limits.address))
    expect(row("title")?.[2]).toBe(number(Text.limits.title))
    expect(row("description")?.[2]).toBe(number(Text.limits.description))
    expect(row("note")?.[2]).toBe(number(Text.limits.note))
    expect(row("reference")?.[2]).toBe(number(Text.limits.reference))
    expect(row("references")?.[2]).toBe(number(Text.limits.references))
    expect(row("tag")?.[2]).toBe(number(Text.limits.tag))
    expect(row("tags")?.[2]).toBe(number(Text.limits.tags))
    expect(BodyGuard.defaultMaxBodyBytes).toBe(256 * 1024)
    expect(guide).toContain("256 KiB")
    expect(Ledger.defaultLimits).toEqual({
      maxFileBytes: 20 * 1024 * 1024,
      maxInflatedBytes: 200 * 1024 * 1024,
      maxCompressionRatio: 100,
      maxRows: 50_000,
      maxCellLength: Text.limits.description
    })
  })
})
