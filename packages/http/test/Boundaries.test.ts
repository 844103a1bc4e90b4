/**
 * 边界 — the HTTP package installs and loads without any database (issue 11
 * "Boundaries"): its package.json asks for no SQL package or driver (they are
 * devDependencies only, for the tests over the SQL stores), no module under
 * `src/` imports one, and in a child process that cannot resolve any
 * database module the contract (`@civicgrid/http/Api`, and the whole
 * package) loads and a typed client derives from it. And every published
 * package hides `src/internal/`: its exports map answers
 * `ERR_PACKAGE_PATH_NOT_EXPORTED` for `<package>/internal/*`.
 */
import { execFile } from "node:child_process"
import { readdirSync, readFileSync } from "node:fs"
import { createRequire } from "node:module"
import { dirname, join } from "node:path"
import { fileURLToPath } from "node:url"
import { promisify } from "node:util"
import { describe, expect, it } from "@effect/vitest"

const run = promisify(execFile)
const httpDir = join(dirname(fileURLToPath(import.meta.url)), "..")
const packagesDir = join(httpDir, "..")

/** A module of a database: the SQL package, `@effect/sql` and its drivers, the drivers themselves. */
const database = /^(@civicgrid\/sql|@effect\/sql(-[a-z0-9-]+)?|better-sqlite3|pg|postgres|mysql2?)(\/|$)/

interface PackageJson {
  readonly name: string
  readonly private?: boolean
  readonly exports?: Record<string, unknown>
  readonly dependencies?: Record<string, string>
  readonly peerDependencies?: Record<string, string>
  readonly optionalDependencies?: Record<string, string>
}

const readPackage = (dir: string): PackageJson =>
  JSON.parse(readFileSync(join(dir, "package.json"), "utf8")) as PackageJson

const sourceFiles = (dir: string): ReadonlyArray<string> =>
  readdirSync(dir, { recursive: true, encoding: "utf8" })
    .filter((f) => f.endsWith(".ts"))
    .map((f) => join(dir, f))

/** The module specifiers a TypeScript file imports or re-exports (static and dynamic). */
const specifiersOf = (source: string): ReadonlyArray<string> => [
  ...[...source.matchAll(/(?:import|export)\s[^"']*?from\s*["']([^"']+)["']/g)].map((m) => m[1] ?? ""),
  ...[...source.matchAll(/import\s*\(\s*["']([^"']+)["']\s*\)/g)].map((m) => m[1] ?? ""),
  ...[...source.matchAll(/^\s*import\s*["']([^"']+)["']/gm)].map((m) => m[1] ?? "")
]

/** Runs `test/support/contractClient.ts` in a child process that cannot resolve any database module. */
const contractClient = (mode: "api" | "all" | "control") =>
  run(
    process.execPath,
    [
      "--import",
      "tsx",
      "--import",
      "./test/support/registerNoDatabase.mjs",
      "--conditions=@civicgrid/source",
      "test/support/contractClient.ts",
      mode
    ],
    { cwd: httpDir, timeout: 60_000 }
  )

describe("@civicgrid/http depends on no database", () => {
  it("package.json: no SQL package or driver among dependencies, peer or optional dependencies", () => {
    const pkg = readPackage(httpDir)
    const runtime = [
      ...Object.keys(pkg.dependencies ?? {}),
      ...Object.keys(pkg.peerDependencies ?? {}),
      ...Object.keys(pkg.optionalDependencies ?? {})
    ]
    expect(runtime.filter((name) => database.test(name))).toEqual([])
    expect(runtime).toContain("@civicgrid/core")
  })

  it("src/: no module imports a SQL package or driver", () => {
    const offending = sourceFiles(join(httpDir, "src")).flatMap((file) =>
      specifiersOf(readFileSync(file, "utf8"))
        .filter((s) => database.test(s))
        .map((s) => `${file.slice(httpDir.length + 1)}: ${s}`)
    )
    expect(offending).toEqual([])
  })

  it("the import scan sees imports (control)", () => {
    expect(
      specifiersOf(
        'import * as A from "@effect/sql/SqlClient"\nexport { b } from "./b.js"\nconst c = import("pg")\nimport "better-sqlite3"\n'
      )
    ).toEqual(["@effect/sql/SqlClient", "./b.js", "pg", "better-sqlite3"])
  })

  it("the contract loads and a typed client derives from it (HttpApiClient.make(Api)) with no database module resolvable", async () => {
    for (const mode of ["api", "all"] as const) {
      const { stdout } = await contractClient(mode)
      const printed = JSON.parse(stdout.trim()) as { groups: ReadonlyArray<string>; paths: number }
      expect(printed.groups, mode).toEqual([
        "admin",
        "cases",
        "deliberation",
        "directory",
        "grids",
        "hierarchy",
        "lists",
        "map",
        "metrics",
        "organization",
        "people",
        "publications",
        "session",
        "surveys"
      ])
      expect(printed.paths, mode).toBeGreaterThan(10)
    }
  }, 120_000)

  it("the child process refuses a database module (control: importing @civicgrid/sql fails)", async () => {
    const failed = await contractClient("control").then(
      () => "",
      (e: { readonly stderr?: string }) => e.stderr ?? ""
    )
    expect(failed).toContain("boundary: @civicgrid/sql/SqlRepositories")
  }, 60_000)
})

describe("exports maps hide internal/", () => {
  const published = readdirSync(packagesDir)
    .map((name) => join(packagesDir, name))
    .filter((dir) => {
      try {
        return readPackage(dir).private !== true
      } catch {
        return false
      }
    })

  it("every published package maps ./internal/* to null beside ./*", () => {
    expect(published.length).toBeGreaterThanOrEqual(6)
    for (const dir of published) {
      const pkg = readPackage(dir)
      expect(pkg.exports?.["./internal/*"], pkg.name).toBeNull()
      expect(pkg.exports?.["./*"], pkg.name).toBeDefined()
    }
  })

  it("Node resolves <package>/internal/x as not exported, under the source condition too", async () => {
    for (const dir of published) {
      const pkg = readPackage(dir)
      const internal = readdirSync(join(dir, "src", "internal")).find((f) => f.endsWith(".ts"))
      expect(internal, pkg.name).toBeDefined()
      const name = (internal ?? "").replace(/\.ts$/, "")
      const require = createRequire(join(httpDir, "package.json"))
      expect(() => require.resolve(`${pkg.name}/internal/${name}`), pkg.name).toThrow(
        expect.objectContaining({ code: "ERR_PACKAGE_PATH_NOT_EXPORTED" })
      )
      const script = [
        "for (const s of process.argv.slice(1)) {",
        "  try { require.resolve(s); console.log('resolved ' + s) } catch (e) { console.log(e.code) }",
        "}"
      ].join("\n")
      const { stdout } = await run(
        process.execPath,
        [
          "--conditions=@civicgrid/source",
          "-e",
          script,
          `${pkg.name}/internal/${name}`,
          `${pkg.name}/package.json`
        ],
        { cwd: httpDir }
      )
      expect(stdout.trim().split("\n"), pkg.name).toEqual([
        "ERR_PACKAGE_PATH_NOT_EXPORTED",
        `resolved ${pkg.name}/package.json`
      ])
    }
  }, 60_000)
})
