/**
 * `civicgrid import|export --list visits|key-groups|access-log` on a seeded
 * district (SQLite, and PostgreSQL when configured): a 走访台账 row the core refuses refuses the file with its
 * row number and stores nothing; a good one imports, exports and imports
 * again as unchanged; a 重点人群台账 needs CIVICGRID_PEOPLE_KEYS and --actor,
 * seals its residents, and exports only through the access decision — masked
 * by default, in full with --identity, refused without --reason — each
 * export an access-log entry per category naming the operator and purpose;
 * the access log exports for the audit roles only.
 */
import { randomBytes } from "node:crypto"
import { readFile, writeFile } from "node:fs/promises"
import { join } from "node:path"
import * as Actor from "@civicgrid/core/Actor"
import * as Hierarchy from "@civicgrid/core/Hierarchy"
import * as HierarchyRepository from "@civicgrid/core/HierarchyRepository"
import * as Household from "@civicgrid/core/Household"
import * as KeyGroupAccess from "@civicgrid/core/KeyGroupAccess"
import * as PeopleRepository from "@civicgrid/core/PeopleRepository"
import * as Resident from "@civicgrid/core/Resident"
import * as WorkingCalendar from "@civicgrid/core/WorkingCalendar"
import * as Ledger from "@civicgrid/ledger/Ledger"
import * as PeopleCipher from "@civicgrid/sql/PeopleCipher"
import * as NodeContext from "@effect/platform-node/NodeContext"
import { describe, expect, it } from "@effect/vitest"
import * as DateTime from "effect/DateTime"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Exit from "effect/Exit"
import * as Option from "effect/Option"
import * as Redacted from "effect/Redacted"
import * as Schema from "effect/Schema"
import ExcelJS from "exceljs"
import * as DatabaseOption from "../src/DatabaseOption.js"
import * as People from "../src/internal/people.js"
import * as Databases from "./support/Databases.js"
import * as TestConsole from "./support/TestConsole.js"

const keyText = `k1:${randomBytes(32).toString("base64")}`
const keyring = Either.getOrThrow(PeopleCipher.parseKeyring(Redacted.make(keyText)))
const env = { CIVICGRID_PEOPLE_KEYS: keyText }

const run = (args: ReadonlyArray<string>, withKeys = true) =>
  TestConsole.runCli(args, withKeys ? { env } : {})

const ok = (args: ReadonlyArray<string>, withKeys = true) =>
  Effect.tap(run(args, withKeys), (r) =>
    Effect.sync(() => expect(Exit.isSuccess(r.exit), `civicgrid ${args.join(" ")}\n${r.err}`).toBe(true))
  )

const failure = (args: ReadonlyArray<string>, withKeys = true) =>
  Effect.map(run(args, withKeys), (r) => {
    expect(Exit.isFailure(r.exit), `civicgrid ${args.join(" ")} should fail`).toBe(true)
    return TestConsole.failureOf(r.exit)
  })

/** Runs an effect on the people store of a database. */
const onPeople = <A, E>(
  url: string,
  effect: Effect.Effect<A, E, PeopleRepository.PeopleRepository | HierarchyRepository.HierarchyRepository>
) =>
  Effect.gen(function* () {
    const database = yield* DatabaseOption.resolve(Option.some(url))
    return yield* effect.pipe(
      Effect.provide(People.layerStores(keyring)),
      Effect.provide(DatabaseOption.layer(database))
    )
  }).pipe(Effect.provide(NodeContext.layer), Effect.orDie)

const id17 = "53010219900101123"
const idNumber = `${id17}${Resident.idCheckCharacter(id17)}`

