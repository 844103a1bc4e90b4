/**
 * 源码 — the modules the domain reference is generated from: every module
 * `src/*.ts` (not `src/internal/`, not the `index.ts` barrel) of the
 * documented packages, read from where Node resolves each package (in the
 * workspace: `packages/<name>`).
 *
 * @since 0.1.0
 */

import { createRequire } from "node:module"
import * as FileSystem from "@effect/platform/FileSystem"
import * as Path from "@effect/platform/Path"
import * as Effect from "effect/Effect"
import * as Schema from "effect/Schema"
import { compareStrings } from "../internal/markdown.js"
import type * as SourceDoc from "./SourceDoc.js"
import type { ModuleDoc } from "./SourceDoc.js"

/**
 * 文档化的包 — the packages whose modules the reference covers, in the order
 * the reference lists them.
 *
 * @since 0.1.0
 * @category constants
 */
export const packages: ReadonlyArray<string> = [
  "@civicgrid/core",
  "@civicgrid/sql",
  "@civicgrid/http",
  "@civicgrid/nats",
  "@civicgrid/web",
  "@civicgrid/ledger",
  "@civicgrid/demo"
]

/**
 * 模块源码 — one module's source text.
 *
 * @since 0.1.0
 * @category models
 */
export interface ModuleSource {
  readonly packageName: string
  /** Module name, e.g. `Grid`. */
  readonly name: string
  /** Path relative to the repository root, e.g. `packages/core/src/Grid.ts`. */
  readonly path: string
  readonly text: string
}

/**
 * 源码读取失败 — a documented package could not be found or read.
 *
 * @since 0.1.0
 * @category errors
 */
export class SourcesUnavailable extends Schema.TaggedError<SourcesUnavailable>()("SourcesUnavailable", {
  packageName: Schema.String,
  reason: Schema.String
}) {
  override get message(): string {
    return `cannot read the sources of ${this.packageName}: ${this.reason}`
  }
}

/**
 * TypeScript 缺失 — `civicgrid docs` reads the sources with the TypeScript
 * compiler, an optional peer dependency of `@civicgrid/cli` that is not
 * installed.
 *
 * @since 0.1.0
 * @category errors
 */
export class TypeScriptMissing extends Schema.TaggedError<TypeScriptMissing>()("TypeScriptMissing", {
  packageName: Schema.Literal("typescript"),
  detail: Schema.String
}) {
  override get message(): string {
    return (
      `缺少 typescript 包：civicgrid docs 用它读取源码 — the package typescript is missing: ` +
      `civicgrid docs reads the sources with it (an optional peer dependency of @civicgrid/cli); ` +
      `install it: npm install --save-dev typescript@^5.9.3 (${this.detail})`
    )
  }
}

/**
 * The parser of `SourceDoc`, loaded on first use with the TypeScript compiler
 * (so the rest of the CLI, and this module, load without it).
 */
const parser: Effect.Effect<typeof SourceDoc.parseModule, TypeScriptMissing> = Effect.tryPromise({
  try: () => import("typescript"),
  catch: (e) =>
    new TypeScriptMissing({ packageName: "typescript", detail: e instanceof Error ? e.message : String(e) })
}).pipe(
  Effect.zipRight(Effect.promise(() => import("./SourceDoc.js"))),
  Effect.map((module) => module.parseModule)
)

const require = createRequire(import.meta.url)

const packageDirectory = (packageName: string, path: Path.Path): Effect.Effect<string, SourcesUnavailable> =>
  Effect.try({
    try: () => path.dirname(require.resolve(`${packageName}/package.json`)),
    catch: (e) =>
      new SourcesUnavailable({ packageName, reason: e instanceof Error ? e.message : "not resolvable" })
  })

/**
 * Whether a file name in `src/` is a documented module: a `.ts` file other
 * than the barrel, tests and declaration files.
 *
 * @since 0.1.0
 * @category predicates
 */
export const isModuleFile = (fileName: string): boolean =>
  /^[A-Z][A-Za-z0-9]*\.ts$/.test(fileName) && fileName !== "index.ts"

/**
 * Reads the modules of one package, sorted by name.
 *
 * @since 0.1.0
 * @category loading
 */
export const loadPackage = (
  packageName: string
): Effect.Effect<ReadonlyArray<ModuleSource>, SourcesUnavailable, FileSystem.FileSystem | Path.Path> =>
  Effect.gen(function* () {
    const fs = yield* FileSystem.FileSystem
    const path = yield* Path.Path
    const dir = yield* packageDirectory(packageName, path)
    const srcDir = path.join(dir, "src")
    const unavailable = (e: { readonly message: string }) =>
      new SourcesUnavailable({ packageName, reason: e.message })
    const names = yield* fs.readDirectory(srcDir).pipe(Effect.mapError(unavailable))
    const moduleFiles = names.filter(isModuleFile).sort(compareStrings)
    if (moduleFiles.length === 0) {
      return yield* new SourcesUnavailable({ packageName, reason: `no modules in ${srcDir}` })
    }
    const short = packageName.replace(/^@civicgrid\//, "")
    return yield* Effect.forEach(moduleFiles, (file) =>
      fs.readFileString(path.join(srcDir, file)).pipe(
        Effect.mapError(unavailable),
        Effect.map(
          (text): ModuleSource => ({
            packageName,
            name: file.replace(/\.ts$/, ""),
            path: `packages/${short}/src/${file}`,
            text
          })
        )
      )
    )
  })

/**
 * Reads and parses the modules of every documented package; fails with
 * `TypeScriptMissing` when the TypeScript compiler is not installed.
 *
 * @since 0.1.0
 * @category loading
 */
export const load: Effect.Effect<
  ReadonlyArray<ModuleDoc>,
  SourcesUnavailable | TypeScriptMissing,
  FileSystem.FileSystem | Path.Path
> = Effect.flatMap(parser, (parseModule) =>
  Effect.forEach(packages, loadPackage).pipe(Effect.map((sets) => sets.flat().map(parseModule)))
)
