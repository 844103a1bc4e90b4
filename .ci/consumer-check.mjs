#!/usr/bin/env node
/**
 * The consumer check (issue 14): the packages as an outside developer gets them.
 *
 * After `npm run build` it packs every publishable workspace (`npm pack`), installs the tarballs with
 * the Effect 3 peers into a brand-new app in a temporary directory (outside the workspace, so no
 * `@civicgrid/source` condition and no hoisted workspace modules), and checks:
 *
 * 1. exports — every module, through the barrel (`import { Unit } from "@civicgrid/core"`) and through
 *    its subpath (`@civicgrid/core/Unit`), from ESM (`.mts`) and CommonJS (`.cts`, `require`): a
 *    generated program uses every runtime value and every declared type of each module and is
 *    type-checked strict, NodeNext, `exactOptionalPropertyTypes`, `skipLibCheck: false`; it is then run
 *    with node (ESM and CJS) and the value exports TypeScript sees must equal the runtime export names.
 *    The modules come from the packages' exports maps, so a new module is covered without edits.
 * 2. snippets — docs/guides/snippets/** copied into the app with their folder structure (nothing
 *    rewritten), type-checked there (same strict options), each compiled one imported by node, and run
 *    by the docs project's guide tests (docs/test/*.test.ts that import a snippet) on vitest against
 *    the tarballs — PostgreSQL ones at CIVICGRID_PG_URL (a skipped test fails the check). The private
 *    testkit those tests use becomes a local module of the app.
 * 3. install lines — every `npm install …` / `npm i …` in a code block or inline code of README.md,
 *    docs/**.md and the packages' and examples' READMEs (inline code right after the word "bare" is a
 *    counter-example and skipped): Effect packages pinned explicitly, every non-optional peer of the
 *    named civicgrid packages in the line, and the line installed as written (civicgrid names replaced
 *    by their tarballs; install scripts skipped) in a scratch directory: effect 3 installed, `npm ls`
 *    clean, each civicgrid package importable from ESM and CJS. A guide's lines bring every package its
 *    snippets import.
 * 4. packages — each tarball: LICENSE and README, README relative links and paths in the tarball (or in
 *    the repository when package.json names one: npm links them there), `engines.node`, no
 *    effect/@effect/typescript in `dependencies` (peers), every bare import of the built files declared;
 *    `publint --strict` and `@arethetypeswrong/cli` (its default strict profile) on every module entry point clean.
 *
 * The app's install skips install scripts; better-sqlite3's native module is copied from the workspace
 * when the versions agree (else `npm rebuild`). About 4-5 minutes, mostly npm installs.
 *
 * Usage: node .ci/consumer-check.mjs [--only=exports,snippets,install-lines,packages] [--keep]
 *        [--reuse=<dir kept by --keep>, to rerun without packing and installing]
 * Prints a summary and exits 1 on any failure. Needs the registry (npm install) and, for the
 * PostgreSQL snippets, CIVICGRID_PG_URL.
 */
import { spawn, spawnSync } from "node:child_process"
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { dirname, join, relative, resolve, sep } from "node:path"
import { fileURLToPath } from "node:url"

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..")
const args = process.argv.slice(2)
const keep = args.includes("--keep")
const onlyArg = args.find((a) => a.startsWith("--only="))
const only = onlyArg === undefined ? undefined : new Set(onlyArg.slice("--only=".length).split(","))
const enabled = (part) => only === undefined || only.has(part)
const started = Date.now()

/** The Effect 3 line the app installs (the peers as the docs' install lines should pin them). */
const effectLine = {
  effect: "~3.22",
  "@effect/platform": "~0.97",
  "@effect/sql": "~0.52",
  "@effect/experimental": "~0.61",
  "@effect/sql-sqlite-node": "~0.53",
  "@effect/sql-pg": "~0.53",
  "@effect/platform-node": "~0.108"
}
/** Tooling of the app, at the workspace's own versions where it has them. */
const rootPkg = readJson(join(root, "package.json"))
const rootDev = rootPkg.devDependencies ?? {}
const tooling = {
  typescript: rootDev.typescript ?? "~5.9.3",
  "@types/node": rootDev["@types/node"] ?? "^20.19.0",
  // @effect/sql-pg's declarations import "pg" without depending on its types: an app checking its
  // libraries (skipLibCheck false) installs them
  "@types/pg": "^8.15.0",
  vitest: rootDev.vitest ?? "~3.2.4",
  "@effect/vitest": rootDev["@effect/vitest"] ?? "~0.30.0",
  "@effect/opentelemetry": rootDev["@effect/opentelemetry"] ?? "~0.64.1",
  "@opentelemetry/api": rootDev["@opentelemetry/api"] ?? "^1.9.1",
  "@opentelemetry/sdk-trace-base": rootDev["@opentelemetry/sdk-trace-base"] ?? "^2.12.1",
  publint: "^0.3.12",
  "@arethetypeswrong/cli": "^0.18.2"
}

/** The strict compiler options of the consumer app. */
const strictOptions = {
  target: "ES2022",
  lib: ["ES2023"],
  module: "NodeNext",
  moduleResolution: "NodeNext",
  moduleDetection: "force",
  strict: true,
  exactOptionalPropertyTypes: true,
  noUncheckedIndexedAccess: true,
  noImplicitOverride: true,
  verbatimModuleSyntax: true,
  isolatedModules: true,
  skipLibCheck: false,
  forceConsistentCasingInFileNames: true,
  types: ["node"]
}

// -----------------------------------------------------------------------------
// reporting
// -----------------------------------------------------------------------------

/** @type {Array<{ part: string, ok: boolean, title: string, details: Array<string> }>} */
const results = []
const record = (part, ok, title, details = []) => {
  results.push({ part, ok, title, details })
  const mark = ok ? "ok  " : "FAIL"
  console.log(`   ${mark} [${part}] ${title}`)
  for (const d of details.slice(0, 40)) console.log(`          ${d}`)
  if (details.length > 40) console.log(`          … and ${details.length - 40} more`)
}
const section = (title) => console.log(`\n== consumer check: ${title} (${seconds()} s)`)
const seconds = () => ((Date.now() - started) / 1000).toFixed(0)

function readJson(path) {
  return JSON.parse(readFileSync(path, "utf8"))
}

