import { fileURLToPath } from "node:url"
import * as NodeContext from "@effect/platform-node/NodeContext"
import * as Effect from "effect/Effect"
import type * as Files from "../../src/docs/Files.js"
import * as Reference from "../../src/docs/Reference.js"
import type { ModuleDoc } from "../../src/docs/SourceDoc.js"
import * as Sources from "../../src/docs/Sources.js"
import * as Workspace from "../../src/docs/Workspace.js"

/** The repository root, found from this file as the CLI finds it from the working directory. */
export const root: Promise<string> = Effect.runPromise(
  Workspace.findRoot(fileURLToPath(new URL(".", import.meta.url))).pipe(Effect.provide(NodeContext.layer))
)

let cached: Promise<{ readonly modules: ReadonlyArray<ModuleDoc>; readonly files: Files.Files }> | undefined

/** The parsed modules and the generated files, computed once per test file. */
export const generated = (): Promise<{
  readonly modules: ReadonlyArray<ModuleDoc>
  readonly files: Files.Files
}> => {
  cached ??= Effect.runPromise(
    Sources.load.pipe(
      Effect.map((modules) => ({ modules, files: Reference.generate(modules) })),
      Effect.provide(NodeContext.layer)
    )
  )
  return cached
}
