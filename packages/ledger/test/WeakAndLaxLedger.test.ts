/**
 * 软弱涣散台账: Schema-generated flags export and import back (CSV and XLSX);
 * a body named by its name reads as its id, an ambiguous name and a cell that
 * is not a period or not 是/否 are refused at their row and header; the
 * flags read back give the core's count against the zero target.
 */
import * as Body from "@civicgrid/core/Body"
import * as OrganizationMetrics from "@civicgrid/core/OrganizationMetrics"
import * as Period from "@civicgrid/core/Period"
import { describe, expect, it } from "@effect/vitest"
import * as Arbitrary from "effect/Arbitrary"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as fc from "effect/FastCheck"
import * as Schema from "effect/Schema"
import { Csv, Ledger, WeakAndLaxLedger, Xlsx } from "../src/index.js"

const json = (rows: ReadonlyArray<OrganizationMetrics.WeakAndLaxFlag>): unknown =>
  JSON.parse(
    JSON.stringify(
      Schema.encodeSync(Schema.Array(Schema.typeSchema(OrganizationMetrics.WeakAndLaxFlag)))(rows)
    )
  )

// cells are read trimmed with line breaks as \n (XLSX keeps them so), and an empty cell is no reason
const flags = Arbitrary.make(Schema.typeSchema(WeakAndLaxLedger.rowSchema())).map(
  ({ reason, ...flag }): OrganizationMetrics.WeakAndLaxFlag => ({
    ...flag,
    ...(reason === undefined || reason.trim() === "" ? {} : { reason: reason.replace(/\r\n?/g, "\n").trim() })
  })
)

const refused = (spec: Ledger.LedgerSpec<unknown>, text: string): Ledger.LedgerImportError => {
  const error = Either.flip(Csv.readReport(spec, text)).pipe(Either.getOrThrow)
  if (error instanceof Ledger.LedgerImportError) return error
  throw new Error(`expected a LedgerImportError, got ${error.message}`)
}

const bodies: ReadonlyArray<Body.Body> = [
  Body.make({ id: "c1-party", kind: "community-party-committee", name: "金沙社区党委", unitId: "c1" }),
  Body.make({ id: "v1-party", kind: "village-party-branch", name: "党支部", unitId: "v1" }),
  Body.make({ id: "v2-party", kind: "village-party-branch", name: "党支部", unitId: "v2" })
]

describe("软弱涣散台账 — weak-and-lax flags", () => {
  const rows = fc.array(flags, { maxLength: 6 })
  it.prop("rows → CSV → rows", [rows], ([xs]) => {
    const back = Either.getOrThrowWith(
      Either.flatMap(Csv.write(WeakAndLaxLedger.spec, xs), (text) => Csv.read(WeakAndLaxLedger.spec, text)),
      (e) => new Error(e.message)
    )
    expect(json(back)).toEqual(json(xs))
  })
  it.effect.prop(
    "rows → XLSX → rows",
    [rows],
    ([xs]) =>
      Effect.gen(function* () {
        const back = yield* Xlsx.read(WeakAndLaxLedger.spec, yield* Xlsx.write(WeakAndLaxLedger.spec, xs))
        expect(json(back)).toEqual(json(xs))
      }),
    { fastCheck: { numRuns: 25 } }
  )

  it("a body by name reads as its id, 是/否 as the flag, Chinese periods as periods; the core counts the flagged against zero", () => {
    const spec = WeakAndLaxLedger.make({ bodies })
    const text = [
      "党组织,周期,是否软弱涣散,原因",
      "金沙社区党委,2025年第1季度,是,班子不团结",
      "c1-party,2025-Q2,否,",
      "v1-party,2025-Q2,否,"
    ].join("\r\n")
    const read = Either.getOrThrowWith(Csv.read(spec, text), (e) => new Error(e.message))
    expect(read.map((f) => [f.bodyId, Period.label(f.period), f.flagged, f.reason])).toEqual([
      ["c1-party", "2025-Q1", true, "班子不团结"],
      ["c1-party", "2025-Q2", false, undefined],
      ["v1-party", "2025-Q2", false, undefined]
    ])
    const q1 = Either.getOrThrow(Period.parse("2025-Q1"))
    const q2 = Either.getOrThrow(Period.parse("2025-Q2"))
    expect(OrganizationMetrics.weakAndLax(read, q1)).toMatchObject({ flagged: ["c1-party"], met: false })
    expect(OrganizationMetrics.weakAndLax(read, q2)).toMatchObject({ count: 0, target: 0, met: true })
    // written back: the period ISO-style, the flag 是/否
    const written = Either.getOrThrow(Csv.write(spec, read))
    expect(written).toContain("2025-Q1")
    expect(written).toContain("是")
  })

  it("an ambiguous body name, a cell that is not a period, one that is not 是/否 are refused at their row and header", () => {
    const spec = WeakAndLaxLedger.make({ bodies })
    const error = refused(
      spec as Ledger.LedgerSpec<unknown>,
      [
        "党组织,周期,是否软弱涣散,原因",
        "c1-party,2025-Q1,是,",
        "党支部,2025-Q1,否,",
        "v1-party,第三季度,否,",
        "v2-party,2025-Q1,也许,"
      ].join("\r\n")
    )
    expect(error.rowProblems.map((p) => [p.row, p.header, p.rule])).toEqual([
      [3, "党组织", "invalid"],
      [4, "周期", "invalid"],
      [5, "是否软弱涣散", "type"]
    ])
    expect(error.message).toContain("v1-party（v1）")
  })
})
