#!/usr/bin/env node
/**
 * Writes a package's type declarations into `dist/`, one per module, exactly as
 * `tsc` emits them — run from the package directory after `tsup` (which builds
 * the JavaScript only): `node ../../scripts/declarations.mjs`.
 *
 * Why not tsup's bundled declarations: the bundler (rollup-plugin-dts) rewrites
 * `export * as Unit from "./Unit.js"` into a namespace whose members are
 * `export { type UnitId }`, so every value that shares its name with a type
 * (`Unit.UnitId`, `Case.CaseId`, every Schema struct) disappears from the
 * barrel's types; it also copies `interface Hierarchy<out U>` into a type alias
 * that keeps the variance annotation (TS2637 under `skipLibCheck: false`).
 *
 * 1. `tsc -b tsconfig.src.json` — the project's own declaration output (its
 *    `outDir`, e.g. `build/src`), built with its project references.
 * 2. For every `src/**\/X.ts`: `dist/**\/X.d.ts` (ESM, for the `import`
 *    condition) and `dist/**\/X.d.cts` (CommonJS, for `require`: relative
 *    specifiers `./Y.js` become `./Y.cjs`, so they resolve to `Y.d.cts`), each
 *    with its declaration map pointing at the published `src/`.
 */
import { execFileSync } from "node:child_process"
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs"
import { createRequire } from "node:module"
import * as path from "node:path"

const packageDir = process.cwd()
const require = createRequire(path.join(packageDir, "package.json"))
const ts = require("typescript")

const projectFile = path.join(packageDir, "tsconfig.src.json")
const srcDir = path.join(packageDir, "src")
const distDir = path.join(packageDir, "dist")

execFileSync(process.execPath, [require.resolve("typescript/bin/tsc"), "-b", projectFile], {
  stdio: "inherit"
})

const config = ts.readConfigFile(projectFile, ts.sys.readFile)
if (config.error !== undefined)
  throw new Error(ts.flattenDiagnosticMessageText(config.error.messageText, "\n"))
const parsed = ts.parseJsonConfigFileContent(config.config, ts.sys, packageDir)
const outDir = parsed.options.outDir
const rootDir = parsed.options.rootDir ?? srcDir
if (outDir === undefined) throw new Error(`${projectFile}: no outDir, so no declarations to copy`)

/** A relative module specifier `./Y.js` (in `from "…"`, `import("…")`) → `./Y.cjs`. */
const toCommonJs = (text) =>
  text.replace(/((?:from|import)\s*\(?\s*["'])(\.{1,2}\/[^"']*?)\.js(["'])/g, "$1$2.cjs$3")

/** The declaration map of `built` (in outDir) rewritten for `target` (in dist). */
const moveMap = (builtMap, target) => {
  const map = JSON.parse(readFileSync(builtMap, "utf8"))
  const from = path.dirname(builtMap)
  const to = path.dirname(target)
  map.file = path.basename(target)
  map.sources = map.sources.map((source) =>
    path.relative(to, path.resolve(from, source)).split(path.sep).join("/")
  )
  return JSON.stringify(map)
}

const copyModule = (relative) => {
  const base = relative.replace(/\.ts$/, "")
  const built = path.join(outDir, `${base}.d.ts`)
  if (!existsSync(built)) throw new Error(`${built}: tsc wrote no declarations for src/${relative}`)
  const text = readFileSync(built, "utf8")
  const builtMap = `${built}.map`
  const hasMap = existsSync(builtMap)
  mkdirSync(path.dirname(path.join(distDir, base)), { recursive: true })
  for (const [extension, body] of [
    [".d.ts", text],
    [".d.cts", toCommonJs(text)]
  ]) {
    const target = path.join(distDir, `${base}${extension}`)
    const name = path.basename(target)
    const withMapUrl = body.replace(
      /\/\/# sourceMappingURL=.*$/m,
      hasMap ? `//# sourceMappingURL=${name}.map` : ""
    )
    writeFileSync(target, withMapUrl)
    if (hasMap) writeFileSync(`${target}.map`, moveMap(builtMap, target))
  }
}

const walk = (dir) =>
  readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name)
    if (entry.isDirectory()) return walk(full)
    return entry.name.endsWith(".ts") && !entry.name.endsWith(".d.ts") && !entry.name.endsWith(".test.ts")
      ? [path.relative(rootDir, full)]
      : []
  })

const modules = walk(srcDir)
for (const relative of modules) copyModule(relative)
process.stdout.write(`declarations: ${modules.length} modules → dist/**/*.d.ts and dist/**/*.d.cts\n`)
