/**
 * docs/guides/access-and-privacy.md — principals and scope (404 outside it),
 * masking, the principal → actor mapping, and hashed API keys.
 */
import { readFileSync } from "node:fs"
import { join } from "node:path"
import * as Principal from "@civicgrid/http/Principal"
import { describe, expect, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import * as ApiKeys from "../guides/snippets/access-and-privacy/api-keys.js"
import * as OverHttp from "../guides/snippets/access-and-privacy/over-http.js"
import * as Principals from "../guides/snippets/access-and-privacy/principals.js"
import { guidesDir } from "../scripts/snippets.js"

const notFound = "404 案件不存在或不在您的辖区内 no such case in your jurisdiction"

describe("access: who sees a case (pure rules)", () => {
  it("the reporter, staff whose subtree holds the case, a department with a granted subtree holding it, and — once dispatched — the department it went to", () => {
    expect(Principals.whoSees(null)).toEqual(["zhao", "li", "wang", "office", "admin"])
    expect(Principals.whoSees("qy-chengguan")).toEqual(["zhao", "li", "wang", "squad", "office", "admin"])
  })

  it("staff of the three tiers, admins and the reporter read personal data in full; the rest masked", () => {
    expect(Principals.readsInFull).toEqual(["zhao", "wang", "chen", "admin"])
    expect(Principals.masked).toEqual({ name: "张**", phone: "138****1234" })
  })

  it("an admin at a street acts as street staff", () => {
    expect(Principals.adminActs).toBe("street-staff")
  })

  it("the guide's roles table lists exactly the roles a principal can hold", () => {
    const rows = readFileSync(join(guidesDir, "access-and-privacy.md"), "utf8")
      .split("\n")
      .flatMap((line) => {
        const m = /^\| `([a-z-]+)` \|/.exec(line)
        return m?.[1] === undefined ? [] : [m[1]]
      })
    expect(rows).toEqual([...Principal.Role.literals])
  })
})

describe("access over HTTP", () => {
  it.effect(
    "a resident gets 404 for someone else's case, the same as for an unknown id; grid workers see contact and description masked",
    () =>
      Effect.gen(function* () {
        const seen = yield* OverHttp.scopeOverHttp
        expect(seen.reporter).toEqual({ name: "赵小明", phone: "13812341234" })
        expect(seen.otherResident).toBe(notFound)
        expect(seen.unknownId).toBe(seen.otherResident)
        expect(seen.gridWorker).toEqual({ name: "赵**", phone: "138****1234" })
        expect(seen.communityStaff).toEqual({ name: "赵小明", phone: "13812341234" })
        expect(seen.otherStreet).toBe(notFound)
        expect(seen.gridWorkerReads).toBe("垃圾桶满溢，请联系 138****1234")
        expect(seen.staffReads).toBe("垃圾桶满溢，请联系 13812341234")
      })
  )
})

describe("API keys in the database", () => {
  it.effect(
    "an issued key verifies to its principal until revoked; only a hash is stored; it never prints",
    () =>
      Effect.gen(function* () {
        const result = yield* ApiKeys.issueVerifyRevoke
        expect(result.format).toBe(true)
        expect(result.shown).toBe("<redacted>")
        expect(result.secretInTable).toBe(false)
        expect(result.before).toEqual(Option.some("cs-wang community-staff jinsha"))
        expect(result.after).toEqual(Option.none())
        expect(result.schemes).toEqual({ issued: "sha256", chosen: "scrypt", withSecret: "hmac-sha256" })
      })
  )
})