/** Runs a command; returns its status and output (never throws). */
const run = (command, argv, options = {}) => {
  const r = spawnSync(command, argv, {
    cwd: options.cwd ?? root,
    env: { ...process.env, ...(options.env ?? {}) },
    encoding: "utf8",
    maxBuffer: 256 * 1024 * 1024,
    timeout: options.timeout ?? 10 * 60 * 1000
  })
  const output = `${r.stdout ?? ""}${r.stderr ?? ""}`
  return { status: r.status ?? 1, stdout: r.stdout ?? "", stderr: r.stderr ?? "", output }
}
/** Runs a command without blocking the others; resolves to its status and output. */
const runAsync = (command, argv, options = {}) =>
  new Promise((done) => {
    const child = spawn(command, argv, {
      cwd: options.cwd ?? root,
      env: { ...process.env, ...(options.env ?? {}) },
      stdio: ["ignore", "pipe", "pipe"]
    })
    let output = ""
    child.stdout.on("data", (d) => {
      output += d
    })
    child.stderr.on("data", (d) => {
      output += d
    })
    const timer = setTimeout(() => child.kill("SIGTERM"), options.timeout ?? 10 * 60 * 1000)
    child.on("close", (code) => {
      clearTimeout(timer)
      done({ status: code ?? 1, output })
    })
  })
const lastLines = (text, n = 25) =>
  text
    .trimEnd()
    .split("\n")
    .slice(-n)
    .map((l) => l.slice(0, 300))

const fatal = (message) => {
  console.error(`\nconsumer check: FATAL: ${message}`)
  process.exit(1)
}

// -----------------------------------------------------------------------------
// the packages: publishable workspaces and their modules (from the exports maps)
// -----------------------------------------------------------------------------

const workspaceDirs = () =>
  (rootPkg.workspaces ?? []).flatMap((pattern) => {
    if (!pattern.endsWith("/*")) return [join(root, pattern)]
    const base = join(root, pattern.slice(0, -2))
    return existsSync(base)
      ? readdirSync(base, { withFileTypes: true })
          .filter((e) => e.isDirectory())
          .map((e) => join(base, e.name))
      : []
  })

const packages = workspaceDirs()
  .filter((dir) => existsSync(join(dir, "package.json")))
  .map((dir) => ({ dir, json: readJson(join(dir, "package.json")) }))
  .filter((p) => p.json.private !== true)
  .map((p) => ({ ...p, name: p.json.name }))
  .sort((a, b) => a.name.localeCompare(b.name))

/** Every string target of an exports entry, with the conditions leading to it. */
const targetsOf = (entry, conditions = []) => {
  if (typeof entry === "string") return [{ conditions, target: entry }]
  if (entry === null || typeof entry !== "object") return []
  if (Array.isArray(entry)) return entry.flatMap((e) => targetsOf(e, conditions))
  return Object.entries(entry).flatMap(([k, v]) => targetsOf(v, [...conditions, k]))
}

/** Files of a directory tree, relative, with "/" separators. */
const filesUnder = (dir) => {
  const out = []
  const walk = (d) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, e.name)
      if (e.isDirectory()) walk(p)
      else out.push(relative(dir, p).split(sep).join("/"))
    }
  }
  if (existsSync(dir)) walk(dir)
  return out
}

/**
 * The module subpaths of a package, from its exports map: every non-wildcard subpath except
 * `./package.json`, and every wildcard subpath expanded by matching its targets against the package's
 * files (the `@civicgrid/source` target against the workspace sources when there is one, since the
 * built dist also holds shared chunks; otherwise the `types` target against the packed files), minus
 * the subpaths mapped to null.
 */
