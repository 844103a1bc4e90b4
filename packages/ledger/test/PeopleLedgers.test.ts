/**
 * The people ledgers — 走访台账, 重点人群台账 (in full and masked) and
 * 访问日志台账 — round-trip Schema-generated rows through CSV and XLSX, refuse
 * a bad cell at its Excel row and column (an ID number whose check character
 * is wrong, resident data without a resident id, half an interval), refuse a
 * masked file offered as the full one naming it, and mask the core's way.
 */
import * as Actor from "@civicgrid/core/Actor"
import * as KeyGroup from "@civicgrid/core/KeyGroup"
import type * as KeyGroupAccess from "@civicgrid/core/KeyGroupAccess"
import * as Resident from "@civicgrid/core/Resident"
import { describe, expect, it } from "@effect/vitest"
import * as Arbitrary from "effect/Arbitrary"
import * as DateTime from "effect/DateTime"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as fc from "effect/FastCheck"
import * as Schema from "effect/Schema"
import ExcelJS from "exceljs"
import { AccessLogLedger, Csv, KeyGroupLedger, type Ledger, VisitLedger, Xlsx } from "../src/index.js"

// -----------------------------------------------------------------------------
// generated rows, normalised for the documented exceptions of the round trip
// -----------------------------------------------------------------------------

/** Dates kept to 1970–2100 (Excel and the ledger's date text need four-digit years). */
const clamp = (d: DateTime.Utc): DateTime.Utc =>
  DateTime.unsafeMake(Date.UTC(1970, 0, 1) + (Math.abs(DateTime.toEpochMillis(d)) % (130 * 365 * 86_400_000)))

/**
 * What import gives back for a value (Ledger's documented exceptions): texts and list items trimmed,
 * empty list items dropped, an optional "" absent, -0 as 0; in XLSX CR LF as LF. Values inside JSON
 * cells (follow-ups) come back as they were.
 */
const normalise =
  (xlsx: boolean) =>
  <A extends object>(row: A): A => {
    const text = (s: string) => (xlsx ? s.replace(/\r\n/g, "\n") : s).trim()
    const out: Record<string, unknown> = {}
    for (const [k, v] of Object.entries(row)) {
      if (DateTime.isDateTime(v)) out[k] = clamp(v as DateTime.Utc)
      else if (typeof v === "string") {
        const t = text(v)
        if (t !== "" || !(k in optionalKeys)) out[k] = t
      } else if (typeof v === "number") out[k] = Object.is(v, -0) ? 0 : v
      else if (Array.isArray(v) && v.every((x) => typeof x === "string" || typeof x === "number"))
        out[k] = v
          .map((x: unknown) => (typeof x === "string" ? text(x) : Object.is(x, -0) ? 0 : x))
          .filter((x: unknown) => x !== "")
      else out[k] = v
    }
    return out as A
  }

/** The optional text fields of the row schemas (an optional "" reads back as absent). */
const optionalKeys: Readonly<Record<string, true>> = {
  planId: true,
  visitorDepartmentId: true,
  householdLabel: true,
  residentId: true,
  name: true,
  idNumber: true,
  phone: true,
  relation: true,
  reason: true,
  enrolledBy: true,
  actorDepartmentId: true,
  purpose: true
}

/**
 * Follow-ups are one JSON cell: a few short ones keep it within the cell limit
 * (`Ledger.defaultLimits.maxCellLength`), as the generated texts can be 4,000 characters each.
 */
const shortFollowUps = <A extends object>(row: A): A =>
  "followUps" in row && Array.isArray(row.followUps)
    ? {
        ...row,
        followUps: row.followUps
          .slice(0, 3)
          .map((f: { readonly description: string; readonly title: string }) => ({
            ...f,
            title: f.title.slice(0, 40),
            description: f.description.slice(0, 200)
          }))
      }
    : row

const rowsOf = <A extends object, I>(
  schema: Schema.Schema<A, I, never>,
  xlsx: boolean
): fc.Arbitrary<ReadonlyArray<A>> =>
  fc.array(
    Arbitrary.make(schema)
      .map(shortFollowUps)
      .map(normalise(xlsx))
      .filter((r) => Schema.is(schema)(r)),
    { maxLength: 6 }
  )

/** Rows as JSON (DateTimes as ISO), for comparisons. */
const json = <A, I>(schema: Schema.Schema<A, I, never>, rows: ReadonlyArray<A>): unknown =>
  JSON.parse(JSON.stringify(Schema.encodeSync(Schema.Array(schema))(rows)))

const csvRoundTrip = <A>(spec: Ledger.LedgerSpec<A>, rows: ReadonlyArray<A>): ReadonlyArray<A> =>
  Either.getOrThrowWith(
    Either.flatMap(Csv.write(spec, rows), (csv) => Csv.read(spec, csv)),
    (e) => new Error(e.message)
  )

