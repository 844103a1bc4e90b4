/**
 * 工作区 — where the docs go and how they get there: the repository root
 * (the nearest directory above with a `package.json` that declares
 * `workspaces`), reading the files already under the output directory, and
 * applying a `Files.Diff` (write what is stale or missing, remove what is
 * extra, then remove directories left empty). Nothing outside the output
 * directory is touched.
 *
 * @since 0.1.0
 */
import * as FileSystem from "@effect/platform/FileSystem"
import * as Path from "@effect/platform/Path"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import * as Schema from "effect/Schema"
import { compareStrings } from "../internal/markdown.js"
import * as Files from "./Files.js"

/**
 * 未找到仓库根目录 — no `package.json` with `workspaces` above the directory.
 *
 * @since 0.1.0
 * @category errors
 */
export class RootNotFound extends Schema.TaggedError<RootNotFound>()("RootNotFound", {
  from: Schema.String
}) {
  override get message(): string {
    return (
      `no repository root above ${this.from} (a package.json with "workspaces"); ` +
      "run from inside the civicgrid repository or pass --out <dir>"
    )
  }
}

/**
 * 文件读写失败 — a file of the output directory could not be read or written.
 *
 * @since 0.1.0
 * @category errors
 */
export class DocsIoError extends Schema.TaggedError<DocsIoError>()("DocsIoError", {
  path: Schema.String,
  reason: Schema.String
}) {
  override get message(): string {
    return `cannot access ${this.path}: ${this.reason}`
  }
}

const hasWorkspaces = (text: string): boolean => {
  const parsed = Schema.decodeUnknownOption(Schema.parseJson(Schema.Struct({ workspaces: Schema.Unknown })))(
    text
  )
  return Option.isSome(parsed) && parsed.value.workspaces !== undefined
}

/**
 * The repository root: the nearest directory at or above `from` whose
 * `package.json` declares `workspaces`.
 *
 * @since 0.1.0
 * @category getters
 */
export const findRoot = (
  from: string
): Effect.Effect<string, RootNotFound, FileSystem.FileSystem | Path.Path> =>
  Effect.gen(function* () {
    const fs = yield* FileSystem.FileSystem
    const path = yield* Path.Path
    let dir = path.resolve(from)
    while (true) {
      const text = yield* fs
        .readFileString(path.join(dir, "package.json"))
        .pipe(Effect.option, Effect.map(Option.getOrUndefined))
      if (text !== undefined && hasWorkspaces(text)) return dir
      const parent = path.dirname(dir)
      if (parent === dir) return yield* new RootNotFound({ from: path.resolve(from) })
      dir = parent
    }
  })

const ioError = (path: string) => (e: { readonly message: string }) =>
  new DocsIoError({ path, reason: e.message })

/**
 * Every file under a directory (recursively), as relative POSIX paths → contents;
 * empty when the directory does not exist.
 *
 * @since 0.1.0
 * @category reading
 */
export const readTree = (
  dir: string
): Effect.Effect<Files.Files, DocsIoError, FileSystem.FileSystem | Path.Path> =>
  Effect.gen(function* () {
    const fs = yield* FileSystem.FileSystem
    const path = yield* Path.Path
    const exists = yield* fs.exists(dir).pipe(Effect.mapError(ioError(dir)))
    if (!exists) return Files.make([])
    const entries = yield* fs.readDirectory(dir, { recursive: true }).pipe(Effect.mapError(ioError(dir)))
    const files = yield* Effect.filter(entries, (entry) =>
      fs.stat(path.join(dir, entry)).pipe(
        Effect.map((info) => info.type === "File"),
        Effect.mapError(ioError(path.join(dir, entry)))
      )
    )
    return Files.make(
      yield* Effect.forEach(files.sort(compareStrings), (entry) =>
        fs.readFileString(path.join(dir, entry)).pipe(
          Effect.map((contents) => [entry.split(path.sep).join("/"), contents] as const),
          Effect.mapError(ioError(path.join(dir, entry)))
        )
      )
    )
  })

/**
 * Makes the directory match the generated files: writes the stale and missing
 * files, removes the extra ones, then removes directories left empty.
 *
 * @since 0.1.0
 * @category writing
 */
export const apply = (
  dir: string,
  files: Files.Files,
  diff: Files.Diff
): Effect.Effect<void, DocsIoError, FileSystem.FileSystem | Path.Path> =>
  Effect.gen(function* () {
    const fs = yield* FileSystem.FileSystem
    const path = yield* Path.Path
    const target = (relative: string) => path.join(dir, ...relative.split("/"))
    for (const relative of [...diff.stale, ...diff.missing]) {
      const file = target(relative)
      yield* fs.makeDirectory(path.dirname(file), { recursive: true }).pipe(Effect.mapError(ioError(file)))
      yield* fs.writeFileString(file, files.get(relative) ?? "").pipe(Effect.mapError(ioError(file)))
    }
    for (const relative of diff.extra) {
      const file = target(relative)
      yield* fs.remove(file).pipe(Effect.mapError(ioError(file)))
    }
    const parents = new Set(
      diff.extra.flatMap((relative) => {
        const parts = relative.split("/").slice(0, -1)
        return parts.map((_, i) => parts.slice(0, i + 1).join("/"))
      })
    )
    const deepestFirst = [...parents].sort(
      (a, b) => b.split("/").length - a.split("/").length || compareStrings(a, b)
    )
    for (const relative of deepestFirst) {
      const directory = target(relative)
      const left = yield* fs.readDirectory(directory).pipe(Effect.mapError(ioError(directory)))
      if (left.length === 0) yield* fs.remove(directory).pipe(Effect.mapError(ioError(directory)))
    }
  })