const modulesOf = (pkg, packedFiles) => {
  const exportsMap = pkg.json.exports
  if (exportsMap === undefined || typeof exportsMap === "string") return ["."]
  const keys = Object.keys(exportsMap)
  if (!keys.every((k) => k.startsWith("."))) return ["."]
  const programs = Array.isArray(pkg.json.sideEffects) ? pkg.json.sideEffects : []
  const excluded = keys
    .filter((k) => exportsMap[k] === null)
    .map((k) => new RegExp(`^${k.replace(/[.+?^${}()|[\]\\]/g, "\\$&").replace("\\*", ".*")}$`))
  const out = new Set()
  for (const key of keys) {
    if (exportsMap[key] === null || key === "./package.json" || key.endsWith(".json")) continue
    if (!key.includes("*")) {
      out.add(key)
      continue
    }
    const targets = targetsOf(exportsMap[key]).filter((t) => t.target.includes("*"))
    const source = targets.find((t) => t.conditions.includes("@civicgrid/source"))
    // with a source condition, its pattern over the workspace sources; otherwise the stars for which
    // every target is a packed file (so shared chunks, which lack a declaration or a script, are not modules)
    const patterns = source !== undefined ? [source] : targets
    const starsOf = (t) => {
      const [pre, post] = t.target.replace(/^\.\//, "").split("*")
      const base = pre.slice(0, pre.lastIndexOf("/") + 1)
      const files =
        source !== undefined ? filesUnder(join(pkg.dir, base)).map((f) => `${base}${f}`) : packedFiles
      const stars = new Set()
      for (const f of files) {
        if (!f.startsWith(pre) || !f.endsWith(post)) continue
        const star = f.slice(pre.length, f.length - post.length)
        if (star.includes("/") || star === "index" || star.includes(".")) continue
        // a module listed in sideEffects is a program (the CLI's bin), not a library module
        if (programs.some((p) => p.replace(/^\.\//, "").replace(/\.[cm]?[jt]s$/, "") === `${pre}${star}`))
          continue
        stars.add(star)
      }
      return stars
    }
    const [first, ...rest] = patterns.map(starsOf)
    for (const star of first ?? []) {
      if (!rest.every((set) => set.has(star))) continue
      const subpath = key.replace("*", star)
      if (excluded.some((re) => re.test(subpath))) continue
      out.add(subpath)
    }
  }
  return [...out].sort((a, b) => (a === "." ? -1 : b === "." ? 1 : a.localeCompare(b)))
}
const specifier = (pkg, subpath) => (subpath === "." ? pkg : `${pkg}/${subpath.slice(2)}`)

// -----------------------------------------------------------------------------
// 0. pack
// -----------------------------------------------------------------------------

// --reuse=<dir>: a directory kept by --keep, to rerun the checks without packing and installing again
const reuseArg = args.find((a) => a.startsWith("--reuse="))
const reuse = reuseArg === undefined ? undefined : resolve(reuseArg.slice("--reuse=".length))
const work = reuse ?? mkdtempSync(join(tmpdir(), "civicgrid-consumer-"))
const tarballDir = join(work, "tarballs")
const unpackedDir = join(work, "unpacked")
const appDir = join(work, "app")
mkdirSync(tarballDir, { recursive: true })
mkdirSync(unpackedDir, { recursive: true })
mkdirSync(appDir, { recursive: true })
process.on("exit", () => {
  if (keep || reuse !== undefined) console.log(`(kept ${work})`)
  // a few GB of node_modules: removed in the background (minutes on a slow disk), not waited for
  else spawn("rm", ["-rf", work], { detached: true, stdio: "ignore" }).unref()
})

section(`packing ${packages.map((p) => p.name).join(", ")}`)
for (const pkg of packages) {
  const dist = join(pkg.dir, "dist")
  if (!existsSync(dist)) fatal(`${pkg.name} has no dist/: run \`npm run build\` first`)
}
const packed =
  reuse !== undefined
    ? { status: 0, stdout: readFileSync(join(work, "pack.json"), "utf8") }
    : run("npm", [
        "pack",
        "--json",
        `--pack-destination=${tarballDir}`,
        ...packages.map((p) => `--workspace=${p.name}`)
      ])
if (packed.status !== 0) fatal(`npm pack failed:\n${lastLines(packed.output).join("\n")}`)
const packInfo = JSON.parse(packed.stdout.slice(packed.stdout.indexOf("[")))
writeFileSync(join(work, "pack.json"), JSON.stringify(packInfo))
for (const pkg of packages) {
  const info = packInfo.find((i) => i.name === pkg.name)
  if (info === undefined) fatal(`npm pack gave no tarball for ${pkg.name}`)
  pkg.tarball = join(tarballDir, info.filename)
  pkg.packedFiles = info.files.map((f) => f.path)
  pkg.unpacked = join(unpackedDir, pkg.name.replace("/", "__"))
  mkdirSync(pkg.unpacked, { recursive: true })
  const x = run("tar", ["-xzf", pkg.tarball, "-C", pkg.unpacked, "--strip-components=1"])
  if (x.status !== 0) fatal(`cannot unpack ${pkg.tarball}`)
  pkg.packedJson = readJson(join(pkg.unpacked, "package.json"))
  pkg.modules = modulesOf(pkg, pkg.packedFiles)
  console.log(`   ${info.filename}: ${info.files.length} files, ${pkg.modules.length} modules`)
}
const byName = new Map(packages.map((p) => [p.name, p]))

// -----------------------------------------------------------------------------
// 1. the app: one install of the tarballs, the Effect 3 peers and the tooling
// -----------------------------------------------------------------------------

section("installing the tarballs into a fresh app outside the workspace")
writeFileSync(
  join(appDir, "package.json"),
  `${JSON.stringify(
    {
      name: "civicgrid-consumer-app",
      version: "0.0.0",
      private: true,
      type: "module",
      dependencies: {
        ...Object.fromEntries(packages.map((p) => [p.name, `file:${relative(appDir, p.tarball)}`])),
        ...effectLine
      },
      devDependencies: tooling
    },
    null,
    2
  )}\n`
)
const installed =
  reuse !== undefined
    ? { status: 0 }
    : run("npm", ["install", "--no-audit", "--no-fund", "--loglevel=error", "--ignore-scripts"], {
        cwd: appDir
      })
if (installed.status !== 0) fatal(`npm install in the app failed:\n${lastLines(installed.output).join("\n")}`)
// install scripts skipped: better-sqlite3's native module is the workspace's own build when the versions
// agree (compiling it again takes minutes), else rebuilt
const nativeModules = ["better-sqlite3"]
for (const name of nativeModules) {
  const mine = join(appDir, "node_modules", name)
  const theirs = join(root, "node_modules", name)
  if (!existsSync(mine) || reuse !== undefined) continue
  const same =
    existsSync(join(theirs, "build", "Release")) &&
    readJson(join(theirs, "package.json")).version === readJson(join(mine, "package.json")).version
  if (same) cpSync(join(theirs, "build"), join(mine, "build"), { recursive: true })
  else {
    const rebuilt = run("npm", ["rebuild", name, "--loglevel=error"], { cwd: appDir })
    if (rebuilt.status !== 0) fatal(`npm rebuild ${name} failed:\n${lastLines(rebuilt.output).join("\n")}`)
  }
}
const effectVersion = readJson(join(appDir, "node_modules", "effect", "package.json")).version
console.log(`   installed (effect ${effectVersion})`)
const tsc = join(appDir, "node_modules", "typescript", "bin", "tsc")
const writeTsconfig = (name, include, extra = {}) =>
  writeFileSync(
    join(appDir, name),
    `${JSON.stringify({ compilerOptions: { ...strictOptions, ...extra }, include }, null, 2)}\n`
  )
/** Runs tsc; returns its diagnostics as lines (paths relative to the app). */
const typecheck = (project) => {
  const r = run(process.execPath, [tsc, "-p", project, "--pretty", "false"], { cwd: appDir })
  const lines = r.output.split("\n").filter((l) => /error TS\d+/.test(l))
  return { status: r.status, lines, output: r.output }
}
/** "N × TSxxxx" counts and the first lines, for a report. */
const summarizeDiagnostics = (lines, first = 12) => {
  const counts = new Map()
  for (const l of lines) {
    const code = /error (TS\d+)/.exec(l)?.[1] ?? "?"
    counts.set(code, (counts.get(code) ?? 0) + 1)
  }
  const files = new Map()
  for (const l of lines) {
    const file = l.split("(")[0]
    files.set(file, (files.get(file) ?? 0) + 1)
  }
  return [
    `${lines.length} errors: ${[...counts].map(([c, n]) => `${n} × ${c}`).join(", ")}`,
    ...[...files].map(([f, n]) => `${n} in ${f}`),
    ...lines.slice(0, first)
  ]
}

// -----------------------------------------------------------------------------
// 2. exports: barrel and subpaths, ESM and CJS, types and runtime
// -----------------------------------------------------------------------------

const exportsCheck = () => {
  section("exports: every module through the barrel and its subpath, ESM and CJS")
  const specs = packages.flatMap((p) =>
    p.modules.map((m) => ({ pkg: p.name, subpath: m, spec: specifier(p.name, m) }))
  )
  mkdirSync(join(appDir, "exports"), { recursive: true })

  // the runtime: export names of every module, imported (ESM) and required (CJS)
  writeFileSync(
    join(appDir, "exports", "runtime-probe.mjs"),
    `import { writeFileSync } from "node:fs"
import { createRequire } from "node:module"
const require = createRequire(import.meta.url)
const specs = ${JSON.stringify(specs.map((s) => s.spec))}
const names = (m) => Object.keys(m).filter((k) => k !== "__esModule" && k !== "default" && k !== "module.exports").sort()
const out = { esm: {}, cjs: {}, errors: [] }
for (const spec of specs) {
  for (const [mode, load] of [["esm", (s) => import(s)], ["cjs", async (s) => require(s)]]) {
    try {
      const m = await load(spec)
      out[mode][spec] = names(m)
      if (!spec.includes("/", spec.indexOf("/") + 1)) {
        for (const k of names(m)) if (m[k] !== null && typeof m[k] === "object") out[mode][spec + "#" + k] = names(m[k])
      }
    } catch (e) {
      out.errors.push(mode + " " + spec + ": " + String(e && e.message ? e.message : e).split("\\n")[0])
    }
  }
}
writeFileSync("exports/runtime.json", JSON.stringify(out))
process.exit(0)
`
  )
  const probe = run(process.execPath, ["exports/runtime-probe.mjs"], { cwd: appDir })
  if (probe.status !== 0) {
    record("exports", false, "the runtime probe crashed", lastLines(probe.output))
    return
  }
  const runtime = readJson(join(appDir, "exports", "runtime.json"))
  record(
    "exports",
    runtime.errors.length === 0,
    `every module loads from ESM (import) and CJS (require): ${specs.length} specifiers × 2`,
    runtime.errors
  )

  // the declarations: value and type exports TypeScript sees, ESM (.d.ts) and CJS (.d.cts)
  writeFileSync(
    join(appDir, "exports", "probe.mts"),
    specs.map((s, i) => `import * as M${i} from "${s.spec}"\nexport { M${i} }\n`).join("")
  )
  writeFileSync(
    join(appDir, "exports", "probe.cts"),
    specs.map((s, i) => `import M${i} = require("${s.spec}")\nexport { M${i} }\n`).join("")
  )
  writeFileSync(
    join(appDir, "exports", "declared-probe.mjs"),
    `import { writeFileSync } from "node:fs"
import ts from "typescript"
const specs = ${JSON.stringify(specs.map((s) => s.spec))}
const options = ${JSON.stringify({ ...strictOptions, noEmit: true })}
const parsed = ts.convertCompilerOptionsFromJson(options, ".").options
const files = ["exports/probe.mts", "exports/probe.cts"]
const program = ts.createProgram(files, parsed)
const checker = program.getTypeChecker()
const F = ts.SymbolFlags
const describe = (moduleSymbol) => {
  const values = [], types = []
  for (const e of checker.getExportsOfModule(moduleSymbol)) {
    const s = e.flags & F.Alias ? checker.getAliasedSymbol(e) : e
    const name = e.getName()
    if (name === "default" || name === "__esModule") continue
    if (s.flags & F.Value) values.push(name)
    if (s.flags & (F.Type & ~F.TypeParameter)) {
      const decl = (s.declarations ?? []).find((d) => ts.isInterfaceDeclaration(d) || ts.isTypeAliasDeclaration(d) || ts.isClassDeclaration(d))
      types.push([name, decl?.typeParameters?.length ?? 0])
    }
  }
  return { values: values.sort(), types: types.sort((a, b) => (a[0] < b[0] ? -1 : 1)) }
}
const out = { esm: {}, cjs: {} }
for (const [mode, file] of [["esm", files[0]], ["cjs", files[1]]]) {
  const sf = program.getSourceFile(file)
  const fileSymbol = checker.getSymbolAtLocation(sf)
  for (const [i, spec] of specs.entries()) {
    const local = checker.getExportsOfModule(fileSymbol).find((x) => x.getName() === "M" + i)
    if (local === undefined) continue
    const target = checker.getAliasedSymbol(local)
    if (!(target.flags & F.ValueModule) && !(target.flags & F.NamespaceModule)) continue
    const d = describe(target)
    out[mode][spec] = d
    if (!spec.includes("/", spec.indexOf("/") + 1)) {
      for (const e of checker.getExportsOfModule(target)) {
        const s = e.flags & F.Alias ? checker.getAliasedSymbol(e) : e
        if (s.flags & (F.ValueModule | F.NamespaceModule)) out[mode][spec + "#" + e.getName()] = describe(s)
      }
    }
  }
}
writeFileSync("exports/declared.json", JSON.stringify(out))
`
  )
  const declaredProbe = run(process.execPath, ["exports/declared-probe.mjs"], { cwd: appDir })
  if (declaredProbe.status !== 0) {
    record("exports", false, "the declarations probe crashed", lastLines(declaredProbe.output))
    return
  }
  const declared = readJson(join(appDir, "exports", "declared.json"))

  // declared values = runtime names, per module and mode
  for (const mode of ["esm", "cjs"]) {
    for (const via of ["barrel", "subpath"]) {
      const problems = []
      let missing = 0
      let extra = 0
      const undeclaredBy = new Map()
      for (const key of Object.keys(runtime[mode]).sort()) {
        const isBarrelNs = key.includes("#")
        if (
          (via === "barrel") !== isBarrelNs &&
          !(via === "barrel" && !key.includes("/", key.indexOf("/") + 1))
        )
          continue
        if (via === "subpath" && !key.includes("/", key.indexOf("/") + 1)) continue
        const have = new Set(declared[mode][key]?.values ?? [])
        const rt = runtime[mode][key]
        const notDeclared = rt.filter((n) => !have.has(n))
        const notAtRuntime = [...have].filter((n) => !rt.includes(n))
        missing += notDeclared.length
        const owner = packages.find(
          (p) => key === p.name || key.startsWith(`${p.name}/`) || key.startsWith(`${p.name}#`)
        )
        if (owner !== undefined)
          undeclaredBy.set(owner.name, (undeclaredBy.get(owner.name) ?? 0) + notDeclared.length)
        extra += notAtRuntime.length
        if (declared[mode][key] === undefined) problems.push(`${key}: no declarations found`)
        else if (notDeclared.length + notAtRuntime.length > 0)
          problems.push(
            `${key.replace("#", " → ")}: ${notDeclared.length} runtime values not declared${
              notDeclared.length
                ? ` (${notDeclared.slice(0, 6).join(", ")}${notDeclared.length > 6 ? ", …" : ""})`
                : ""
            }${notAtRuntime.length ? `; declared but absent at runtime: ${notAtRuntime.slice(0, 6).join(", ")}` : ""}`
          )
      }
      const perPkg = packages
        .map((p) => {
          const n = undeclaredBy.get(p.name) ?? 0
          return n ? `${p.name} ${n}` : ""
        })
        .filter(Boolean)
      record(
        "exports",
        problems.length === 0,
        `${mode.toUpperCase()} ${via}: TypeScript's value exports = the runtime export names${
          problems.length
            ? ` — ${missing} runtime values undeclared, ${extra} declared values absent at runtime; undeclared by package: ${perPkg.join(", ") || "none"}`
            : ""
        }`,
        problems
      )
    }
  }

  // the program: every value and type of each module, through the barrel and the subpath
  const ident = (s) => /^[A-Za-z_$][\w$]*$/.test(s)
  const esm = []
  const cjs = []
  const uses = { esm: [], cjs: [] }
  const typeUses = { esm: [], cjs: [] }
  for (const p of packages) {
    const bi = packages.indexOf(p)
    esm.push(`import * as B${bi} from "${p.name}"`)
    cjs.push(`import B${bi} = require("${p.name}")`)
  }
  for (const [i, s] of specs.entries()) {
    if (s.subpath === ".") continue
    const bi = packages.findIndex((p) => p.name === s.pkg)
    const ns = s.subpath.slice(2)
    esm.push(`import * as S${i} from "${s.spec}"`)
    cjs.push(`import S${i} = require("${s.spec}")`)
    for (const mode of ["esm", "cjs"]) {
      const viaBarrel = (runtime[mode][s.pkg] ?? []).includes(ns) && ident(ns)
      for (const v of (runtime[mode][s.spec] ?? []).filter(ident)) {
        uses[mode].push(`S${i}.${v}`)
        if (viaBarrel) uses[mode].push(`B${bi}.${ns}.${v}`)
      }
      for (const [t, arity] of (declared[mode][s.spec]?.types ?? []).filter(([t]) => ident(t))) {
        const args = arity > 0 ? `<${Array(arity).fill("never").join(", ")}>` : ""
        typeUses[mode].push(`S${i}.${t}${args}`)
        if (viaBarrel) typeUses[mode].push(`B${bi}.${ns}.${t}${args}`)
      }
      if (viaBarrel) typeUses[mode].push(`typeof B${bi}.${ns}`)
    }
  }
  const body = (mode) =>
    [
      "",
      "const undefinedAt: Array<string> = []",
      "let used = 0",
      "const use = (name: string, value: unknown): void => {",
      "  used++",
      "  if (value === undefined) undefinedAt.push(name)",
      "}",
      ...uses[mode].map((u) => `use(${JSON.stringify(u)}, ${u})`),
      ...typeUses[mode].map((t, k) => `export type T${k} = ${t}`),
      'if (undefinedAt.length > 0) throw new Error("undefined at runtime: " + undefinedAt.join(", "))',
      `console.log("${mode}: " + used + " values used")`,
      ""
    ].join("\n")
  writeFileSync(join(appDir, "exports", "every-module.mts"), `${esm.join("\n")}\n${body("esm")}`)
  writeFileSync(join(appDir, "exports", "every-module.cts"), `${cjs.join("\n")}\n${body("cjs")}`)
  writeTsconfig("tsconfig.exports.json", ["exports/every-module.mts", "exports/every-module.cts"], {
    outDir: "exports/out",
    noEmitOnError: false
  })
  const checked = typecheck("tsconfig.exports.json")
  record(
    "exports",
    checked.status === 0,
    `the program using every value and type (${uses.esm.length} + ${uses.cjs.length} values, ${typeUses.esm.length} + ${typeUses.cjs.length} types) type-checks (strict, NodeNext, skipLibCheck false)`,
    checked.status === 0 ? [] : summarizeDiagnostics(checked.lines)
  )
  for (const [mode, file] of [
    ["ESM", "exports/out/every-module.mjs"],
    ["CJS", "exports/out/every-module.cjs"]
  ]) {
    const r = existsSync(join(appDir, file))
      ? run(process.execPath, [file], { cwd: appDir })
      : { status: 1, output: `${file} was not emitted` }
    record(
      "exports",
      r.status === 0,
      `the program runs on node (${mode})`,
      r.status === 0 ? [] : lastLines(r.output, 8)
    )
  }
}

// -----------------------------------------------------------------------------
// 3. the guides' snippets, type-checked and run against the tarballs
// -----------------------------------------------------------------------------

const snippetsCheck = () => {
  section("the guides' snippets against the tarballs")
  const docs = join(root, "docs")
  const snippetsDir = join(docs, "guides", "snippets")
  const snippetFiles = filesUnder(snippetsDir).filter((f) => f.endsWith(".ts"))
  cpSync(snippetsDir, join(appDir, "guides", "snippets"), { recursive: true })
  for (const f of readdirSync(join(docs, "guides")).filter((f) => f.endsWith(".md")))
    cpSync(join(docs, "guides", f), join(appDir, "guides", f))
  // which snippets import what outside the app: every import must be a package the app installed
  const importProblems = []
  for (const f of snippetFiles) {
    const text = readFileSync(join(snippetsDir, f), "utf8")
    for (const m of text.matchAll(/(?:from|import)\s*\(?\s*"([^"]+)"/g)) {
      const spec = m[1]
      if (spec.startsWith(".")) {
        const target = resolve(dirname(join(snippetsDir, f)), spec.replace(/\.js$/, ".ts"))
        if (!target.startsWith(snippetsDir))
          importProblems.push(`${f}: relative import ${spec} leaves the snippets`)
        continue
      }
      if (spec.startsWith("node:")) continue
      const name = spec.startsWith("@") ? spec.split("/").slice(0, 2).join("/") : spec.split("/")[0]
      if (!existsSync(join(appDir, "node_modules", name)))
        importProblems.push(`${f}: imports ${spec}, not installed`)
      if (name === "@civicgrid/testkit") importProblems.push(`${f}: imports the private testkit`)
    }
  }
  record(
    "snippets",
    importProblems.length === 0,
    `${snippetFiles.length} snippets import only published packages`,
    importProblems
  )
  writeTsconfig("tsconfig.snippets.json", ["guides/snippets"], {
    outDir: "snippets-out",
    noEmitOnError: false
  })
  const checked = typecheck("tsconfig.snippets.json")
  record(
    "snippets",
    checked.status === 0,
    `the snippets type-check in the app (strict, NodeNext, skipLibCheck false)`,
    checked.status === 0 ? [] : summarizeDiagnostics(checked.lines)
  )

  // each compiled snippet imported by node itself (no bundler, no vite resolution)
  const compiled = snippetFiles.map((f) => `./snippets-out/${f.replace(/\.ts$/, ".js")}`)
  writeFileSync(
    join(appDir, "import-snippets.mjs"),
    `const failed = []
for (const file of ${JSON.stringify(compiled)}) {
  try { await import(file) } catch (e) { failed.push(file + ": " + String(e && e.message ? e.message : e).split("\\n")[0]) }
}
console.log(failed.join("\\n"))
process.exit(failed.length === 0 ? 0 : 1)
`
  )
  const imported = run(process.execPath, ["import-snippets.mjs"], { cwd: appDir, timeout: 120_000 })
  record(
    "snippets",
    imported.status === 0,
    `node imports each of the ${compiled.length} compiled snippets (ESM)`,
    imported.status === 0 ? [] : lastLines(imported.output)
  )

  // the docs project's guide tests, run on the app: they import the snippets relatively
  const testDir = join(docs, "test")
  const tests = readdirSync(testDir).filter(
    (f) => f.endsWith(".test.ts") && readFileSync(join(testDir, f), "utf8").includes("../guides/snippets/")
  )
  mkdirSync(join(appDir, "test"), { recursive: true })
  for (const t of tests) cpSync(join(testDir, t), join(appDir, "test", t))
  if (existsSync(join(testDir, "support")))
    cpSync(join(testDir, "support"), join(appDir, "test", "support"), { recursive: true })
  cpSync(join(docs, "scripts"), join(appDir, "scripts"), { recursive: true })
  // the private testkit is test support, not published: its source becomes a local module of the app
  const testkitSrc = join(root, "packages", "testkit", "src")
  if (existsSync(testkitSrc)) cpSync(testkitSrc, join(appDir, "testkit"), { recursive: true })
  writeFileSync(
    join(appDir, "vitest.config.mjs"),
    `import { fileURLToPath } from "node:url"
export default {
  resolve: { alias: [{ find: /^@civicgrid\\/testkit\\/(.*)$/, replacement: fileURLToPath(new URL("./testkit/$1.ts", import.meta.url)) }] },
  test: { include: ["test/**/*.test.ts"], environment: "node", testTimeout: 60000, hookTimeout: 60000, poolOptions: { forks: { singleFork: true, isolate: false } } }
}
`
  )
  const vitest = run(
    process.execPath,
    [join(appDir, "node_modules", "vitest", "vitest.mjs"), "run", "--reporter=dot"],
    { cwd: appDir }
  )
  const summary = vitest.output
    .split("\n")
    .filter((l) => /Test Files|Tests |SKIPPED|FAIL|Error|✗|×/.test(l))
    .slice(0, 30)
  record(
    "snippets",
    vitest.status === 0 && !/skipped/i.test(summary.join("\n")),
    `the docs' guide tests (${tests.join(", ")}) pass on the app${
      process.env.CIVICGRID_PG_URL === undefined
        ? " — CIVICGRID_PG_URL unset: the PostgreSQL ones are skipped"
        : ""
    }`,
    vitest.status === 0
      ? summary.filter((l) => /Test Files|Tests /.test(l))
      : summary.length
        ? summary
        : lastLines(vitest.output)
  )
}

// -----------------------------------------------------------------------------
// 4. every install line of the docs
// -----------------------------------------------------------------------------

const installLinesCheck = async () => {
  section("the install lines of README.md, docs/ and the packages' and examples' READMEs")
  const markdown = [
    "README.md",
    ...filesUnder(join(root, "docs"))
      .filter((f) => f.endsWith(".md"))
      .map((f) => `docs/${f}`),
    ...["packages", "examples"].flatMap((g) =>
      existsSync(join(root, g))
        ? readdirSync(join(root, g))
            .filter((d) => existsSync(join(root, g, d, "README.md")))
            .map((d) => `${g}/${d}/README.md`)
        : []
    )
  ]
  const lines = []
  const installCommand = /(?:^|[\s`(;&])npm\s+(?:install|i|add)(?=\s|$)([^`#;&|\n]*)/g
  for (const file of markdown) {
    const text = readFileSync(join(root, file), "utf8").split("\n")
    let inFence = false
    for (const [n, line] of text.entries()) {
      if (/^\s*(```|~~~)/.test(line)) {
        inFence = !inFence
        continue
      }
      const candidates = inFence
        ? [line]
        : [...line.matchAll(/(\S*)\s*`([^`]+)`/g)].filter((m) => !/^bare$/i.test(m[1])).map((m) => m[2])
      for (const c of candidates) {
        for (const m of c.matchAll(installCommand)) {
          const specs = m[1]
            .trim()
            .split(/\s+/)
            .filter((s) => s !== "" && !s.startsWith("-"))
          lines.push({ file, where: `${file}:${n + 1}`, text: `npm install ${m[1].trim()}`.trim(), specs })
        }
      }
    }
  }
  const nameOf = (spec) => {
    const at = spec.indexOf("@", 1)
    return at === -1 ? spec : spec.slice(0, at)
  }
  const rangeOf = (spec) => {
    const at = spec.indexOf("@", 1)
    return at === -1 ? undefined : spec.slice(at + 1)
  }
  let withPackages = 0
  for (const line of lines) {
    if (line.specs.length === 0) {
      record(
        "install-lines",
        true,
        `${line.where}: \`${line.text}\` installs the workspace itself (npm ci above)`
      )
      continue
    }
    withPackages++
    const problems = []
    const ours = line.specs.filter((s) => nameOf(s).startsWith("@civicgrid/"))
    const theirs = line.specs.filter((s) => !nameOf(s).startsWith("@civicgrid/"))
    for (const s of ours)
      if (!byName.has(nameOf(s))) problems.push(`${nameOf(s)} is not a publishable package of the workspace`)
    // the Effect 3 line, explicitly
    for (const s of theirs) {
      const name = nameOf(s)
      if (name !== "effect" && !name.startsWith("@effect/")) continue
      const range = rangeOf(s)
      if (range === undefined || range === "latest" || range === "*")
        problems.push(
          `${s} is not pinned: npm installs its latest release (the Effect 4 line); pin the Effect 3 line`
        )
    }
    // every peer of the named packages (and of their civicgrid dependencies), named in the line
    const closure = new Set()
    const add = (n) => {
      const p = byName.get(n)
      if (p === undefined || closure.has(n)) return
      closure.add(n)
      for (const d of Object.keys(p.packedJson.dependencies ?? {})) add(d)
    }
    for (const s of ours) add(nameOf(s))
    const named = new Set(theirs.map(nameOf))
    for (const n of closure) {
      const pj = byName.get(n).packedJson
      for (const peer of Object.keys(pj.peerDependencies ?? {})) {
        if (pj.peerDependenciesMeta?.[peer]?.optional === true) continue
        if (!named.has(peer)) problems.push(`${peer} (a peer of ${n}) is not in the line`)
      }
    }
    // installed as written, the civicgrid names replaced by their tarballs (below, all lines at once)
    line.problems = problems
    line.closure = [...closure]
    line.argv = [...line.closure.map((n) => byName.get(n).tarball), ...theirs]
    line.key = [...line.argv].sort().join(" ")
  }
  // each distinct line installed once, a few at a time; --ignore-scripts: the tree is what is checked
  // (the app above built the native modules), --prefer-offline: the app's install just refreshed the
  // metadata of every package the lines name
  const installs = new Map()
  for (const line of lines)
    if (line.key !== undefined && !installs.has(line.key)) installs.set(line.key, line)
  const queue = [...installs.values()]
  const installOne = async (line) => {
    const scratch = mkdtempSync(join(work, "line-"))
    writeFileSync(
      join(scratch, "package.json"),
      '{ "name": "install-line", "version": "0.0.0", "private": true, "type": "module" }\n'
    )
    const npmArgs = [
      "install",
      "--no-audit",
      "--no-fund",
      "--loglevel=error",
      "--ignore-scripts",
      "--prefer-offline"
    ]
    const inst = await runAsync("npm", [...npmArgs, ...line.argv], { cwd: scratch })
    const outcome = { problems: [], installed: [] }
    if (inst.status !== 0) {
      const code = /npm error code (\w+)/.exec(inst.output)?.[1] ?? `exit ${inst.status}`
      outcome.problems.push(
        `npm install fails (${code}): ${lastLines(inst.output, 60)
          .filter((l) => /ERESOLVE|Could not resolve|peer|Conflicting|notarget|404/i.test(l))
          .slice(0, 6)
          .join(" | ")}`
      )
      return outcome
    }
    const modules = join(scratch, "node_modules")
    outcome.installed = readdirSync(modules).flatMap((d) =>
      d.startsWith("@") ? readdirSync(join(modules, d)).map((e) => `${d}/${e}`) : d.startsWith(".") ? [] : [d]
    )
    const effectJson = join(modules, "effect", "package.json")
    const v = existsSync(effectJson) ? readJson(effectJson).version : undefined
    if (v === undefined) outcome.problems.push("no effect installed")
    else if (!v.startsWith("3.")) outcome.problems.push(`installs effect ${v}, not the Effect 3 line`)
    const ls = await runAsync("npm", ["ls", "--all", "--loglevel=error"], { cwd: scratch })
    if (ls.status !== 0)
      outcome.problems.push(
        `npm ls: ${ls.output
          .split("\n")
          .filter((l) => /invalid|missing|ERR/.test(l))
          .slice(0, 4)
          .join(" | ")}`
      )
    for (const n of line.closure) {
      const probe = await runAsync(
        process.execPath,
        [
          "--input-type=module",
          "-e",
          `import { createRequire } from "node:module"; await import(${JSON.stringify(n)}); createRequire(import.meta.url)(${JSON.stringify(n)})`
        ],
        { cwd: scratch }
      )
      if (probe.status !== 0)
        outcome.problems.push(
          `import ${n} fails: ${lastLines(probe.output, 40)
            .filter((l) => /Error/.test(l))
            .slice(0, 2)
            .join(" | ")}`
        )
    }
    return outcome
  }
  const outcomes = new Map()
  await Promise.all(
    Array.from({ length: 4 }, async () => {
      for (let next = queue.shift(); next !== undefined; next = queue.shift())
        outcomes.set(next.key, await installOne(next))
    })
  )
  for (const line of lines) {
    if (line.key === undefined) continue
    const outcome = outcomes.get(line.key)
    line.installed = outcome.installed
    const problems = [...line.problems, ...outcome.problems]
    record("install-lines", problems.length === 0, `${line.where}: \`${line.text}\``, problems)
  }
  record(
    "install-lines",
    withPackages > 0,
    `${withPackages} install lines naming packages found and exercised`
  )
  // a guide with install lines: what its snippets import comes with them
  const snippetsDir = join(root, "docs", "guides", "snippets")
  for (const file of [...new Set(lines.filter((l) => l.installed !== undefined).map((l) => l.file))]) {
    const guide = /^docs\/guides\/([^/]+)\.md$/.exec(file)?.[1]
    if (guide === undefined || !existsSync(join(snippetsDir, guide))) continue
    const installedByLines = new Set(lines.filter((l) => l.file === file).flatMap((l) => l.installed ?? []))
    const needed = new Set()
    for (const f of filesUnder(join(snippetsDir, guide)).filter((f) => f.endsWith(".ts"))) {
      const text = readFileSync(join(snippetsDir, guide, f), "utf8")
      for (const m of text.matchAll(/(?:from|import)\s*\(?\s*"([^"./][^"]*)"/g)) {
        if (m[1].startsWith("node:")) continue
        needed.add(m[1].startsWith("@") ? m[1].split("/").slice(0, 2).join("/") : m[1].split("/")[0])
      }
    }
    const missing = [...needed].filter((n) => !installedByLines.has(n)).sort()
    record(
      "install-lines",
      missing.length === 0,
      `${file}: its install lines bring every package its snippets import (${[...needed].sort().join(", ")})`,
      missing.map(
        (n) => `${n} is imported by docs/guides/snippets/${guide}/ but not installed by the guide's lines`
      )
    )
  }
}

// -----------------------------------------------------------------------------
// 5. the packages: metadata, files, publint, attw
// -----------------------------------------------------------------------------

const packagesCheck = () => {
  section("the tarballs: metadata, files, publint, arethetypeswrong")
  const builtins = new Set(
    run(process.execPath, ["-p", "require('node:module').builtinModules.join(',')"]).stdout.trim().split(",")
  )
  for (const pkg of packages) {
    const pj = pkg.packedJson
    const problems = []
    const files = new Set(pkg.packedFiles)
    if (![...files].some((f) => /^LICEN[CS]E(\.md|\.txt)?$/i.test(f)))
      problems.push("no LICENSE file in the tarball")
    const readme = [...files].find((f) => /^README(\.md)?$/i.test(f))
    if (readme === undefined) problems.push("no README in the tarball (a blank npm page)")
    else {
      const text = readFileSync(join(pkg.unpacked, readme), "utf8")
      // npm's page resolves a relative link against the package's repository (with its directory)
      const repository = pj.repository
      const reachable = (target) =>
        existsSync(join(pkg.unpacked, target)) ||
        (repository !== undefined &&
          resolve(pkg.dir, target).startsWith(root) &&
          existsSync(resolve(pkg.dir, target)))
      const unreachable =
        repository === undefined
          ? "which is not in the tarball (and package.json has no repository for npm to link it to)"
          : "which is neither in the tarball nor in the repository"
      for (const m of text.matchAll(/\]\((?!https?:|mailto:|#)([^)\s#]+)(?:#[^)]*)?\)/g)) {
        const target = m[1].replace(/^\.\//, "").replace(/\/$/, "")
        if (!reachable(target)) problems.push(`README links to ${m[1]}, ${unreachable}`)
      }
      for (const m of text.matchAll(/(?<![\w/.-])((?:src|test|bench|dist|bin)\/[\w./-]*\.[a-z]+)\b/g))
        if (!reachable(m[1])) problems.push(`README points at ${m[1]}, ${unreachable}`)
    }
    if (pj.engines?.node === undefined) problems.push("no engines.node")
    if (pj.license === undefined) problems.push("no license field")
    for (const d of Object.keys(pj.dependencies ?? {})) {
      if (d === "effect" || d.startsWith("@effect/"))
        problems.push(`dependencies has ${d}: Effect packages are peers (one copy of effect per app)`)
      if (d === "typescript")
        problems.push("dependencies has typescript (a runtime dependency for every user)")
    }
    // every bare import of the built JavaScript is declared
    const declared = new Set([
      ...Object.keys(pj.dependencies ?? {}),
      ...Object.keys(pj.peerDependencies ?? {}),
      ...Object.keys(pj.optionalDependencies ?? {}),
      pj.name
    ])
    const undeclared = new Map()
    for (const f of files) {
      if (!/\.(m?js|cjs)$/.test(f) || !f.startsWith("dist/")) continue
      const text = readFileSync(join(pkg.unpacked, f), "utf8")
      for (const m of text.matchAll(
        /(?:\bfrom\s*|\bimport\s*\(\s*|\brequire\s*\(\s*|^import\s+)["']([^"'./][^"']*)["'](?!\s*\+)/gm
      )) {
        const spec = m[1]
        if (!/^(@[a-z0-9][\w.-]*\/)?[a-z0-9][\w.-]*(\/[\w./-]*)?$/i.test(spec)) continue
        const name = spec.startsWith("@") ? spec.split("/").slice(0, 2).join("/") : spec.split("/")[0]
        if (spec.startsWith("node:") || builtins.has(name) || declared.has(name)) continue
        undeclared.set(name, [...(undeclared.get(name) ?? []), f])
      }
    }
    for (const [name, where] of undeclared)
      problems.push(
        `${name} is imported (${where.slice(0, 2).join(", ")}${where.length > 2 ? ", …" : ""}) but not declared`
      )
    record("packages", problems.length === 0, `${pkg.name}: files and metadata`, problems)

    const publint = run(
      process.execPath,
      [join(appDir, "node_modules", "publint", "src", "cli.js"), pkg.unpacked, "--strict"],
      {
        cwd: appDir
      }
    )
    const publintOut = publint.output.trim().split("\n")
    const publintClean =
      publint.status === 0 && !/warning|error|suggestion/i.test(publint.output.replace(/All good!?/, ""))
    record(
      "packages",
      publintClean,
      `${pkg.name}: publint --strict`,
      publintClean ? [] : publintOut.slice(0, 20)
    )

    const attwBin = join(appDir, "node_modules", "@arethetypeswrong", "cli", "dist", "index.js")
    // attw does not expand wildcard subpaths: every module is named
    const entrypoints = pkg.modules.map((m) => (m === "." ? "." : m))
    const attw = run(
      process.execPath,
      [attwBin, pkg.tarball, "--format", "table-flipped", "--no-color", "--entrypoints", ...entrypoints],
      { cwd: appDir }
    )
    record(
      "packages",
      attw.status === 0,
      `${pkg.name}: attw (strict profile: node10, node16 ESM and CJS, bundler) on its ${entrypoints.length} entrypoints`,
      attw.status === 0
        ? []
        : attw.output
            .trim()
            .split("\n")
            .filter((l) => /🐛|❌|⚠️|💀|🥴|🎭|Problem|Masquerad|Missing|resolv|Internal/i.test(l))
            .slice(0, 12)
    )
  }
}

// -----------------------------------------------------------------------------

const parts = [
  ["exports", exportsCheck],
  ["snippets", snippetsCheck],
  ["install-lines", installLinesCheck],
  ["packages", packagesCheck]
]
for (const [name, fn] of parts) {
  if (!enabled(name)) continue
  try {
    await fn()
  } catch (e) {
    record(
      name,
      false,
      `the ${name} check crashed: ${e instanceof Error ? e.message : String(e)}`,
      lastLines(String(e?.stack ?? ""))
    )
  }
}

const failed = results.filter((r) => !r.ok)
console.log(`\n== consumer check summary (${seconds()} s, app in ${appDir}, effect ${effectVersion})`)
for (const part of new Set(results.map((r) => r.part))) {
  const mine = results.filter((r) => r.part === part)
  const bad = mine.filter((r) => !r.ok)
  console.log(`   ${part}: ${mine.length - bad.length}/${mine.length} passed`)
  for (const r of bad) console.log(`      FAIL ${r.title}`)
}
if (failed.length > 0) {
  console.log(`\nconsumer check FAILED: ${failed.length} of ${results.length} checks`)
  process.exit(1)
}
console.log("\nconsumer check passed")