const cases = [
  { name: "走访台账", spec: VisitLedger.spec, schema: VisitLedger.VisitRow },
  { name: "重点人群台账", spec: KeyGroupLedger.spec, schema: KeyGroupLedger.KeyGroupRow },
  { name: "重点人群台账（脱敏）", spec: KeyGroupLedger.maskedSpec, schema: KeyGroupLedger.MaskedKeyGroupRow },
  { name: "访问日志台账", spec: AccessLogLedger.spec, schema: AccessLogLedger.AccessLogRow }
] as const

describe("people ledgers — export → import gives the rows back", () => {
  for (const c of cases) {
    const spec = c.spec as unknown as Ledger.LedgerSpec<object>
    const schema = c.schema as unknown as Schema.Schema<object, unknown, never>
    it.prop(`${c.name}: CSV`, [rowsOf(schema, false)], ([rows]) => {
      expect(json(schema, csvRoundTrip(spec, rows))).toEqual(json(schema, rows))
    })
    it.effect.prop(
      `${c.name}: XLSX`,
      [rowsOf(schema, true)],
      ([rows]) =>
        Effect.gen(function* () {
          const back = yield* Effect.flatMap(Xlsx.write(spec, rows), (bytes) => Xlsx.read(spec, bytes))
          expect(json(schema, back)).toEqual(json(schema, rows))
        }),
      { fastCheck: { numRuns: 15 } }
    )
  }
})

// -----------------------------------------------------------------------------
// refusals
// -----------------------------------------------------------------------------

const id17 = "11010519491231002"
const goodId = `${id17}${Resident.idCheckCharacter(id17)}`
const badId = `${id17}${Resident.idCheckCharacter(id17) === "1" ? "2" : "1"}`

const keyGroupCsv = (lines: ReadonlyArray<ReadonlyArray<string>>): string => {
  const header = KeyGroupLedger.spec.columns.map((c) => c.header)
  const at = (h: string) => header.indexOf(h)
  return [
    header.join(","),
    ...lines.map((cells) => {
      const row = header.map(() => "")
      for (const [h, v] of Object.entries(
        Object.fromEntries(cells.map((c) => c.split("=") as [string, string]))
      ))
        row[at(h)] = v
      return row.join(",")
    })
  ].join("\r\n")
}

const base = ["登记编号=e-1", "重点人群类别=高龄独居", "户编号=h-1", "登记日期=2024-03-01", "登记原因=独居"]

describe("重点人群台账 — every bad cell refused with its row and column", () => {
  it("reads a good row: the category by its Chinese name, the ID number and phone in full", () => {
    const csv = keyGroupCsv([[...base, "居民编号=r-1", `公民身份号码=${goodId}`, "联系电话=13812345678"]])
    const [row] = Either.getOrThrowWith(Csv.read(KeyGroupLedger.spec, csv), (e) => new Error(e.message))
    expect(row?.categoryId).toBe("elderly-alone")
    expect(row?.idNumber).toBe(goodId)
    const enrolment =
      row === undefined ? undefined : KeyGroupLedger.toEnrolment(row, Actor.ActorId.make("op"))
    expect(enrolment).toMatchObject({ id: "e-1", enrolledBy: "op", residentId: "r-1", reason: "独居" })
  })

  it("refuses an ID number with a wrong check character, resident data without a resident id, half an interval", () => {
    const csv = keyGroupCsv([
      [...base, "居民编号=r-1", `公民身份号码=${goodId}`],
      [...base.map((c) => c.replace("e-1", "e-2")), "居民编号=r-2", `公民身份号码=${badId}`],
      [...base.map((c) => c.replace("e-1", "e-3")), "姓名=王小明"],
      [...base.map((c) => c.replace("e-1", "e-4")), "走访周期=7"]
    ])
    const error = Either.getOrThrowWith(
      Either.flip(Csv.read(KeyGroupLedger.spec, csv)),
      () => new Error("read")
    )
    expect(error._tag).toBe("LedgerImportError")
    if (error._tag !== "LedgerImportError") return
    expect(error.badRows).toEqual([3, 4, 5])
    const idProblem = error.rowProblems.find((p) => p.row === 3)
    expect(idProblem).toMatchObject({ header: "公民身份号码", field: "idNumber", rule: "invalid" })
    expect(idProblem?.message).toContain("id-number-format")
    expect(error.rowProblems.find((p) => p.row === 4)?.message).toContain("resident-id")
    expect(error.rowProblems.find((p) => p.row === 5)?.message).toContain("visit-interval")
  })

  it("refuses a masked file offered as the full ledger, naming its masked columns", () => {
    const masked = Either.getOrThrow(
      Csv.write(KeyGroupLedger.maskedSpec, [
        KeyGroupLedger.mask({
          id: KeyGroup.EnrolmentId.make("e-1"),
          categoryId: KeyGroup.CategoryId.make("elderly-alone"),
          householdId: Schema.decodeSync(KeyGroup.Enrolment.fields.householdId)("h-1"),
          residentId: Resident.ResidentId.make("r-1"),
          name: "王小明",
          idNumber: goodId,
          phone: "13812345678",
          since: Schema.decodeSync(KeyGroup.Enrolment.fields.since)("2024-03-01")
        })
      ])
    )
    expect(masked).toContain("王**")
    expect(masked).toContain(`${goodId.slice(0, 4)}**********${goodId.slice(-4)}`)
    expect(masked).toContain("138****5678")
    expect(masked).not.toContain(goodId)
    const error = Either.getOrThrowWith(
      Either.flip(Csv.read(KeyGroupLedger.spec, masked, { kinds: [KeyGroupLedger.maskedSpec] })),
      () => new Error("read")
    )
    expect(
      error._tag === "LedgerImportError" && error.headerProblems.map((p) => `${p.rule} ${p.header}`)
    ).toEqual([
      "unknown-column 姓名（脱敏）",
      "unknown-column 公民身份号码（脱敏）",
      "unknown-column 联系电话（脱敏）"
    ])
  })

  it("makes the row of a member a logged read returned", () => {
    const member: KeyGroupAccess.Member = {
      household: {
        id: Schema.decodeSync(KeyGroup.Enrolment.fields.householdId)("h-1"),
        label: "3号楼2单元201",
        unitId: Schema.decodeSync(Actor.Actor.fields.unitId)("b-1")
      },
      enrolment: {
        id: KeyGroup.EnrolmentId.make("e-1"),
        categoryId: KeyGroup.CategoryId.make("disability"),
        since: Schema.decodeSync(KeyGroup.Enrolment.fields.since)("2024-03-01"),
        enrolledBy: Actor.ActorId.make("cs-1"),
        visitEvery: { amount: 2, unit: "months" }
      },
      resident: Resident.view(
        {
          id: Resident.ResidentId.make("r-1"),
          householdId: Schema.decodeSync(KeyGroup.Enrolment.fields.householdId)("h-1"),
          name: "李四",
          phone: "13812345678"
        },
        false
      )
    }
    expect(KeyGroupLedger.fromMember(member)).toEqual({
      id: "e-1",
      categoryId: "disability",
      householdId: "h-1",
      householdLabel: "3号楼2单元201",
      residentId: "r-1",
      name: "李*",
      phone: "138****5678",
      since: "2024-03-01",
      enrolledBy: "cs-1",
      visitEveryAmount: 2,
      visitEveryUnit: "months"
    })
    // a read in full carries the reason: the row is the whole enrolment
    const full = { ...member, enrolment: { ...member.enrolment, reason: "肢体残疾" } }
    expect(KeyGroupLedger.fromMember(full)).toMatchObject({ reason: "肢体残疾", enrolledBy: "cs-1" })
  })
})

