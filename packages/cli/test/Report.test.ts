/**
 * `civicgrid report monthly` on a small seeded SQLite database writes the
 * 月度考核通报: an XLSX with the sheets 排名, 指标 and 红灯案件, their Chinese
 * headers, one ranking row per child unit (grade and light those of the
 * core's `Score.grade` / `Score.light` for the total), one indicator row per
 * unit and indicator of the profile, and red-light cases past their deadline
 * at `--as-of`; an unknown profile is refused naming `--profile`, writing
 * nothing.
 */
import { existsSync } from "node:fs"
import { join } from "node:path"
import * as Score from "@civicgrid/core/Score"
import * as District from "@civicgrid/demo/District"
import { describe, expect, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Exit from "effect/Exit"
import ExcelJS from "exceljs"
import { indicatorSpec, rankingSpec, redCaseSpec } from "../src/commands/Report.js"
import * as Databases from "./support/Databases.js"
import * as TestConsole from "./support/TestConsole.js"

const district = Either.getOrThrow(District.make({ streets: 1, communitiesPerStreet: 3 }))
const street = district.units.find((u) => u.level === "street")
const communities = district.units.filter((u) => u.parentId === street?.id).map((u) => u.id)

const load = (file: string) =>
  Effect.promise(async () => {
    const workbook = new ExcelJS.Workbook()
    await workbook.xlsx.readFile(file)
    return workbook
  })

const rowsOf = (workbook: ExcelJS.Workbook, name: string): ReadonlyArray<ReadonlyArray<unknown>> => {
  const sheet = workbook.getWorksheet(name)
  if (sheet === undefined) throw new Error(`no sheet ${name}`)
  const out: Array<ReadonlyArray<unknown>> = []
  sheet.eachRow((row) => {
    const values = row.values
    out.push(Array.isArray(values) ? values.slice(1) : [])
  })
  return out
}

describe("civicgrid report monthly", () => {
  it.scoped(
    "writes 排名, 指标 and 红灯案件 for the child units of a street from a seeded SQLite store",
    () =>
      Effect.gen(function* () {
        const url = yield* Databases.sqlite.fresh
        const dir = yield* Databases.tempDir
        const migrated = yield* TestConsole.runCli(["migrate", "--database", url])
        expect(Exit.isSuccess(migrated.exit), migrated.err).toBe(true)
        const seeded = yield* TestConsole.runCli([
          "seed",
          "--streets",
          "1",
          "--communities-per-street",
          "3",
          "--cases",
          "300",
          "--database",
          url
        ])
        expect(Exit.isSuccess(seeded.exit), seeded.err).toBe(true)
        if (street === undefined) throw new Error("no street")
        const file = join(dir, "月度考核通报-2025-03.xlsx")
        const args = ["report", "monthly", "--period", "2025-03", "--within", street.id]
        const run = yield* TestConsole.runCli([
          ...args,
          "--as-of",
          "2025-04-01T00:00:00Z",
          "--min-sample",
          "1",
          "--out",
          file,
          "--database",
          url
        ])
        expect(Exit.isSuccess(run.exit), run.err).toBe(true)
        const workbook = yield* load(file)
        expect(workbook.worksheets.map((s) => s.name)).toEqual(["排名", "指标", "红灯案件"])

        const ranking = rowsOf(workbook, "排名")
        expect(ranking[0]).toEqual(rankingSpec.columns.map((c) => c.header))
        const rankingRows = ranking.slice(1)
        expect(rankingRows.map((r) => r[1]).sort()).toEqual([...communities].sort())
        for (const [, , , total, grade, light] of rankingRows) {
          if (typeof total === "number") {
            expect(grade).toBe(Score.grade(total))
            expect(light).toBe(Score.lightNames[Score.light(total)])
          }
        }
        expect(rankingRows.some((r) => typeof r[0] === "number")).toBe(true)

        const indicators = rowsOf(workbook, "指标")
        expect(indicators[0]).toEqual(indicatorSpec.columns.map((c) => c.header))
        expect(indicators.length - 1).toBe(communities.length * Score.threeRates_10_50_40.indicators.length)
        for (const row of indicators.slice(1)) {
          const [, , , , , numerator, denominator] = row
          expect(typeof numerator).toBe("number")
          expect(typeof denominator).toBe("number")
          expect(Number(numerator)).toBeLessThanOrEqual(Number(denominator))
        }
        expect(indicators.slice(1).some((r) => Number(r[6]) > 0)).toBe(true)

        const red = rowsOf(workbook, "红灯案件")
        expect(red[0]).toEqual(redCaseSpec.columns.map((c) => c.header))
        expect(red.length).toBeGreaterThan(1)
        for (const row of red.slice(1)) {
          const [caseId, reason, , communityId, , , , reportedAt, deadline] = row
          expect(String(caseId)).toMatch(/^2025-/)
          expect(communities).toContain(communityId)
          expect(String(reportedAt).startsWith("2025-03")).toBe(true)
          if (String(reason).startsWith("超期未办结"))
            expect(String(deadline) < "2025-04-01 08:00:00").toBe(true)
        }

        // an unknown profile is refused by name, and nothing is written
        const other = join(dir, "other.xlsx")
        const refused = yield* TestConsole.runCli([
          ...args,
          "--profile",
          "no-such-profile",
          "--out",
          other,
          "--database",
          url
        ])
        expect(Exit.isFailure(refused.exit)).toBe(true)
        expect(refused.err).toContain("--profile")
        expect(refused.err).toContain(Score.cjt292Style.id)
        expect(existsSync(other)).toBe(false)
      }),
    { timeout: 120_000 }
  )
})
