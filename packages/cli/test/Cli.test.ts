import { spawnSync } from "node:child_process"
import { readFileSync } from "node:fs"
import { fileURLToPath } from "node:url"
import * as Command from "@effect/cli/Command"
import * as ValidationError from "@effect/cli/ValidationError"
import { describe, expect, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import * as Cli from "../src/Cli.js"
import * as TestConsole from "./support/TestConsole.js"

const runCli = TestConsole.runCli

describe("civicgrid", () => {
  it("has the package's version", () => {
    const pkg = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8"))
    expect(Cli.version).toBe(pkg.version)
  })

  it.effect("--help names every subcommand", () =>
    Effect.gen(function* () {
      const { exit, out } = yield* runCli(["--help"])
      expect(Exit.isSuccess(exit)).toBe(true)
      expect(out).toContain("USAGE")
      for (const command of Cli.subcommands) {
        for (const name of Command.getNames(command)) expect(out).toContain(`- ${name} `)
      }
      expect(out).toContain("docs [--check] [--out directory]")
    })
  )

  it.effect("docs --help describes --check and --out", () =>
    Effect.gen(function* () {
      const { exit, out } = yield* runCli(["docs", "--help"])
      expect(Exit.isSuccess(exit)).toBe(true)
      expect(out).toContain("--check")
      expect(out).toContain("--out directory")
    })
  )

  it.effect("without a command it lists the commands and succeeds", () =>
    Effect.gen(function* () {
      const { exit, out } = yield* runCli([])
      expect(Exit.isSuccess(exit)).toBe(true)
      expect(out).toContain("Commands:")
      expect(out).toContain("docs")
    })
  )

  it.effect("an unknown subcommand fails with a validation error naming it", () =>
    Effect.gen(function* () {
      const { exit, err } = yield* runCli(["frobnicate"])
      expect(ValidationError.isValidationError(TestConsole.failureOf(exit))).toBe(true)
      expect(err).toContain("Unknown command 'frobnicate'")
    })
  )

  it.effect("an unknown flag fails with a validation error naming it", () =>
    Effect.gen(function* () {
      const { exit, err } = yield* runCli(["docs", "--frobnicate"])
      expect(ValidationError.isValidationError(TestConsole.failureOf(exit))).toBe(true)
      expect(err).toContain("--frobnicate")
    })
  )
})

describe("the civicgrid executable (bin/civicgrid.js, from source without a build)", () => {
  const bin = fileURLToPath(new URL("../bin/civicgrid.js", import.meta.url))

  it("exits non-zero with a clear message on stderr for an unknown command", () => {
    const bad = spawnSync(process.execPath, [bin, "frobnicate"], { encoding: "utf8" })
    expect(bad.status).toBe(1)
    expect(bad.stderr).toContain("Unknown command 'frobnicate'")
    expect(bad.stdout).toBe("")
  }, 30_000)
})
