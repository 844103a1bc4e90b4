import * as AreaCode from "@civicgrid/core/AreaCode"
import * as CaseCategory from "@civicgrid/core/CaseCategory"
import * as GridCode from "@civicgrid/core/GridCode"
import * as Indicator from "@civicgrid/core/Indicator"
import * as LevelScheme from "@civicgrid/core/LevelScheme"
import * as Score from "@civicgrid/core/Score"
import * as Survey from "@civicgrid/core/Survey"
import * as TimeLimit from "@civicgrid/core/TimeLimit"
import * as WorkDuration from "@civicgrid/core/WorkDuration"
import * as Open311 from "@civicgrid/http/Open311"
import { describe, expect, it } from "@effect/vitest"
import * as Either from "effect/Either"
import * as fc from "fast-check"
import * as CaseCategories from "../src/docs/CaseCategories.js"
import * as GridCodes from "../src/docs/GridCodes.js"
import * as Indicators from "../src/docs/Indicators.js"
import * as LevelSchemes from "../src/docs/LevelSchemes.js"
import * as Open311Statuses from "../src/docs/Open311Statuses.js"
import * as TimeLimits from "../src/docs/TimeLimits.js"
import { cell } from "../src/internal/markdown.js"

// The topic pages without parsed sources: doc texts are left out, every value is still rendered.
const noModules = [] as const

describe("indicators page (Indicator.definitions, Score, Survey)", () => {
  const page = Indicators.renderPage({ definitions: Indicator.definitions, modules: noModules })

  it("renders every indicator definition: names, numerator, denominator, formula, attribution, source", () => {
    expect(Indicator.definitions.length).toBe(Indicator.ids.length)
    for (const d of Indicator.definitions) {
      expect(page).toContain(`### ${d.name} ${d.nameEn}`)
      for (const text of [d.id, d.numerator, d.denominator, d.formula, d.attribution, d.source]) {
        expect(page, d.id).toContain(cell(text))
      }
    }
  })

  it("renders every shipped scoring profile with each indicator's weight and scoring", () => {
    const profiles = [Score.threeRates_10_50_40, Score.threeRates_30_35_35, Score.cjt292Style]
    for (const p of profiles) {
      const section = page.split(`### ${p.name} `)[1]?.split("\n### ")[0] ?? ""
      for (const i of p.indicators) {
        expect(section, `${p.id} ${i.id}`).toContain(
          `| \`${i.id}\` | ${i.name} | ${i.nameEn} | ${i.weight} | ${Indicators.describeScoring(i.scoring)} |`
        )
      }
    }
  })

  it("renders every grade band and every level of every shipped scale", () => {
    for (const b of Score.defaultGradeBands.bands) expect(page).toContain(`| \`${b.grade}\` | ${b.atLeast} |`)
    for (const scale of [Survey.FiveLevel, Survey.GoodBadReview, Survey.ThreeLevel, Survey.YesNo]) {
      const section = page.split(`### ${scale.name} `)[1]?.split("\n### ")[0] ?? ""
      scale.levels.forEach((l, i) => {
        const satisfied = scale.satisfied.includes(l.id) ? "yes" : "no"
        expect(section, `${scale.id} ${l.id}`).toContain(
          `| ${i + 1} | \`${l.id}\` | ${l.name} | ${l.nameEn} | ${satisfied} |`
        )
      })
    }
  })
})

