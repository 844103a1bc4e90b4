/**
 * 领域参考 — the domain reference: one page per module of the documented
 * packages (`core/Grid.md` …) with every export grouped by `@category`, each
 * with its Chinese and English names, doc comment, kind and `@since`; a module
 * index (module, Chinese name, summary) per package; and a glossary 中文 ↔
 * English of every concept, all from the doc comments in the source.
 *
 * @since 0.1.0
 */
import {
  anchor,
  code,
  compareStrings,
  document,
  fence,
  firstSentence,
  notice,
  oneLine,
  relativeLink,
  table
} from "../internal/markdown.js"
import * as Files from "./Files.js"
import type { ExportDoc, ModuleDoc } from "./SourceDoc.js"

/**
 * The directory of a package's pages, e.g. `core` for `@civicgrid/core`.
 *
 * @since 0.1.0
 * @category getters
 */
export const packageDir = (packageName: string): string => packageName.replace(/^@civicgrid\//, "")

/**
 * The page of a module, relative to the output directory, e.g. `core/Grid.md`.
 *
 * @since 0.1.0
 * @category getters
 */
export const pageOf = (module: { readonly packageName: string; readonly name: string }): string =>
  `${packageDir(module.packageName)}/${module.name}.md`

/**
 * The glossary page.
 *
 * @since 0.1.0
 * @category constants
 */
export const glossaryPage = "glossary.md"

const OTHER = "other"

/**
 * Groups a module's exports by category, categories in order of first
 * appearance (uncategorised exports last, as `other`), exports in source order.
 *
 * @since 0.1.0
 * @category utils
 */
export const byCategory = (
  exports: ReadonlyArray<ExportDoc>
): ReadonlyArray<readonly [string, ReadonlyArray<ExportDoc>]> => {
  const groups = new Map<string, Array<ExportDoc>>()
  for (const e of exports) {
    const category = e.doc?.category ?? OTHER
    const group = groups.get(category)
    if (group === undefined) groups.set(category, [e])
    else group.push(e)
  }
  const entries = [...groups.entries()]
  return [...entries.filter(([c]) => c !== OTHER), ...entries.filter(([c]) => c === OTHER)]
}

const sourceLink = (page: string, path: string): string =>
  `[${code(path)}](${relativeLink(page, `../../${path}`)})`

const renderExport = (e: ExportDoc): string => {
  const parts: Array<string> = [`### ${e.name}`]
  if (e.doc !== undefined && e.doc.text.length > 0) parts.push(e.doc.text)
  if (e.signature !== undefined) parts.push(fence("ts", e.signature))
  for (const tag of e.doc?.tags ?? []) parts.push(`**@${tag.name}** ${tag.text}`)
  parts.push(`${code(e.kind)} · since ${e.doc?.since ?? "—"}`)
  return parts.join("\n\n")
}

const titleOf = (module: ModuleDoc): string =>
  module.doc?.zh === undefined ? module.name : `${module.name} ${module.doc.zh}`

/**
 * The heading anchors of a module page as GitHub makes them (a repeated
 * heading gets -1, -2 … in document order): per category, its own anchor and
 * its exports' anchors; and the first anchor of each export name.
 *
 * @since 0.1.0
 * @category utils
 */
export const anchorsOf = (
  module: ModuleDoc
): {
  readonly groups: ReadonlyArray<{ readonly category: string; readonly exports: ReadonlyArray<string> }>
  readonly first: ReadonlyMap<string, string>
} => {
  const seen = new Map<string, number>()
  const slug = (heading: string): string => {
    const base = anchor(heading)
    const n = seen.get(base) ?? 0
    seen.set(base, n + 1)
    return n === 0 ? base : `${base}-${n}`
  }
  slug(titleOf(module))
  slug("Contents")
  const first = new Map<string, string>()
  const groups = byCategory(module.exports).map(([category, exports]) => ({
    category: slug(category),
    exports: exports.map((e) => {
      const a = slug(e.name)
      if (!first.has(e.name)) first.set(e.name, a)
      return a
    })
  }))
  return { groups, first }
}

/**
 * The page of one module.
 *
 * @since 0.1.0
 * @category rendering
 */
export const renderModule = (module: ModuleDoc): string => {
  const page = pageOf(module)
  const groups = byCategory(module.exports)
  const title = titleOf(module)
  const importLine = `${code(`import * as ${module.name} from "${module.packageName}/${module.name}"`)}`
  const anchors = anchorsOf(module)
  return document([
    `# ${title}`,
    notice,
    `${importLine} · source ${sourceLink(page, module.path)} · since ${module.doc?.since ?? "—"}`,
    module.doc?.text ?? "",
    groups.length === 0
      ? ""
      : [
          "## Contents",
          groups
            .map(
              ([category, exports], i) =>
                `- [${category}](#${anchors.groups[i]?.category ?? ""}): ${exports
                  .map((e, j) => `[${e.name}](#${anchors.groups[i]?.exports[j] ?? ""})`)
                  .join(", ")}`
            )
            .join("\n")
        ].join("\n\n"),
    ...groups.map(([category, exports]) => [`## ${category}`, ...exports.map(renderExport)].join("\n\n"))
  ])
}

/**
 * A module's summary for index tables: the first sentence of its English text.
 *
 * @since 0.1.0
 * @category getters
 */
export const summaryOf = (module: ModuleDoc): string => firstSentence(module.doc?.en ?? "")

/**
 * The module index of one package as a table (module, 中文, summary), with
 * links relative to `fromPage`.
 *
 * @since 0.1.0
 * @category rendering
 */
export const indexTable = (modules: ReadonlyArray<ModuleDoc>, fromPage: string): string =>
  table(
    ["module", "中文", "summary"],
    modules.map((m) => [`[${m.name}](${relativeLink(fromPage, pageOf(m))})`, m.doc?.zh ?? "", summaryOf(m)])
  )

/**
 * 术语 — one glossary row: a Chinese term, its English gloss, and where it is
 * defined.
 *
 * @since 0.1.0
 * @category models
 */
export interface Term {
  readonly zh: string
  readonly en: string
  readonly where: ReadonlyArray<{ readonly module: ModuleDoc; readonly exportName: string | undefined }>
}

/**
 * The English gloss of a comment text: its first clause, without a leading
 * article (`a grid: the basic cell …` → `grid`).
 *
 * @since 0.1.0
 * @category utils
 */
export const glossOf = (en: string): string => {
  // Abbreviations do not end a clause.
  const line = oneLine(en).replace(/\b(e\.g|i\.e|cf|vs|etc)\./g, "$1\uE000")
  const cut = line.search(/: |; | — |\. |\.$/)
  const clause = (cut < 0 ? line : line.slice(0, cut)).trim().replace(/\uE000/g, ".")
  const bare = clause.replace(/^(a|an|the)\s+/i, "")
  const space = bare.lastIndexOf(" ", 88)
  const short = bare.length > 90 ? `${bare.slice(0, space > 40 ? space : 89).trimEnd()} …` : bare
  // Never leave inline code open: cut before an unmatched backtick.
  const ticks = [...short.matchAll(/`/g)].map((m) => m.index)
  const last = ticks[ticks.length - 1]
  return ticks.length % 2 === 1 && last !== undefined ? `${short.slice(0, last).trimEnd()} …` : short
}

/**
 * Every concept with a Chinese term (modules and exports), merged by
 * (Chinese, English) and sorted by English then Chinese.
 *
 * @since 0.1.0
 * @category utils
 */
export const terms = (modules: ReadonlyArray<ModuleDoc>): ReadonlyArray<Term> => {
  const rows = new Map<string, { zh: string; en: string; where: Array<Term["where"][number]> }>()
  const add = (zh: string, en: string, module: ModuleDoc, exportName: string | undefined) => {
    const gloss = glossOf(en)
    const key = `${zh}\uE000${gloss}`
    const row = rows.get(key)
    if (row === undefined) rows.set(key, { zh, en: gloss, where: [{ module, exportName }] })
    else row.where.push({ module, exportName })
  }
  for (const m of modules) {
    if (m.doc?.zh !== undefined) add(m.doc.zh, m.doc.en, m, undefined)
    for (const e of m.exports) if (e.doc?.zh !== undefined) add(e.doc.zh, e.doc.en, m, e.name)
  }
  const sortKey = (en: string) => en.replace(/[`"'“”]/g, "").toLowerCase()
  return [...rows.values()].sort(
    (a, b) => compareStrings(sortKey(a.en), sortKey(b.en)) || compareStrings(a.zh, b.zh)
  )
}

const whereLink = (w: Term["where"][number]): string => {
  const page = pageOf(w.module)
  const label = w.exportName === undefined ? w.module.name : `${w.module.name}.${w.exportName}`
  const target = w.exportName === undefined ? undefined : anchorsOf(w.module).first.get(w.exportName)
  return `[${label}](${target === undefined ? page : `${page}#${target}`})`
}

/**
 * The glossary page: 中文 ↔ English for every concept.
 *
 * @since 0.1.0
 * @category rendering
 */
export const renderGlossary = (modules: ReadonlyArray<ModuleDoc>): string => {
  const all = terms(modules)
  return document([
    "# Glossary 术语表",
    notice,
    "Every concept whose doc comment starts with its Chinese term (`/** 网格 — a grid … */`), " +
      "with the first clause of its English text and where it is defined. " +
      `${all.length} terms, sorted by the English gloss.`,
    table(
      ["中文", "English", "defined in"],
      all.map((t) => [t.zh, t.en, t.where.map(whereLink).join(", ")])
    )
  ])
}

/**
 * Every module page and the glossary.
 *
 * @since 0.1.0
 * @category rendering
 */
export const render = (modules: ReadonlyArray<ModuleDoc>): Files.Files =>
  Files.make([
    ...modules.map((m) => [pageOf(m), renderModule(m)] as const),
    [glossaryPage, renderGlossary(modules)] as const
  ])
