/**
 * 生成 — reads the sources of the documented packages and generates every
 * reference file in memory. The `docs` command loads this module only when
 * it runs, so `civicgrid --help` does not load the TypeScript compiler and
 * the SDK.
 *
 * @since 0.1.0
 */
import type * as FileSystem from "@effect/platform/FileSystem"
import type * as Path from "@effect/platform/Path"
import * as Effect from "effect/Effect"
import type * as Files from "./Files.js"
import * as Reference from "./Reference.js"
import * as Sources from "./Sources.js"

/**
 * Every reference file, generated from the sources on disk and the data the
 * modules export.
 *
 * @since 0.1.0
 * @category generating
 */
export const generate: Effect.Effect<
  Files.Files,
  Sources.SourcesUnavailable | Sources.TypeScriptMissing,
  FileSystem.FileSystem | Path.Path
> = Sources.load.pipe(Effect.map(Reference.generate))