describe("code formats page (GridCode, AreaCode)", () => {
  const area = Either.getOrThrow(AreaCode.encode({ county: GridCodes.sampleCounty, street: 1, community: 2 }))
  const gb = Either.getOrThrow(GridCode.encodeGb(area, 3))
  const cj = Either.getOrThrow(GridCode.encodeCj(area, 3))

  it("splits both formats into contiguous segments covering every digit, the sequence last", () => {
    for (const [sample, sequenceDigits] of [
      [gb, 3],
      [cj, 2]
    ] as const) {
      const segments = GridCodes.segmentsOf(sample)
      expect(segments[0]?.first).toBe(1)
      expect(segments[segments.length - 1]?.last).toBe(sample.length)
      for (const [i, s] of segments.slice(1).entries()) expect(s.first).toBe((segments[i]?.last ?? 0) + 1)
      const last = segments[segments.length - 1]
      expect(last?.parts).toEqual(["sequence"])
      expect((last?.last ?? 0) - (last?.first ?? 0) + 1).toBe(sequenceDigits)
      for (const part of ["street", "community"]) {
        const s = segments.find((x) => x.parts.length === 1 && x.parts[0] === part)
        expect(s && s.last - s.first + 1, part).toBe(3)
      }
    }
  })

  it.prop(
    "runs partition their range in order, neighbours differ, and each value keeps its label",
    [fc.integer({ min: 0, max: 50 }), fc.integer({ min: 0, max: 80 }), fc.integer({ min: 1, max: 7 })],
    ([from, length, modulus]) => {
      const label = (n: number) => (n % modulus === 0 ? undefined : String(Math.floor(n / modulus) % 3))
      const runs = GridCodes.runs(from, from + length, label)
      expect(runs[0]?.from).toBe(from)
      expect(runs[runs.length - 1]?.to).toBe(from + length)
      runs.forEach((r, i) => {
        if (i > 0) {
          expect(r.from).toBe((runs[i - 1]?.to ?? 0) + 1)
          expect(r.label).not.toBe(runs[i - 1]?.label)
        }
        for (let n = r.from; n <= r.to; n++) expect(label(n)).toBe(r.label)
      })
    }
  )

  const page = GridCodes.renderPage(noModules)
  const allowedOf = (heading: string): string => {
    const section = page.split(heading)[1]?.split("\n### ")[0] ?? ""
    const row = section.split("\n").find((l) => l.includes("| `sequence` |")) ?? ""
    return row.split(" | ").slice(-1)[0]?.replace(/ \|$/, "") ?? ""
  }
  const inRanges = (ranges: string, n: number): boolean =>
    ranges.split("; ").some((r) => {
      const [lo, hi] = r.split("–").map(Number)
      return lo !== undefined && n >= lo && n <= (hi ?? lo)
    })

  it.prop(
    "the sequence ranges stated for each format are exactly the sequences its encoder accepts",
    [fc.integer({ min: 0, max: 1000 })],
    ([n]) => {
      expect(inRanges(allowedOf("### GB/T 30428.1"), n)).toBe(Either.isRight(GridCode.encodeGb(area, n)))
      expect(inRanges(allowedOf("### CJ/T 213"), n)).toBe(Either.isRight(GridCode.encodeCj(area, n)))
    }
  )

  it("lists every validation rule of both codes with the errors' own text", () => {
    for (const rule of GridCode.InvalidGridCode.fields.rule.literals)
      expect(page).toContain(`| \`${rule}\` |`)
    for (const rule of AreaCode.InvalidAreaCode.fields.rule.literals)
      expect(page).toContain(`| \`${rule}\` |`)
  })
})

describe("level schemes page", () => {
  const page = LevelSchemes.renderPage(noModules)

  it("renders every shipped scheme, each level with its names and the levels it may hang under", () => {
    for (const scheme of [
      LevelScheme.FiveLevel,
      LevelScheme.WithHouseholds,
      LevelScheme.StreetAreaCommunityGrid,
      LevelScheme.SixLevel
    ]) {
      const section = page.split(`## ${scheme.name} (`)[1]?.split("\n## ")[0] ?? ""
      expect(section, scheme.id).toContain(`id \`${scheme.id}\``)
      for (const level of scheme.levels) {
        const row = section.split("\n").find((l) => l.includes(`| \`${level.id}\` |`)) ?? ""
        expect(row).toContain(`| ${level.name} | ${level.nameEn} |`)
        for (const parent of scheme.levels) {
          const listed = (row.split(" | ").slice(-1)[0] ?? "").includes(`\`${parent.id}\``)
          expect(listed, `${scheme.id}: ${level.id} under ${parent.id}`).toBe(
            LevelScheme.canParent(scheme, parent.id, level.id)
          )
        }
      }
    }
  })
})

describe("case categories page", () => {
  const page = CaseCategories.renderPage(noModules)

  it("lists every category of the widest catalogue exactly once", () => {
    for (const c of CaseCategory.WithCommunityGovernance.categories) {
      const mentions = page.split(`\`${c.id}\``).length - 1
      expect(mentions, c.id).toBe(1)
    }
  })
})

describe("time limits page", () => {
  const page = TimeLimits.renderPage(noModules)

  it("lists every rule of the default policy and the limit a lookup gives each step and urgency", () => {
    for (const rule of TimeLimit.defaultPolicy.rules) expect(page).toContain(WorkDuration.format(rule.limit))
    const matrix = TimeLimits.matrix(TimeLimit.defaultPolicy)
    expect(matrix.every((row) => row.limits.every((l) => l !== "—"))).toBe(true)
  })
})

describe("Open311 page", () => {
  const page = Open311Statuses.renderPage(noModules)

  it("renders every row of Open311.statusTable", () => {
    for (const row of Open311.statusTable) {
      expect(page).toContain(`| \`${row.open311}\` | \`${row.extended}\` | ${cell(row.note)} |`)
    }
  })
})
