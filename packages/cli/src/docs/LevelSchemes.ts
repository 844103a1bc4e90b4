/**
 * 层级方案 — the level schemes page: every scheme `LevelScheme` exports (found
 * by schema, in source order), each level with its Chinese and English names,
 * whether it is optional, and under which levels a unit of it may hang
 * directly (`LevelScheme.canParent`).
 *
 * @since 0.1.0
 */
import * as LevelScheme from "@civicgrid/core/LevelScheme"
import * as Schema from "effect/Schema"
import { exportedValues, findModule } from "../internal/exported.js"
import { code, document, notice, table } from "../internal/markdown.js"
import * as Files from "./Files.js"
import type { ModuleDoc } from "./SourceDoc.js"

/**
 * The page path.
 *
 * @since 0.1.0
 * @category constants
 */
export const page = "level-schemes.md"

/**
 * The section of one scheme.
 *
 * @since 0.1.0
 * @category rendering
 */
export const renderScheme = (
  name: string,
  scheme: LevelScheme.LevelScheme,
  text: string | undefined
): string =>
  [
    `## ${scheme.name} (${code(`LevelScheme.${name}`)})`,
    text ?? "",
    `id ${code(scheme.id)} · ${scheme.levels.map((l) => `${l.name} ${l.nameEn}${l.optional ? " (optional)" : ""}`).join(" → ")}`,
    table(
      ["rank", "level", "中文", "English", "optional", "may hang directly under"],
      scheme.levels.map((l, rank) => [
        String(rank),
        code(l.id),
        l.name,
        l.nameEn,
        l.optional ? "yes" : "no",
        scheme.levels
          .filter((p) => LevelScheme.canParent(scheme, p.id, l.id))
          .map((p) => code(p.id))
          .join(", ") || "— (top)"
      ])
    )
  ]
    .filter((s) => s.length > 0)
    .join("\n\n")

/**
 * The level schemes page.
 *
 * @since 0.1.0
 * @category rendering
 */
export const renderPage = (modules: ReadonlyArray<ModuleDoc>): string => {
  const module = findModule(modules, "@civicgrid/core", "LevelScheme")
  const schemes = exportedValues(LevelScheme, module, Schema.is(LevelScheme.LevelScheme))
  return document([
    "# Level schemes 层级方案",
    notice,
    `The ${schemes.length} level schemes shipped by \`LevelScheme\` (configuration: a hierarchy takes any ` +
      "valid scheme). A unit's level must be strictly below its parent's, and every level skipped in between " +
      "must be optional. See [LevelScheme](core/LevelScheme.md).",
    ...schemes.map((s) => renderScheme(s.name, s.value, s.doc?.text))
  ])
}

/**
 * The level schemes page of the core.
 *
 * @since 0.1.0
 * @category rendering
 */
export const render = (modules: ReadonlyArray<ModuleDoc>): Files.Files =>
  Files.make([[page, renderPage(modules)]])
