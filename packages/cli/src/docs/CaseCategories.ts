/**
 * 案件类别目录 — the case categories page: every catalogue `CaseCategory`
 * exports (the first in full, each later one by the rows it adds), family by
 * family, each major class with its minor classes, their attributes and
 * handling rules (start tier, default urgency, department hint).
 *
 * @since 0.1.0
 */
import * as CaseCategory from "@civicgrid/core/CaseCategory"
import * as Tier from "@civicgrid/core/Tier"
import { exportedValues, findModule, literalNames } from "../internal/exported.js"
import { code, document, notice, table } from "../internal/markdown.js"
import * as Files from "./Files.js"
import type { ModuleDoc } from "./SourceDoc.js"

/**
 * The page path.
 *
 * @since 0.1.0
 * @category constants
 */
export const page = "case-categories.md"

/**
 * Whether a value is a `CaseCategory.Catalogue`.
 *
 * @since 0.1.0
 * @category predicates
 */
export const isCatalogue = (u: unknown): u is CaseCategory.Catalogue =>
  typeof u === "object" &&
  u !== null &&
  "categories" in u &&
  Array.isArray(u.categories) &&
  "byId" in u &&
  u.byId instanceof Map

const urgencyNames = literalNames(CaseCategory.Urgency.ast)

const attributeText = (a: CaseCategory.Attribute): string => {
  const values = a.values === undefined ? "" : ` [${a.values.map((v) => `${v.key} ${v.name}`).join(", ")}]`
  return `${code(a.code)} ${a.description} (${a.datatype}${a.required ? ", required" : ""})${values}`
}

const minorRow = (m: CaseCategory.MinorClass): ReadonlyArray<string> => {
  const tier = CaseCategory.startTierOf(m)
  const urgency = CaseCategory.urgencyOf(m)
  return [
    code(m.id),
    m.code,
    m.name,
    `${urgency} ${urgencyNames.get(urgency) ?? ""}`.trim(),
    `${tier} ${Tier.names[tier].name}`,
    m.departmentId ?? "",
    m.attributes.map(attributeText).join("; "),
    (m.keywords ?? []).join(", ")
  ]
}

/**
 * The sections of a list of category rows, by family and major class.
 *
 * @since 0.1.0
 * @category rendering
 */
export const renderRows = (rows: ReadonlyArray<CaseCategory.Category>, level: number): string => {
  const hashes = "#".repeat(level)
  const majors = rows.filter(CaseCategory.isMajor)
  const minors = rows.filter(CaseCategory.isMinor)
  return CaseCategory.families
    .filter((family) => majors.some((m) => m.family === family))
    .map((family) =>
      [
        `${hashes} ${CaseCategory.familyNames[family]} ${family} (id prefix ${code(CaseCategory.familyPrefixes[family])})`,
        ...majors
          .filter((m) => m.family === family)
          .map((major) =>
            [
              `${hashes}# ${major.code} ${major.name} (${code(major.id)})`,
              major.description ?? "",
              table(
                ["id", "code", "小类", "urgency", "start tier", "department", "attributes", "keywords"],
                minors.filter((m) => m.majorId === major.id).map(minorRow)
              )
            ]
              .filter((s) => s.length > 0)
              .join("\n\n")
          )
      ].join("\n\n")
    )
    .join("\n\n")
}

/**
 * The case categories page.
 *
 * @since 0.1.0
 * @category rendering
 */
export const renderPage = (modules: ReadonlyArray<ModuleDoc>): string => {
  const module = findModule(modules, "@civicgrid/core", "CaseCategory")
  const catalogues = exportedValues(CaseCategory, module, isCatalogue)
  const first = catalogues[0]
  const count = (rows: ReadonlyArray<CaseCategory.Category>) =>
    `${rows.filter(CaseCategory.isMajor).length} major and ${rows.filter(CaseCategory.isMinor).length} minor classes`
  return document([
    "# Case categories 案件类别",
    notice,
    `The ${catalogues.length} catalogues shipped by \`CaseCategory\`. Urgency and start tier show the ` +
      "defaults a minor class gives a new case (`CaseCategory.urgencyOf`, `CaseCategory.startTierOf`); " +
      "list attributes show their values as `key name`. See [CaseCategory](core/CaseCategory.md).",
    ...catalogues.map((c, i) => {
      const rows =
        i === 0 || first === undefined
          ? c.value.categories
          : c.value.categories.filter((row) => !first.value.byId.has(row.id))
      return [
        `## ${c.doc?.zh ?? c.name} (${code(`CaseCategory.${c.name}`)})`,
        c.doc?.en ?? "",
        i === 0 || first === undefined
          ? `${count(rows)}.`
          : `Adds ${count(rows)} to ${code(`CaseCategory.${first.name}`)}:`,
        renderRows(rows, 3)
      ]
        .filter((s) => s.length > 0)
        .join("\n\n")
    })
  ])
}

/**
 * The case categories page of the core.
 *
 * @since 0.1.0
 * @category rendering
 */
export const render = (modules: ReadonlyArray<ModuleDoc>): Files.Files =>
  Files.make([[page, renderPage(modules)]])
