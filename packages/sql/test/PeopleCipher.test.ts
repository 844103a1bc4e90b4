/**
 * 敏感字段加密 — residents' names, ID numbers and phones are sealed at rest
 * (AES-256-GCM, the key id with each ciphertext): the raw columns hold no
 * plaintext, old keys open, the current key seals, `reseal` moves rows to the
 * current key, a missing key or a moved ciphertext does not open; the access
 * log refuses UPDATE and DELETE. On SQLite and PostgreSQL.
 */
import { HierarchyRepository } from "@civicgrid/core/HierarchyRepository"
import type * as KeyGroupAccess from "@civicgrid/core/KeyGroupAccess"
import { PeopleRepository } from "@civicgrid/core/PeopleRepository"
import * as SqlClient from "@effect/sql/SqlClient"
import { addEqualityTesters, describe, expect, it } from "@effect/vitest"
import * as ConfigProvider from "effect/ConfigProvider"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Exit from "effect/Exit"
import * as fc from "effect/FastCheck"
import * as Redacted from "effect/Redacted"
import * as PeopleCipher from "../src/PeopleCipher.js"
import * as SqlPeopleRepository from "../src/SqlPeopleRepository.js"
import { district } from "./support/Hierarchies.js"
import * as P from "./support/People.js"
import { newKey, sqlPeopleTargets } from "./support/PeopleStores.js"

addEqualityTesters()

const place = district()

describe("PeopleCipher", () => {
  const ring = Either.getOrThrow(PeopleCipher.makeKeyring("k1", [{ id: "k1", key: newKey() }]))

  it.prop(
    "seal then open gives the plaintext back; another record's id does not open it",
    [fc.string(), fc.string({ minLength: 1 })],
    ([text, id]) => {
      const { keyId, sealed } = PeopleCipher.seal(ring, text, id)
      expect(keyId).toBe("k1")
      expect(PeopleCipher.keyIdOf(sealed)).toBe("k1")
      expect(PeopleCipher.open(ring, sealed, id)).toEqual(Either.right(text))
      expect(PeopleCipher.open(ring, sealed, `${id}x`)).toMatchObject(Either.left({ rule: "authentication" }))
      // a fresh IV each time: the same plaintext never seals the same way twice
      expect(PeopleCipher.seal(ring, text, id).sealed).not.toBe(sealed)
    }
  )

  it("keyrings from configuration: the first key is current; bad keys are refused", () => {
    const k1 = Redacted.value(newKey())
    const k2 = Redacted.value(newKey())
    const read = (text: string) =>
      Effect.runSyncExit(
        Effect.withConfigProvider(
          PeopleCipher.config(),
          ConfigProvider.fromMap(new Map([["CIVICGRID_PEOPLE_KEYS", text]]))
        )
      )
    const ok = read(`k2:${k2}, k1:${k1}`)
    expect(Exit.isSuccess(ok) && [ok.value.current, [...ok.value.keys.keys()]]).toEqual(["k2", ["k2", "k1"]])
    // the keys are Redacted: printing the ring shows no key material
    expect(Exit.isSuccess(ok) && String([...ok.value.keys.values()])).not.toContain(k2.slice(0, 8))
    expect(Exit.isFailure(read(`k1:${k1.slice(0, 20)}`))).toBe(true)
    expect(Exit.isFailure(read(`k1:${k1},k1:${k2}`))).toBe(true)
    expect(Exit.isFailure(read(""))).toBe(true)
    expect(PeopleCipher.parseKeyring(Redacted.make(`a.b:${k1}`))).toMatchObject(
      Either.left({ rule: "key-id" })
    )
    expect(PeopleCipher.makeKeyring("k9", [{ id: "k1", key: Redacted.make(k1) }])).toMatchObject(
      Either.left({ rule: "unknown-current" })
    )
  })
})

