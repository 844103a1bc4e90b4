/**
 * `civicgrid import --crs` (issue 15): the coordinate system of a ledger's
 * positions is given by name or alias (高德, bd-09, GPS …, any case); an
 * unknown name is refused before anything is read, with a bilingual message
 * listing the accepted names. The lists `import` takes (problems, resources,
 * tasks) carry no coordinates, so a GCJ-02 `--crs` imports the ledger
 * unchanged and says there was nothing to convert.
 */
import { join } from "node:path"
import { describe, expect, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import * as Databases from "./support/Databases.js"
import * as TestConsole from "./support/TestConsole.js"

const ok = (args: ReadonlyArray<string>) =>
  Effect.tap(TestConsole.runCli(args), (run) =>
    Effect.sync(() => expect(Exit.isSuccess(run.exit), `civicgrid ${args.join(" ")}\n${run.err}`).toBe(true))
  )

describe("civicgrid import --crs 坐标系", () => {
  it.scoped(
    "an alias is accepted and, the list having no coordinates, nothing is converted; an unknown name is refused",
    () =>
      Effect.gen(function* () {
        const dir = yield* Databases.tempDir
        const url = yield* Databases.sqlite.fresh
        yield* ok([
          "seed",
          "--streets",
          "1",
          "--communities-per-street",
          "2",
          "--cases",
          "0",
          "--database",
          url
        ])
        const file = join(dir, "problems.csv")
        yield* ok(["export", file, "--list", "problems", "--database", url])

        const gcj = yield* ok(["import", file, "--list", "problems", "--crs", "高德", "--database", url])
        expect(gcj.out).toContain("坐标系 --crs GCJ02：")
        expect(gcj.out).toContain("the problems ledger carries no coordinates; nothing to convert")
        expect(gcj.out).toMatch(/0 new, 0 updated, \d+ unchanged/)

        const wgs = yield* ok(["import", file, "--list", "problems", "--crs", "GPS", "--database", url])
        expect(wgs.out).not.toContain("坐标系 --crs")

        const bad = yield* TestConsole.runCli([
          "import",
          file,
          "--list",
          "problems",
          "--crs",
          "mercator",
          "--database",
          url
        ])
        expect(Exit.isFailure(bad.exit)).toBe(true)
        const said = `${bad.out}\n${bad.err}`
        expect(said).toContain("未知的坐标系「mercator」")
        expect(said).toContain('unknown coordinate system "mercator"')
        expect(said).not.toContain("imported")
      }),
    60_000
  )
})