/** A seeded district with two households in its first community (at buildings), and that community's id. */
const district = (dialect: Databases.Dialect) =>
  Effect.gen(function* () {
    const url = yield* dialect.fresh
    // the seed's own residents are sealed with the same keys
    yield* ok(["seed", "--streets", "1", "--communities-per-street", "2", "--cases", "0", "--database", url])
    return yield* onPeople(
      url,
      Effect.gen(function* () {
        const h = yield* (yield* HierarchyRepository.HierarchyRepository).load
        const units = Hierarchy.units(h)
        const [community, other] = units.filter((u) => u.level === "community")
        const building = units.find(
          (u) =>
            u.level === "building" && community !== undefined && Hierarchy.isWithin(h, u.id, community.id)
        )
        if (community === undefined || other === undefined || building === undefined)
          throw new Error("no district")
        const households = ["h-1", "h-2"].map(
          (id, i): Household.Household =>
            Schema.decodeSync(Household.Household)({
              id,
              communityId: community.id,
              place: { _tag: "AtBuilding", buildingId: building.id, door: `9单元90${i + 1}` },
              label: `${building.name}9单元90${i + 1}`,
              size: 1,
              tags: []
            })
        )
        yield* (yield* PeopleRepository.PeopleRepository).putHouseholds(households)
        return { url, community: community.id as string, other: other.id as string, households }
      })
    )
  })

const csv = (rows: ReadonlyArray<ReadonlyArray<string>>): string =>
  `${rows.map((r) => r.map((c) => (/[",\n]/.test(c) ? `"${c.replaceAll('"', '""')}"` : c)).join(",")).join("\r\n")}\r\n`

const visitHeader = [
  "走访编号",
  "户编号",
  "走访人编号",
  "走访人角色",
  "走访人所属单元",
  "走访时间",
  "走访方式",
  "走访情况",
  "登记时间"
]
const visit = (id: string, household: string, unit: string, at = "2024-03-01 10:00:00") => [
  id,
  household,
  "gw-1",
  "网格员",
  unit,
  at,
  "电话",
  "身体状况良好",
  "2024-03-01 18:00:00"
]