describe.each(sqlPeopleTargets)("sealed residents on $name", (target) => {
  const k1 = newKey()
  const k2 = newKey()
  const ring1 = Either.getOrThrow(PeopleCipher.makeKeyring("k1", [{ id: "k1", key: k1 }]))
  const ring21 = Either.getOrThrow(
    PeopleCipher.makeKeyring("k2", [
      { id: "k2", key: k2 },
      { id: "k1", key: k1 }
    ])
  )
  const ring2 = Either.getOrThrow(PeopleCipher.makeKeyring("k2", [{ id: "k2", key: k2 }]))

  const seed = Effect.gen(function* () {
    yield* (yield* HierarchyRepository).save(place.scheme, place.rows)
    const repo = yield* PeopleRepository
    yield* repo.putHouseholds(P.households)
    yield* repo.putResidents(P.residents)
    yield* repo.putEnrolments(P.enrolments)
    return repo
  })

  const phones = (result: KeyGroupAccess.ReadResult) =>
    result._tag === "Members" ? result.members.map((m) => m.resident?.phone ?? null) : []

  it.effect("no column of any people table holds a name, ID number or phone in plaintext", () =>
    Effect.gen(function* () {
      const repo = yield* seed
      yield* repo.readMembers(P.staff, P.request("s1c1"), P.context("log-1"))
      const sql = yield* SqlClient.SqlClient
      const tables = ["cg_households", "cg_residents", "cg_enrolments", "cg_access_log"]
      const raw = JSON.stringify(yield* Effect.forEach(tables, (t) => sql`SELECT * FROM ${sql(t)}`))
      for (const secret of Object.values(P.secrets)) expect(raw).not.toContain(secret)
      expect(raw).not.toContain(P.secrets.idNumber.slice(6, 14)) // not even the birth date
      const rows = yield* sql<{ readonly id: string; readonly key_id: string; readonly sealed: string }>`
        SELECT id, key_id, sealed FROM cg_residents ORDER BY id`
      expect(rows.map((r) => [r.id, r.key_id, PeopleCipher.keyIdOf(r.sealed)])).toEqual([
        ["r1", "k1", "k1"],
        ["r3", "k1", "k1"]
      ])
      // …yet a granted read returns them in full
      const read = yield* repo.readMembers(P.staff, P.request("s1c1"), P.context("log-2"))
      expect(phones(read)).toEqual([P.secrets.phone, null])
    }).pipe(Effect.provide(target.layer({ keyring: ring1 })))
  )

  it.effect(
    "rotation: old keys open, the current key seals, reseal moves every row to it, a retired key no longer opens",
    () =>
      Effect.gen(function* () {
        yield* seed // sealed under k1
        const rotated = yield* SqlPeopleRepository.make({ keyring: ring21 })
        expect(phones(yield* rotated.readMembers(P.staff, P.request("s1c1"), P.context("log-1")))).toEqual([
          P.secrets.phone,
          null
        ])
        yield* rotated.putResidents([P.resident("r2", "h2", 2)])
        expect(yield* SqlPeopleRepository.keysInUse).toEqual(
          new Map([
            ["k1", 2],
            ["k2", 1]
          ])
        )
        expect(yield* SqlPeopleRepository.reseal(ring21, 1)).toBe(2)
        expect(yield* SqlPeopleRepository.reseal(ring21, 1)).toBe(0)
        expect(yield* SqlPeopleRepository.keysInUse).toEqual(new Map([["k2", 3]]))
        const onlyNew = yield* SqlPeopleRepository.make({ keyring: ring2 })
        expect(phones(yield* onlyNew.readMembers(P.staff, P.request("s1c1"), P.context("log-2")))).toEqual([
          P.secrets.phone,
          null
        ])
        // a store still configured with only the retired key cannot open the rows: a defect, never plaintext
        const retired = yield* SqlPeopleRepository.make({ keyring: ring1 })
        const exit = yield* Effect.exit(retired.readMembers(P.staff, P.request("s1c1"), P.context("log-3")))
        expect(Exit.isFailure(exit) && String(exit.cause)).toContain("unknown-key")
      }).pipe(Effect.provide(target.layer({ keyring: ring1 })))
  )

  it.effect("a ciphertext moved onto another resident's row does not open", () =>
    Effect.gen(function* () {
      const repo = yield* seed
      const sql = yield* SqlClient.SqlClient
      yield* sql`UPDATE cg_residents SET sealed = (SELECT sealed FROM cg_residents WHERE id = 'r1') WHERE id = 'r3'`
      const exit = yield* Effect.exit(
        repo.readMembers(P.actor("cs-2", "community-staff", "s2c1"), P.request("s2c1"), P.context("log-1"))
      )
      expect(Exit.isSuccess(exit)).toBe(false)
      expect(String(Exit.isFailure(exit) && exit.cause)).toContain("authentication")
    }).pipe(Effect.provide(target.layer({ keyring: ring1 })))
  )

  it.effect("the access log is append-only: UPDATE and DELETE are refused by the database", () =>
    Effect.gen(function* () {
      const repo = yield* seed
      yield* repo.readMembers(P.staff, P.request("s1c1"), P.context("log-1"))
      const sql = yield* SqlClient.SqlClient
      const update = yield* Effect.either(sql`UPDATE cg_access_log SET action = 'read-counts'`)
      const remove = yield* Effect.either(sql`DELETE FROM cg_access_log`)
      expect([Either.isLeft(update), Either.isLeft(remove)]).toEqual([true, true])
      expect((yield* repo.accessLog()).map((e) => [e.id, e.action])).toEqual([["log-1", "read-members"]])
    }).pipe(Effect.provide(target.layer({ keyring: ring1 })))
  )
})
