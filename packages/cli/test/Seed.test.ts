/**
 * `civicgrid seed` seeds exactly the district, cases and lists its options
 * describe — and the demo people data, on the public demo key — (counted back through the repositories), on SQLite and PostgreSQL; refuses
 * a database that already holds a district, changing nothing; refuses bad
 * sizes before opening the database, naming the option, the field and the
 * rule; and reports progress per phase.
 */
import { existsSync } from "node:fs"
import * as CaseRepository from "@civicgrid/core/CaseRepository"
import * as GridRepository from "@civicgrid/core/GridRepository"
import * as Hierarchy from "@civicgrid/core/Hierarchy"
import * as HierarchyRepository from "@civicgrid/core/HierarchyRepository"
import { ListRepository } from "@civicgrid/core/ListRepository"
import * as PeopleRepository from "@civicgrid/core/PeopleRepository"
import { UnitId } from "@civicgrid/core/Unit"
import * as WorkingCalendar from "@civicgrid/core/WorkingCalendar"
import * as App from "@civicgrid/demo/App"
import * as Cases from "@civicgrid/demo/Cases"
import * as District from "@civicgrid/demo/District"
import * as Lists from "@civicgrid/demo/Lists"
import * as People from "@civicgrid/demo/People"
import * as Seed from "@civicgrid/demo/Seed"
import * as SqlPeopleRepository from "@civicgrid/sql/SqlPeopleRepository"
import * as NodeContext from "@effect/platform-node/NodeContext"
import { describe, expect, it } from "@effect/vitest"
import * as DateTime from "effect/DateTime"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Exit from "effect/Exit"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import { AlreadySeeded, phaseLabels } from "../src/commands/Seed.js"
import * as DatabaseOption from "../src/DatabaseOption.js"
import * as Databases from "./support/Databases.js"
import * as TestConsole from "./support/TestConsole.js"

const small = { streets: 1, communitiesPerStreet: 2 } as const
const smallArgs = ["--streets", "1", "--communities-per-street", "2", "--cases", "50"]

/** What the store holds, counted through the repositories: units, grids, cases, list items, households, contacts. */
const counts = (url: string) =>
  Effect.gen(function* () {
    const database = yield* DatabaseOption.resolve(Option.some(url))
    return yield* Effect.gen(function* () {
      const hierarchy = yield* Effect.flatMap(HierarchyRepository.HierarchyRepository, (r) => r.load)
      const root = Hierarchy.root(hierarchy).id
      const grids = yield* Effect.flatMap(GridRepository.GridRepository, (r) => r.grids(root))
      const cases = yield* Effect.flatMap(CaseRepository.CaseRepository, (r) =>
        r.list({ within: UnitId.make(root), limit: 500 })
      )
      const lists = yield* ListRepository
      const people = yield* PeopleRepository.PeopleRepository
      return {
        units: Hierarchy.size(hierarchy),
        grids: grids.length,
        cases: cases.items.length,
        problems: (yield* lists.problems()).length,
        resources: (yield* lists.resources()).length,
        tasks: (yield* lists.tasks()).length,
        households: (yield* people.households()).length,
        contacts: (yield* people.contacts()).length
      }
    }).pipe(
      // the people store on the public demo key, as `civicgrid seed` seals residents without CIVICGRID_PEOPLE_KEYS
      Effect.provide(
        Layer.provideMerge(SqlPeopleRepository.layer({ keyring: App.demoPeopleKeyring }), Seed.layerStores)
      ),
      Effect.provide(DatabaseOption.layer(database))
    )
  }).pipe(Effect.provide(NodeContext.layer), Effect.orDie)

for (const dialect of Databases.dialects) {
  describe(`civicgrid seed (${dialect.name})`, () => {
    it.scoped(
      "seeds the district, the cases, the lists and the people data the options describe; seeding again is refused and changes nothing",
      () =>
        Effect.gen(function* () {
          const url = yield* dialect.fresh
          const run = yield* TestConsole.runCli(["seed", ...smallArgs, "--database", url])
          expect(Exit.isSuccess(run.exit), run.err).toBe(true)
          const district = Either.getOrThrow(District.make(small))
          const lists = Either.getOrThrow(
            Lists.generate(
              district,
              { year: Cases.defaults.year },
              Either.getOrThrow(Cases.generate(district, { count: 50 })).inputs
            )
          )
          const people = People.generate(district, {
            today: WorkingCalendar.dateOf(Seed.timeLimits.calendar, yield* DateTime.now),
            calendar: Seed.timeLimits.calendar
          })
          const seeded = yield* counts(url)
          expect(seeded).toEqual({
            units: district.units.length,
            grids: district.grids.length,
            cases: 50,
            problems: lists.problems.length,
            resources: lists.resources.length,
            tasks: lists.tasks.length,
            households: people.households.length,
            contacts: people.contacts.length
          })
          expect(lists.problems.length).toBeGreaterThan(0)
          expect(people.households.length).toBeGreaterThan(0)
          expect(run.out).toContain(`${district.units.length} units`)
          expect(run.out).toContain("50 cases")
          expect(run.out).toContain(
            `${lists.problems.length} problems, ${lists.resources.length} resources, ${lists.tasks.length} tasks`
          )
          expect(run.out).toContain(`${people.households.length} households`)

          const again = yield* TestConsole.runCli(["seed", ...smallArgs, "--database", url])
          expect(TestConsole.failureOf(again.exit)).toBeInstanceOf(AlreadySeeded)
          expect(again.err).toContain("already seeded")
          expect(yield* counts(url)).toEqual(seeded)
        }),
      60_000
    )
  })
}