for (const dialect of Databases.dialects) {
  describe(`civicgrid import/export --list visits (${dialect.name})`, () => {
    it.scopedLive(
      "a row the core refuses refuses the file with its row number and stores nothing; good rows round-trip",
      () =>
        Effect.gen(function* () {
          const dir = yield* Databases.tempDir
          const { url, community, other } = yield* district(dialect)
          const bad = join(dir, "走访台账-bad.csv")
          yield* Effect.promise(() =>
            writeFile(
              bad,
              csv([
                visitHeader,
                visit("v-1", "h-1", community),
                visit("v-2", "h-2", other),
                visit("v-3", "h-9", community),
                visit("v-4", "h-2", community, "2024-03-02 10:00:00")
              ])
            )
          )
          const error = yield* failure(["import", bad, "--list", "visits", "--database", url], false)
          expect(error, String(error)).toBeInstanceOf(Ledger.LedgerImportError)
          if (!(error instanceof Ledger.LedgerImportError)) return
          expect(error.headerProblems, error.message).toEqual([])
          // row 3: the visitor acts for another community; row 4: no such household; row 5: dated after it was entered
          expect(error.badRows).toEqual([3, 4, 5])
          expect(error.rowProblems.find((p) => p.row === 3)?.message).toContain(other)
          expect(error.rowProblems.find((p) => p.row === 4)).toMatchObject({ header: "户编号", column: "B" })
          expect(error.rowProblems.find((p) => p.row === 5)).toMatchObject({
            header: "走访时间",
            field: "at"
          })
          const mine = () =>
            onPeople(
              url,
              Effect.map(
                Effect.flatMap(PeopleRepository.PeopleRepository, (p) => p.visits()),
                (visits) => visits.filter((v) => v.id.startsWith("v-"))
              )
            )
          // v-1 was fine, and yet it is not stored: the file is refused whole
          expect(yield* mine()).toEqual([])

          const good = join(dir, "走访台账.csv")
          yield* Effect.promise(() =>
            writeFile(
              good,
              csv([visitHeader, visit("v-1", "h-1", community), visit("v-2", "h-2", community)])
            )
          )
          yield* ok(["import", good, "--list", "visits", "--database", url], false)
          const stored = yield* mine()
          expect(stored.map((v) => [v.id, v.householdId, v.method, v.positionCheck])).toEqual([
            ["v-1", "h-1", "phone", "no-position"],
            ["v-2", "h-2", "phone", "no-position"]
          ])
          const exported = join(dir, "export.xlsx")
          yield* ok(["export", exported, "--list", "visits", "--database", url], false)
          const total = (yield* onPeople(
            url,
            Effect.flatMap(PeopleRepository.PeopleRepository, (p) => p.visits())
          )).length
          const again = yield* ok(["import", exported, "--list", "visits", "--database", url], false)
          expect(TestConsole.plain(again.out)).toContain(`新增 0、更新 0、未变 ${total}`)
        })
    )
  })

  const keyHeader = [
    "登记编号",
    "重点人群类别",
    "户编号",
    "居民编号",
    "姓名",
    "公民身份号码",
    "联系电话",
    "登记日期",
    "登记原因"
  ]

  describe(`civicgrid import/export --list key-groups and access-log (${dialect.name})`, () => {
    it.scopedLive(
      "residents sealed with the keys; export read through the access decision, logged, masked unless --identity",
      () =>
        Effect.gen(function* () {
          const dir = yield* Databases.tempDir
          const { url, community } = yield* district(dialect)
          const file = join(dir, "重点人群台账.csv")
          yield* Effect.promise(() =>
            writeFile(
              file,
              csv([
                keyHeader,
                [
                  "e-1",
                  "高龄独居",
                  "h-1",
                  "r-1",
                  "王小明",
                  idNumber,
                  "13812345678",
                  "2024-01-01",
                  "独居，子女在外地"
                ],
                ["e-2", "残疾", "h-1", "r-1", "王小明", idNumber, "13812345678", "2024-01-01", "肢体残疾"],
                ["e-3", "空巢", "h-9", "", "", "", "", "2024-01-01", "空巢"],
                ["e-4", "低保/困难", "h-2", "", "", "", "", "2024-02-30", ""]
              ])
            )
          )
          const importArgs = ["import", file, "--list", "key-groups", "--database", url]
          expect(yield* failure([...importArgs, "--actor", "p-1"], false)).toBeInstanceOf(
            People.PeopleKeysMissing
          )
          expect(yield* failure(importArgs)).toBeInstanceOf(People.PeopleOptionRequired)
          const refused = yield* failure([...importArgs, "--actor", "p-1"])
          expect(refused).toBeInstanceOf(Ledger.LedgerImportError)
          // row 5: 2024-02-30 is no date (the cell); row 4: an unknown household (the core's enrolment rules)
          expect(refused instanceof Ledger.LedgerImportError && refused.badRows).toEqual([5])
          yield* Effect.promise(() =>
            writeFile(
              file,
              csv([
                keyHeader,
                [
                  "e-1",
                  "高龄独居",
                  "h-1",
                  "r-1",
                  "王小明",
                  idNumber,
                  "13812345678",
                  "2024-01-01",
                  "独居，子女在外地"
                ],
                ["e-2", "残疾", "h-1", "r-1", "王小明", idNumber, "13812345678", "2024-01-01", "肢体残疾"],
                ["e-3", "空巢", "h-9", "", "", "", "", "2024-01-01", "空巢"],
                ["e-4", "低保/困难", "h-2", "", "", "", "", "2024-02-01", ""]
              ])
            )
          )
          const core = yield* failure([...importArgs, "--actor", "p-1"])
          expect(
            core instanceof Ledger.LedgerImportError && core.rowProblems.map((p) => [p.row, p.field])
          ).toEqual([
            [4, "householdId"],
            [5, "reason"]
          ])
          yield* Effect.promise(() =>
            writeFile(
              file,
              csv([
                keyHeader,
                [
                  "e-1",
                  "高龄独居",
                  "h-1",
                  "r-1",
                  "王小明",
                  idNumber,
                  "13812345678",
                  "2024-01-01",
                  "独居，子女在外地"
                ],
                ["e-2", "残疾", "h-1", "r-1", "王小明", idNumber, "13812345678", "2024-01-01", "肢体残疾"]
              ])
            )
          )
          yield* ok([...importArgs, "--actor", "p-1"])
          // an enrolment overlapping a stored one is refused by the store's own check, and the whole file with it:
          // e-10 and its resident r-2 are not stored either
          yield* Effect.promise(() =>
            writeFile(
              file,
              csv([
                keyHeader,
                ["e-9", "高龄独居", "h-1", "r-1", "王小明", idNumber, "13812345678", "2024-06-01", "复核"],
                ["e-10", "空巢", "h-2", "r-2", "赵六", "", "", "2024-06-01", "空巢老人"]
              ])
            )
          )
          const overlap = yield* failure([...importArgs, "--actor", "p-1"])
          expect(
            overlap instanceof Ledger.LedgerImportError &&
              overlap.rowProblems.map((p) => [p.row, p.field, p.header])
          ).toEqual([[2, "since", "登记日期"]])
          expect(overlap instanceof Ledger.LedgerImportError && overlap.message).toContain("rule overlap")
          if (url.startsWith("sqlite:")) {
            // the database file holds no plaintext of the resident
            const raw = yield* Effect.promise(() => readFile(url.replace(/^sqlite:/, "")))
            expect(raw.includes(Buffer.from("13812345678"))).toBe(false)
            expect(raw.includes(Buffer.from(idNumber))).toBe(false)
          }

          const log = () =>
            onPeople(
              url,
              Effect.flatMap(PeopleRepository.PeopleRepository, (p) => p.accessLog())
            )
          const out = join(dir, "export.csv")
          const exportArgs = [
            "export",
            out,
            "--list",
            "key-groups",
            "--database",
            url,
            "--force",
            "--within",
            community
          ]
          expect(yield* failure([...exportArgs, "--actor", "p-2"])).toBeInstanceOf(
            People.PeopleOptionRequired
          )
          expect(yield* failure([...exportArgs, "--reason", "九月份入户走访"], false)).toBeInstanceOf(
            People.PeopleKeysMissing
          )
          const seeded = (yield* log()).length
          // an unknown --within, an over-long --reason, an --actor that is no id: refused before any read
          const elsewhere = exportArgs.map((a) => (a === community ? "不存在的社区" : a))
          expect(yield* failure([...elsewhere, "--actor", "p-2", "--reason", "走访"])).toBeInstanceOf(
            Hierarchy.UnitNotFound
          )
          expect(
            yield* failure([...exportArgs, "--actor", "p-2", "--reason", "走".repeat(2001)])
          ).toBeInstanceOf(People.ReasonInvalid)
          expect(yield* failure([...exportArgs, "--actor", "p\n2", "--reason", "走访"])).toBeInstanceOf(
            People.ActorInvalid
          )
          expect((yield* log()).length).toBe(seeded)

          yield* ok([...exportArgs, "--actor", "p-2", "--reason", "九月份入户走访"])
          const masked = yield* Effect.promise(() => readFile(out, "utf8"))
          expect(masked).toContain("重点人群类别")
          expect(masked).toContain("王**")
          expect(masked).toContain("138****5678")
          expect(masked).not.toContain("13812345678")
          expect(masked).not.toContain(idNumber)
          expect(masked).not.toContain("e-10")
          const entries = (yield* log()).slice(seeded)
          expect(entries.length).toBe(7)
          expect(
            new Set(entries.map((e) => `${e.actor.id} ${e.actor.role} ${e.purpose} ${e.action}`))
          ).toEqual(new Set(["p-2 community-staff 九月份入户走访 read-members"]))
          // staff hold the identity right, and the masked export asked for masked data: the log says masked
          expect(entries.map((e) => e.identity)).toEqual(entries.map(() => false))
          expect(entries.flatMap((e) => e.residentIds).filter((id) => id === "r-1")).toEqual(["r-1", "r-1"])

          yield* ok([...exportArgs, "--actor", "p-2", "--reason", "核对身份", "--identity"])
          const full = yield* Effect.promise(() => readFile(out, "utf8"))
          expect(full).toContain(idNumber)
          expect(full).toContain("13812345678")
          expect((yield* log()).filter((e) => e.purpose === "核对身份" && e.identity).length).toBe(7)
          // one category, by its Chinese name: one read, one entry, only its members
          yield* ok([...exportArgs, "--actor", "p-2", "--reason", "残疾人走访", "--category", "残疾"])
          const one = yield* Effect.promise(() => readFile(out, "utf8"))
          expect(one).toContain("e-2")
          expect(one).not.toContain("e-1,")
          expect((yield* log()).filter((e) => e.purpose === "残疾人走访").map((e) => e.categoryId)).toEqual([
            "disability"
          ])
          expect(
            yield* failure([...exportArgs, "--actor", "p-2", "--reason", "走访", "--category", "老人"])
          ).toBeInstanceOf(People.CategoryUnknown)
          expect(
            yield* failure([
              ...exportArgs,
              "--actor",
              "gw-1",
              "--role",
              "grid-worker",
              "--reason",
              "走访",
              "--identity"
            ])
          ).toBeInstanceOf(People.IdentityNotGranted)

          const audit = join(dir, "访问日志.csv")
          const auditArgs = ["export", audit, "--list", "access-log", "--database", url, "--actor", "s-9"]
          expect(yield* failure(auditArgs)).toBeInstanceOf(People.AuditRefused)
          const written = yield* ok([...auditArgs, "--role", "street-staff"])
          expect(TestConsole.plain(written.out)).toContain(
            `已导出 exported ${(yield* log()).length} 访问日志`
          )
          const text = yield* Effect.promise(() => readFile(audit, "utf8"))
          expect(text).toContain("九月份入户走访")
          expect(text).not.toContain(idNumber)
          expect(text).not.toContain("王小明")
        })
    )
  })

  describe(`civicgrid export → import --list key-groups (${dialect.name})`, () => {
    it.scopedLive(
      "a full export imports back as it was: reason, enrolled-by and visit interval survive the round trip",
      () =>
        Effect.gen(function* () {
          const dir = yield* Databases.tempDir
          const { url, community } = yield* district(dialect)
          const file = join(dir, "重点人群台账.csv")
          yield* Effect.promise(() =>
            writeFile(
              file,
              csv([
                [...keyHeader, "截止日期", "登记人", "走访周期", "周期单位"],
                [
                  "e-1",
                  "高龄独居",
                  "h-1",
                  "r-1",
                  "王小明",
                  idNumber,
                  "13812345678",
                  "2024-01-01",
                  "独居，子女在外地",
                  "",
                  "cs-7",
                  "3",
                  "自然日"
                ],
                ["e-2", "残疾", "h-2", "", "", "", "", "2024-02-01", "肢体残疾", "2030-12-31", "cs-8", "", ""]
              ])
            )
          )
          yield* ok(["import", file, "--list", "key-groups", "--database", url, "--actor", "p-1"])
          let reads = 0
          const members = () =>
            onPeople(
              url,
              Effect.gen(function* () {
                const people = yield* PeopleRepository.PeopleRepository
                const all = []
                for (const categoryId of ["elderly-alone", "disability"]) {
                  const result = yield* people.readMembers(
                    Schema.decodeSync(Actor.Actor)({ id: "p-9", role: "community-staff", unitId: community }),
                    Schema.decodeSync(KeyGroupAccess.ReadRequest)({
                      categoryId,
                      unitId: community,
                      purpose: "核对台账"
                    }),
                    {
                      date: Schema.decodeSync(WorkingCalendar.LocalDate)("2024-06-01"),
                      at: DateTime.unsafeMake(Date.UTC(2024, 5, 1)),
                      logId: KeyGroupAccess.AccessLogId.make(`check-${++reads}`)
                    }
                  )
                  if (result._tag === "Members") all.push(...result.members)
                }
                return all
              })
            )
          const before = yield* members()
          expect(before.map((m) => m.enrolment)).toEqual([
            {
              id: "e-1",
              categoryId: "elderly-alone",
              since: "2024-01-01",
              reason: "独居，子女在外地",
              enrolledBy: "cs-7",
              visitEvery: { amount: 3, unit: "natural-days" }
            },
            {
              id: "e-2",
              categoryId: "disability",
              since: "2024-02-01",
              until: "2030-12-31",
              reason: "肢体残疾",
              enrolledBy: "cs-8"
            }
          ])
          const exported = join(dir, "export.xlsx")
          const exportArgs = ["export", exported, "--list", "key-groups", "--database", url]
          const exportIn = [...exportArgs, "--within", community, "--actor", "p-2", "--identity"]
          yield* ok([...exportIn, "--reason", "台账备份"])
          // every cell of the export is filled: imported again by someone else, nothing changes
          yield* ok(["import", exported, "--list", "key-groups", "--database", url, "--actor", "p-3"])
          expect(yield* members()).toEqual(before)
          const again = join(dir, "again.xlsx")
          yield* ok([...exportIn.map((a) => (a === exported ? again : a)), "--reason", "台账备份"])
          const rowsOf = (path: string) =>
            Effect.promise(async () => {
              const workbook = new ExcelJS.Workbook()
              await workbook.xlsx.readFile(path)
              const sheet = workbook.getWorksheet("重点人群台账")
              const out: Array<unknown> = []
              sheet?.eachRow((row) => out.push(row.values))
              return out
            })
          const first = yield* rowsOf(exported)
          // the seed's own enrolments of the community are in it too; ours carry every column
          expect(JSON.stringify(first)).toContain('"e-1","高龄独居","h-1"')
          expect(first.find((r) => JSON.stringify(r).includes('"e-1"'))).toEqual(
            expect.arrayContaining(["独居，子女在外地", "cs-7", 3, "自然日"])
          )
          expect(yield* rowsOf(again)).toEqual(first)
        })
    )
  })

  describe(`civicgrid template key-groups (${dialect.name})`, () => {
    it.scopedLive("a filled-in template imports with the command it names", () =>
      Effect.gen(function* () {
        const dir = yield* Databases.tempDir
        const { url } = yield* district(dialect)
        const file = join(dir, "重点人群台账模板.xlsx")
        const written = yield* ok(["template", "key-groups", "--out", file, "--database", url])
        expect(TestConsole.plain(written.out)).toContain("--list key-groups --actor <人员编号>")
        const workbook = new ExcelJS.Workbook()
        yield* Effect.promise(() => workbook.xlsx.readFile(file))
        const sheet = workbook.getWorksheet("重点人群台账")
        if (sheet === undefined) throw new Error("no data sheet")
        const headers = (sheet.getRow(1).values as ReadonlyArray<unknown>).slice(1)
        const cells: Readonly<Record<string, string>> = {
          登记编号: "e-t1",
          重点人群类别: "高龄独居",
          户编号: "h-2",
          居民编号: "r-t1",
          姓名: "李四",
          公民身份号码: idNumber,
          // the template's 登记日期 is a text cell: what staff type stays 2024-01-02
          登记日期: "2024-01-02",
          登记原因: "八十岁以上独居"
        }
        sheet.getRow(2).values = headers.map((h) => (typeof h === "string" ? (cells[h] ?? null) : null))
        yield* Effect.promise(() => workbook.xlsx.writeFile(file))
        const imported = yield* ok([
          "import",
          file,
          "--list",
          "key-groups",
          "--database",
          url,
          "--actor",
          "p-1"
        ])
        expect(TestConsole.plain(imported.out)).toContain("已导入 imported 1")
      })
    )
  })
}