describe("重点人群台账 — dates as staff type them into Excel", () => {
  it.effect(
    "a date cell Excel made of 2024-03-01 reads as the date 2024-03-01, and is written back as text",
    () =>
      Effect.gen(function* () {
        const workbook = new ExcelJS.Workbook()
        const sheet = workbook.addWorksheet("重点人群台账")
        sheet.addRow(["登记编号", "重点人群类别", "户编号", "登记日期", "截止日期", "登记原因"])
        // Excel keeps a typed date as a serial number of the day: exceljs hands it over as that day at 00:00 UTC
        sheet.addRow([
          "e-1",
          "空巢",
          "h-1",
          new Date(Date.UTC(2024, 2, 1)),
          new Date(Date.UTC(2024, 11, 31)),
          "空巢老人"
        ])
        const bytes = new Uint8Array(yield* Effect.promise(() => workbook.xlsx.writeBuffer()))
        const [row] = yield* Xlsx.read(KeyGroupLedger.spec, bytes)
        expect([row?.since, row?.until]).toEqual(["2024-03-01", "2024-12-31"])
        const csv = Either.getOrThrow(Csv.write(KeyGroupLedger.spec, row === undefined ? [] : [row]))
        expect(csv).toContain(",2024-03-01,2024-12-31,")
      })
  )

  it("refuses a date that is not yyyy-mm-dd with its row and column", () => {
    const csv = keyGroupCsv([[...base.map((c) => c.replace("2024-03-01", "2024-03-01 08:00:00"))]])
    const error = Either.getOrThrowWith(
      Either.flip(Csv.read(KeyGroupLedger.spec, csv)),
      () => new Error("read")
    )
    expect(error._tag === "LedgerImportError" && error.rowProblems.map((p) => [p.row, p.header])).toEqual([
      [2, "登记日期"]
    ])
  })
})

describe("走访台账 — a row is the core's visit command", () => {
  it.prop(
    "toCommand ∘ toRow keeps every field of the visit but the position check",
    [Arbitrary.make(VisitLedger.VisitRow)],
    ([row]) => {
      const command = VisitLedger.toCommand(row)
      const visit = { ...command, positionCheck: row.positionCheck ?? "no-position" }
      const { _tag, ...fields } = visit
      const back = VisitLedger.toRow(fields)
      const { positionCheck: _a, ...rest } = row
      const { positionCheck: _b, ...restBack } = back
      expect(restBack).toEqual(rest)
    }
  )
})

describe("访问日志台账 — toEntry inverts toRow", () => {
  it.prop("entry → row → entry", [Arbitrary.make(AccessLogLedger.AccessLogRow)], ([row]) => {
    expect(AccessLogLedger.toRow(AccessLogLedger.toEntry(row))).toEqual(row)
  })
})