describe("civicgrid seed: sizes", () => {
  it.scoped(
    "bad district sizes are refused before the database is opened, naming option, field and rule",
    () =>
      Effect.gen(function* () {
        const url = yield* Databases.sqlite.fresh
        const run = yield* TestConsole.runCli([
          "seed",
          "--streets",
          "0",
          "--households-scale",
          "9",
          "--database",
          url
        ])
        const error = TestConsole.failureOf(run.exit)
        expect(error).toBeInstanceOf(District.InvalidDistrictOptions)
        expect(run.err).toContain("invalid district size")
        for (const [flag, field, value] of [
          ["--streets", "streets", 0],
          ["--households-scale", "householdsScale", 9]
        ] as const) {
          const rule =
            error instanceof District.InvalidDistrictOptions
              ? error.violations.find((v) => v.field === field)?.rule
              : undefined
          expect(rule).toBeDefined()
          expect(run.err).toContain(`${flag} (${field}) must be ${rule} (got ${value})`)
        }
        expect(run.err).not.toMatch(/\n\s+at /)
        expect(existsSync(url.slice("sqlite:".length))).toBe(false)
      })
  )

  it.scoped("a bad case count is refused with the --cases option named", () =>
    Effect.gen(function* () {
      const url = yield* Databases.sqlite.fresh
      const run = yield* TestConsole.runCli(["seed", "--cases", "-1", "--database", url])
      expect(TestConsole.failureOf(run.exit)).toBeInstanceOf(Cases.InvalidCaseOptions)
      expect(run.err).toContain("--cases (count) must be")
      expect(existsSync(url.slice("sqlite:".length))).toBe(false)
    })
  )

  it.effect("--help states every size option with the limits District and Cases check", () =>
    Effect.gen(function* () {
      const { out } = yield* TestConsole.runCli(["seed", "--help"])
      const range = (limits: { readonly min: number; readonly max: number }) =>
        `${limits.min.toLocaleString("en-US")} to ${limits.max.toLocaleString("en-US")}`
      const text = out.replace(/\s+/g, " ")
      expect(text).toContain(`number of streets: ${range(District.limits.streets)}`)
      expect(text).toContain(`communities in every street: ${range(District.limits.communitiesPerStreet)}`)
      expect(text).toContain(`of every community: ${range(District.limits.householdsScale)}`)
      expect(text).toContain(
        `over the year: ${range(Cases.limits.count)} (default ${Cases.defaults.count.toLocaleString("en-US")})`
      )
      expect(text).toContain(`(default ${Cases.defaults.year})`)
      for (const option of ["--communities-per-street", "--households-scale", "--cases", "--year", "--seed"])
        expect(text).toContain(option)
    })
  )
})

describe("civicgrid seed: progress", () => {
  it.scoped("without a terminal, every phase prints a line when it completes", () =>
    Effect.gen(function* () {
      const url = yield* Databases.sqlite.fresh
      const run = yield* TestConsole.runCli(["seed", ...smallArgs, "--database", url])
      expect(Exit.isSuccess(run.exit), run.err).toBe(true)
      const lines = run.progress.split("\n")
      for (const label of Object.values(phaseLabels)) {
        expect(lines.some((l) => l.startsWith(`${label} `) && l.endsWith(" 100%"))).toBe(true)
      }
      expect(run.progress).not.toContain("\r")
    })
  )

  it.scoped("on a terminal, each phase is one redrawn bar line", () =>
    Effect.gen(function* () {
      const url = yield* Databases.sqlite.fresh
      const run = yield* TestConsole.runCli(["seed", ...smallArgs, "--database", url], { tty: true })
      expect(Exit.isSuccess(run.exit), run.err).toBe(true)
      const finished = run.progress.split("\n").filter((l) => l !== "")
      expect(finished.length).toBe(Object.keys(phaseLabels).length)
      for (const [i, label] of Object.values(phaseLabels).entries()) {
        const last = finished[i]?.split("\r").pop() ?? ""
        expect(last).toContain(label)
        expect(last).toMatch(/\[█+\] [\d,]+\/[\d,]+ 100%$/)
      }
    })
  )
})
