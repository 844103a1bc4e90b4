import { spawn, spawnSync } from "node:child_process"
import { existsSync, readFileSync } from "node:fs"
import { mkdtemp, rm } from "node:fs/promises"
import { tmpdir } from "node:os"
import { join, resolve } from "node:path"
import { fileURLToPath } from "node:url"
import * as Database from "@civicgrid/demo/Database"
import * as Command from "@effect/cli/Command"
import * as ValidationError from "@effect/cli/ValidationError"
import * as NodeContext from "@effect/platform-node/NodeContext"
import { describe, expect, it } from "@effect/vitest"
import * as ConfigProvider from "effect/ConfigProvider"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import * as HashMap from "effect/HashMap"
import * as Option from "effect/Option"
import * as Cli from "../src/Cli.js"
import * as DatabaseOption from "../src/DatabaseOption.js"
import * as Databases from "./support/Databases.js"
import * as TestConsole from "./support/TestConsole.js"

const runCli = TestConsole.runCli

describe("civicgrid", () => {
  it("has the package's version", () => {
    const pkg = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8"))
    expect(Cli.version).toBe(pkg.version)
  })

  it("commandNames are exactly the subcommands' names", () => {
    expect([...HashMap.keys(Command.getSubcommands(Cli.command))].sort()).toEqual(
      [...Cli.commandNames].sort()
    )
  })

  it.effect("--help names every subcommand", () =>
    Effect.gen(function* () {
      const { exit, out } = yield* runCli(["--help"])
      expect(Exit.isSuccess(exit)).toBe(true)
      expect(out).toContain("USAGE")
      for (const name of Cli.commandNames) expect(out).toContain(`- ${name} `)
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

/** The options each command's --help must describe (the command-line interface, as specified). */
const helpOptions: Readonly<Record<(typeof Cli.commandNames)[number], ReadonlyArray<string>>> = {
  migrate: ["--database url"],
  seed: [
    "--database url",
    "--streets integer",
    "--communities-per-street integer",
    "--households-scale float",
    "--cases integer",
    "--year integer",
    "--seed integer"
  ],
  serve: ["--port integer", "--host text", "--seed", "--no-seed", "--database url"],
  keys: [],
  import: [
    "<file.csv|file.xlsx>",
    "--list problems | resources | tasks | units | party-organizations | buildings | grids | staff | assignments | departments | visits | key-groups | bodies | posts | memberships | compounds | populations | stairwell-staff | post-holders | appraisals | weak-and-lax | meetings | publications | categories | routing | time-limits",
    "--database url"
  ],
  export: [
    "<file.csv|file.xlsx>",
    "--list problems | resources | tasks | units | party-organizations | buildings | grids | staff | assignments | departments | visits | key-groups | access-log | bodies | posts | memberships | compounds | populations | stairwell-staff | post-holders | appraisals | weak-and-lax | meetings | publications",
    "--within unitId",
    "--force",
    "--database url"
  ],
  report: [],
  template: ["<kind>", "--out file.xlsx", "--force", "--database url"],
  calendar: [],
  docs: ["--check", "--out directory"]
}

describe("every command's --help", () => {
  for (const name of Cli.commandNames) {
    it.effect(`${name} --help describes the command, its options and examples`, () =>
      Effect.gen(function* () {
        const { exit, out } = yield* runCli([name, "--help"])
        expect(Exit.isSuccess(exit)).toBe(true)
        expect(out).toContain("DESCRIPTION")
        expect(out).toContain("EXAMPLES")
        expect(out).toContain(`$ civicgrid ${name}`)
        for (const option of helpOptions[name]) expect(out, option).toContain(`\n${option}\n`)
        if (helpOptions[name].includes("--database url")) {
          expect(out).toContain(DatabaseOption.variable)
          expect(out).toContain(`./${DatabaseOption.defaultFile} relative to the current directory`)
        }
      })
    )
  }
})

describe("bad command lines", () => {
  const cases: ReadonlyArray<readonly [ReadonlyArray<string>, string]> = [
    [["seed", "--streets", "many"], "many"],
    [["import", "--list", "problems"], "file.csv|file.xlsx"],
    [["export", "out.csv"], "--list"],
    [["import", "in.csv", "--list", "wishes"], "problems, resources, tasks"],
    [["serve", "--port"], "--port"],
    [["migrate", "--frobnicate"], "--frobnicate"]
  ]
  for (const [args, mentioned] of cases) {
    it.effect(`civicgrid ${args.join(" ")} fails with a validation error mentioning ${mentioned}`, () =>
      Effect.gen(function* () {
        const { exit, err } = yield* runCli(args)
        expect(ValidationError.isValidationError(TestConsole.failureOf(exit))).toBe(true)
        expect(err).toContain(mentioned)
      })
    )
  }
})

describe("the database: --database, else CIVICGRID_DATABASE_URL, else ./.civicgrid/civicgrid.sqlite", () => {
  it.scoped("CIVICGRID_DATABASE_URL names the database when --database is absent", () =>
    Effect.gen(function* () {
      const dir = yield* Databases.tempDir
      const filename = join(dir, "from-env.sqlite")
      const run = yield* runCli(["migrate"], { env: { [DatabaseOption.variable]: `sqlite:${filename}` } })
      expect(Exit.isSuccess(run.exit), run.err).toBe(true)
      expect(run.out).toContain(`SQLite ${filename}`)
      expect(existsSync(filename)).toBe(true)
    })
  )

  it.scoped("--database overrides CIVICGRID_DATABASE_URL, even a bad one", () =>
    Effect.gen(function* () {
      const dir = yield* Databases.tempDir
      const filename = join(dir, "from-flag.sqlite")
      const run = yield* runCli(["migrate", "--database", `sqlite:${filename}`], {
        env: { [DatabaseOption.variable]: "mysql://elsewhere/db" }
      })
      expect(Exit.isSuccess(run.exit), run.err).toBe(true)
      expect(existsSync(filename)).toBe(true)
    })
  )

  it.effect("a bad URL is an InvalidDatabaseUrl naming where it came from (the variable or --database)", () =>
    Effect.gen(function* () {
      for (const command of ["migrate", "seed", "serve"]) {
        const fromEnv = yield* runCli([command], { env: { [DatabaseOption.variable]: "mysql://db/x" } })
        expect(TestConsole.failureOf(fromEnv.exit)).toBeInstanceOf(Database.InvalidDatabaseUrl)
        expect(fromEnv.err).toContain(`${DatabaseOption.variable}: unsupported scheme "mysql"`)
        const fromFlag = yield* runCli([command, "--database", "sqlite:"])
        expect(TestConsole.failureOf(fromFlag.exit)).toBeInstanceOf(Database.InvalidDatabaseUrl)
        expect(fromFlag.err).toContain("--database: the sqlite URL has no file path")
      }
    })
  )

  it.effect("without either, the SQLite file ./.civicgrid/civicgrid.sqlite under the current directory", () =>
    Effect.gen(function* () {
      const database = yield* DatabaseOption.resolve(Option.none()).pipe(
        Effect.withConfigProvider(ConfigProvider.fromMap(new Map()))
      )
      expect(database).toEqual(Database.sqlite(resolve(process.cwd(), ".civicgrid", "civicgrid.sqlite")))
    }).pipe(Effect.provide(NodeContext.layer))
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

  it("migrates ./.civicgrid/civicgrid.sqlite in the working directory by default; a bad URL exits 1 without a stack trace", async () => {
    const dir = await mkdtemp(join(tmpdir(), "civicgrid-cli-"))
    try {
      const env = { ...process.env, [DatabaseOption.variable]: "" }
      const run = (args: ReadonlyArray<string>, extra: Record<string, string> = {}) =>
        new Promise<{ status: number | null; stdout: string; stderr: string }>((done) => {
          const child = spawn(process.execPath, [bin, ...args], { cwd: dir, env: { ...env, ...extra } })
          let stdout = ""
          let stderr = ""
          child.stdout.setEncoding("utf8").on("data", (c: string) => {
            stdout += c
          })
          child.stderr.setEncoding("utf8").on("data", (c: string) => {
            stderr += c
          })
          child.on("exit", (status) => done({ status, stdout, stderr }))
        })
      const [migrated, bad] = await Promise.all([
        run(["migrate"]),
        run(["migrate"], { [DatabaseOption.variable]: "mysql://db/x" })
      ])
      expect(migrated.status, migrated.stderr).toBe(0)
      expect(existsSync(join(dir, ".civicgrid", "civicgrid.sqlite"))).toBe(true)
      expect(bad.status).toBe(1)
      expect(bad.stderr).toContain(
        `civicgrid: 数据库地址无效 ${DatabaseOption.variable}: unsupported scheme "mysql"`
      )
      expect(bad.stderr).not.toMatch(/\n\s+at /)
    } finally {
      await rm(dir, { recursive: true, force: true })
    }
  }, 30_000)
})
