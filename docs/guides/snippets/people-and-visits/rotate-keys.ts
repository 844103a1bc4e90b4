import * as Actor from "@civicgrid/core/Actor"
import * as HierarchyRepository from "@civicgrid/core/HierarchyRepository"
import * as Household from "@civicgrid/core/Household"
import * as KeyGroup from "@civicgrid/core/KeyGroup"
import * as KeyGroupAccess from "@civicgrid/core/KeyGroupAccess"
import * as LevelScheme from "@civicgrid/core/LevelScheme"
import * as PeopleRepository from "@civicgrid/core/PeopleRepository"
import * as Resident from "@civicgrid/core/Resident"
import * as Unit from "@civicgrid/core/Unit"
import * as WorkingCalendar from "@civicgrid/core/WorkingCalendar"
import * as Migrations from "@civicgrid/sql/Migrations"
import * as PeopleCipher from "@civicgrid/sql/PeopleCipher"
import * as SqlHierarchyRepository from "@civicgrid/sql/SqlHierarchyRepository"
import * as SqlPeopleRepository from "@civicgrid/sql/SqlPeopleRepository"
import * as SqlClient from "@effect/sql/SqlClient"
import * as SqliteClient from "@effect/sql-sqlite-node/SqliteClient"
import * as DateTime from "effect/DateTime"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Layer from "effect/Layer"
import * as Redacted from "effect/Redacted"
import * as Schema from "effect/Schema"

// CIVICGRID_PEOPLE_KEYS: `<id>:<base64 of 32 bytes>`, comma-separated, the FIRST key seals.
// (Never use fixed keys like these: generate each with `openssl rand -base64 32`.)
const k2026a = `k2026a:${Buffer.alloc(32, 0xa1).toString("base64")}`
const k2026b = `k2026b:${Buffer.alloc(32, 0xb2).toString("base64")}`
const keyring = (variable: string) => Either.getOrThrow(PeopleCipher.parseKeyring(Redacted.make(variable)))

// before: one key; step 1: the new key first, the old one kept; step 3: the old key removed
export const before = keyring(k2026a)
export const rotating = keyring(`${k2026b},${k2026a}`)
export const after = keyring(k2026b)

const units = [
  Unit.make({ id: "panlong", parentId: null, level: "district", name: "盘龙区" }),
  Unit.make({ id: "qingyun", parentId: "panlong", level: "street", name: "青云街道" }),
  Unit.make({ id: "jinsha", parentId: "qingyun", level: "community", name: "金沙社区" }),
  Unit.make({ id: "jinsha-3", parentId: "jinsha", level: "building", name: "金沙苑3栋" })
]

// the people store on a keyring (the hierarchy store beside it: reads are decided by jurisdiction)
const store = (ring: PeopleCipher.Keyring) =>
  SqlPeopleRepository.layer({ keyring: ring }).pipe(Layer.provideMerge(SqlHierarchyRepository.layer))

// a household with a lone elderly resident, stored while only k2026a is configured
const register = Effect.gen(function* () {
  yield* (yield* HierarchyRepository.HierarchyRepository).save(LevelScheme.FiveLevel, units)
  const people = yield* PeopleRepository.PeopleRepository
  yield* people.putHouseholds([
    Schema.decodeUnknownSync(Household.Household)({
      id: "hh-1",
      communityId: "jinsha",
      place: { _tag: "AtBuilding", buildingId: "jinsha-3", door: "2单元201" },
      label: "金沙苑3栋2单元201",
      size: 1,
      tags: []
    })
  ])
  yield* people.putResidents([
    Schema.decodeUnknownSync(Resident.Resident)({
      id: "rs-1",
      householdId: "hh-1",
      name: "林永洪",
      phone: "13812345678",
      birthYear: 1938
    })
  ])
  yield* people.putEnrolments([
    Schema.decodeUnknownSync(KeyGroup.Enrolment)({
      id: "en-1",
      categoryId: "elderly-alone",
      householdId: "hh-1",
      residentId: "rs-1",
      since: "2026-01-05",
      reason: "80岁以上独居",
      enrolledBy: "cs-jinsha"
    })
  ])
})

// community staff read the members of 高龄独居 (in full: the default policy's identity right)
const readMembers = Effect.gen(function* () {
  const people = yield* PeopleRepository.PeopleRepository
  const result = yield* people.readMembers(
    Schema.decodeUnknownSync(Actor.Actor)({ id: "cs-jinsha", role: "community-staff", unitId: "jinsha" }),
    Schema.decodeUnknownSync(KeyGroupAccess.ReadRequest)({
      categoryId: "elderly-alone",
      unitId: "jinsha",
      purpose: "十二月入户走访"
    }),
    {
      date: WorkingCalendar.LocalDate.make("2026-12-07"),
      at: DateTime.unsafeMake("2026-12-07T02:00:00Z"),
      logId: KeyGroupAccess.AccessLogId.make("log-1")
    }
  )
  return result._tag === "Members" ? result.members.map((m) => m.resident?.name) : []
})

export const rotation = (filename: string) =>
  Effect.gen(function* () {
    yield* Migrations.run
    yield* Effect.provide(register, store(before))
    const sql = yield* SqlClient.SqlClient
    const [row] = yield* sql<{ readonly sealed: string }>`SELECT sealed FROM cg_residents`
    const inUseBefore = yield* SqlPeopleRepository.keysInUse // → { k2026a: 1 }
    // step 1 — restart with CIVICGRID_PEOPLE_KEYS=k2026b:…,k2026a:…  (new writes are sealed with k2026b)
    // step 2 — re-encrypt every row under an older key, in batches, each in a transaction
    const resealed = yield* SqlPeopleRepository.reseal(rotating) // → 1
    const resealedAgain = yield* SqlPeopleRepository.reseal(rotating) // → 0: safe to run again
    const inUseAfter = yield* SqlPeopleRepository.keysInUse // → { k2026b: 1 }
    // step 3 — k2026a is in use no more: remove it (CIVICGRID_PEOPLE_KEYS=k2026b:…) and restart
    const names = yield* Effect.provide(readMembers, store(after)) // → ["林永洪"]
    return {
      sealedPrefix: row?.sealed.split(".").slice(0, 2).join("."), // → "v1.k2026a"
      plaintextStored:
        row?.sealed.includes("林永洪") === true || row?.sealed.includes("13812345678") === true,
      inUseBefore: Object.fromEntries(inUseBefore),
      resealed,
      resealedAgain,
      inUseAfter: Object.fromEntries(inUseAfter),
      names
    }
  }).pipe(Effect.provide(SqliteClient.layer({ filename })))
