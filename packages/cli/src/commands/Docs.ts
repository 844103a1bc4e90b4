/**
 * 生成文档 — `civicgrid docs`: generates `docs/reference/` from the code
 * itself (never by hand). With `--check` it writes nothing and fails, listing
 * every stale, missing and extra file, when the files on disk differ from
 * what the code generates — the same check the test suite runs.
 *
 * @since 0.1.0
 */
import * as Command from "@effect/cli/Command"
import * as Options from "@effect/cli/Options"
import type * as FileSystem from "@effect/platform/FileSystem"
import * as Path from "@effect/platform/Path"
import * as Console from "effect/Console"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import * as Schema from "effect/Schema"
import * as Files from "../docs/Files.js"
import type * as Sources from "../docs/Sources.js"
import * as Workspace from "../docs/Workspace.js"
import { withExamples } from "../internal/help.js"

/**
 * The default output directory, relative to the repository root.
 *
 * @since 0.1.0
 * @category constants
 */
export const defaultOut = "docs/reference"

/**
 * 文档过期 — `--check` found files that differ from what the code generates.
 *
 * @since 0.1.0
 * @category errors
 */
export class DocsStale extends Schema.TaggedError<DocsStale>()("DocsStale", {
  out: Schema.String,
  stale: Schema.Array(Schema.String),
  missing: Schema.Array(Schema.String),
  extra: Schema.Array(Schema.String)
}) {
  override get message(): string {
    return (
      `${this.out} is out of date (${this.stale.length} stale, ${this.missing.length} missing, ` +
      `${this.extra.length} extra); run \`npx civicgrid docs\` to regenerate it`
    )
  }
}

/**
 * The `--check` option.
 *
 * @since 0.1.0
 * @category options
 */
export const check = Options.boolean("check").pipe(
  Options.withDescription(
    "Write nothing; exit 1 listing stale, missing and extra files if the docs are out of date."
  )
)

/**
 * The `--out <dir>` option.
 *
 * @since 0.1.0
 * @category options
 */
export const out = Options.directory("out").pipe(
  Options.withDescription(
    `Output directory (default: ${defaultOut} under the repository root, the nearest directory above with a package.json that declares workspaces). Files in it that the generator does not produce are removed.`
  ),
  Options.optional
)

const listing = (diff: Files.Diff): string =>
  [
    ...diff.stale.map((p) => `  stale    ${p}`),
    ...diff.missing.map((p) => `  missing  ${p}`),
    ...diff.extra.map((p) => `  extra    ${p}`)
  ].join("\n")

/**
 * 生成文档 — generates the docs into `out` (or checks them with `check`).
 *
 * @since 0.1.0
 * @category handlers
 */
export const handler = (options: {
  readonly check: boolean
  readonly out: Option.Option<string>
}): Effect.Effect<
  void,
  | DocsStale
  | Workspace.RootNotFound
  | Workspace.DocsIoError
  | Sources.SourcesUnavailable
  | Sources.TypeScriptMissing,
  FileSystem.FileSystem | Path.Path
> =>
  Effect.gen(function* () {
    const path = yield* Path.Path
    const cwd = path.resolve(".")
    const dir = Option.isSome(options.out)
      ? path.resolve(options.out.value)
      : path.join(yield* Workspace.findRoot(cwd), ...defaultOut.split("/"))
    const shown = path.relative(cwd, dir) || "."
    // Loaded on demand: the generators pull in the TypeScript compiler and the whole SDK.
    const { generate } = yield* Effect.promise(() => import("../docs/Generate.js"))
    const files = yield* generate
    const diff = Files.diff(files, yield* Workspace.readTree(dir))
    if (options.check) {
      if (Files.isClean(diff)) {
        return yield* Console.log(`${shown}: ${files.size} files up to date`)
      }
      yield* Console.error(listing(diff))
      return yield* new DocsStale({ out: shown, stale: diff.stale, missing: diff.missing, extra: diff.extra })
    }
    yield* Workspace.apply(dir, files, diff)
    yield* Console.log(
      `${shown}: ${diff.missing.length} written, ${diff.stale.length} updated, ` +
        `${diff.extra.length} removed, ${diff.unchanged.length} unchanged`
    )
  })

/**
 * The `docs` subcommand.
 *
 * @since 0.1.0
 * @category commands
 */
export const command = Command.make("docs", { check, out }, handler).pipe(
  Command.withDescription(
    withExamples(
      "Generate docs/reference from the code: domain reference of every module, glossary, case lifecycle " +
        "(Mermaid), indicators, level schemes, code formats, case categories, time limits, Open311 mapping " +
        "and the HTTP API reference (OpenAPI).",
      [
        ["civicgrid docs", "regenerate docs/reference (writes changed files, removes stale ones)"],
        ["civicgrid docs --check", "write nothing; exit 1 listing stale, missing and extra files"],
        ["civicgrid docs --out /tmp/reference", "generate elsewhere"]
      ]
    )
  )
)
