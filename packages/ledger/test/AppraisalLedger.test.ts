/**
 * 干部考核台账 and 任职人员台账: Schema-generated rows export and import back
 * (CSV and XLSX); periods read as staff write them (ISO-style and Chinese
 * labels); a cell that is not a period is refused naming the row and header.
 */
import * as OrganizationRepository from "@civicgrid/core/OrganizationRepository"
import * as Period from "@civicgrid/core/Period"
import * as Staffing from "@civicgrid/core/Staffing"
import { describe, expect, it } from "@effect/vitest"
import * as Arbitrary from "effect/Arbitrary"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as fc from "effect/FastCheck"
import * as Schema from "effect/Schema"
import { AppraisalLedger, Csv, type Ledger, PostHolderLedger, Xlsx } from "../src/index.js"

const json = <A, I>(schema: Schema.Schema<A, I, never>, rows: ReadonlyArray<A>): unknown =>
  JSON.parse(JSON.stringify(Schema.encodeSync(Schema.Array(Schema.typeSchema(schema)))(rows)))

const roundTrip = <A, I>(
  name: string,
  spec: Ledger.LedgerSpec<A>,
  schema: Schema.Schema<A, I, never>,
  arb: fc.Arbitrary<A>
) => {
  const rows = fc.array(arb, { maxLength: 6 })
  it.prop(`${name}: rows → CSV → rows`, [rows], ([xs]) => {
    const back = Either.getOrThrowWith(
      Either.flatMap(Csv.write(spec, xs), (text) => Csv.read(spec, text)),
      (e) => new Error(e.message)
    )
    expect(json(schema, back)).toEqual(json(schema, xs))
  })
  it.effect.prop(
    `${name}: rows → XLSX → rows`,
    [rows],
    ([xs]) =>
      Effect.gen(function* () {
        const back = yield* Xlsx.read(spec, yield* Xlsx.write(spec, xs))
        expect(json(schema, back)).toEqual(json(schema, xs))
      }),
    { fastCheck: { numRuns: 25 } }
  )
}

// scores as sheets hold them: finite numbers (the 0–100 range is the core's check, so out-of-range ones are generated too)
const appraisals = Arbitrary.make(Schema.typeSchema(AppraisalLedger.FlatRow)).map(
  ({ note, unitId, ...appraisal }): OrganizationRepository.UnitAppraisal => ({
    unitId,
    appraisal: {
      ...appraisal,
      score: Number.isFinite(appraisal.score) ? appraisal.score : 50,
      // cells are read trimmed with line breaks as \n (XLSX keeps them so), and an empty cell is no note
      ...(note === undefined || note.trim() === "" ? {} : { note: note.replace(/\r\n?/g, "\n").trim() })
    }
  })
)

describe("干部考核台账 — cadre appraisals", () => {
  roundTrip("干部考核台账", AppraisalLedger.spec, OrganizationRepository.UnitAppraisal, appraisals)

  it.prop(
    "a period reads from its ISO-style and its Chinese label alike",
    [Arbitrary.make(AppraisalLedger.PeriodCell)],
    ([period]) => {
      for (const label of [Period.label(period), Period.labelZh(period)]) {
        const text = `社区,人员编号,考核周期,得分\r\nc-1,p-1,${label},85`
        const [row] = Either.getOrThrowWith(Csv.read(AppraisalLedger.spec, text), (e) => new Error(e.message))
        expect(row?.appraisal.period).toEqual(period)
        expect(row?.unitId).toBe("c-1")
      }
    }
  )

  it("a cell that is not a period is refused at its row and header", () => {
    const text = "社区,人员编号,考核周期,得分\r\nc-1,p-1,2025-Q3,85\r\nc-1,p-2,第三季度,70"
    const error = Either.flip(Csv.read(AppraisalLedger.spec, text)).pipe(Either.getOrThrow)
    expect(error.message).toContain("考核周期")
    expect(error.message).toMatch(/3/)
    expect(error.message).toContain("第三季度")
  })
})

describe("任职人员台账 — post holders", () => {
  roundTrip("任职人员台账", PostHolderLedger.spec, Staffing.Person, Arbitrary.make(Staffing.Person))
})
