/**
 * 参考文档 — everything `civicgrid docs` generates, as one file set: the
 * domain reference of every module, the glossary, the case lifecycle, the
 * indicators, the level schemes, the code formats, the case categories, the
 * time limits, the Open311 mapping and the HTTP API reference, with an index
 * page (`README.md`) linking them.
 *
 * @since 0.1.0
 */
import { document, notice, relativeLink } from "../internal/markdown.js"
import * as CaseCategories from "./CaseCategories.js"
import * as CaseDiagram from "./CaseDiagram.js"
import * as DomainReference from "./DomainReference.js"
import * as Files from "./Files.js"
import * as GridCodes from "./GridCodes.js"
import * as HttpReference from "./HttpReference.js"
import * as Indicators from "./Indicators.js"
import * as LevelSchemes from "./LevelSchemes.js"
import * as Open311Statuses from "./Open311Statuses.js"
import type { ModuleDoc } from "./SourceDoc.js"
import * as Sources from "./Sources.js"
import * as TimeLimits from "./TimeLimits.js"

/**
 * The index page path.
 *
 * @since 0.1.0
 * @category constants
 */
export const indexPage = "README.md"

/**
 * 专题 — the topic pages, in the order the index lists them.
 *
 * @since 0.1.0
 * @category constants
 */
export const topics: ReadonlyArray<{ readonly page: string; readonly title: string; readonly from: string }> =
  [
    {
      page: CaseDiagram.page,
      title: "Case lifecycle 案件生命周期",
      from: "state diagram, transitions and authorities from `Case.transitions` and `Case.authorities`"
    },
    {
      page: Indicators.page,
      title: "Indicators 考核指标",
      from: "formulas from `Indicator.definitions`; scoring profiles, grade bands and lights of `Score`; scales of `Survey`"
    },
    { page: LevelSchemes.page, title: "Level schemes 层级方案", from: "every scheme `LevelScheme` exports" },
    {
      page: GridCodes.page,
      title: "Code formats 编码格式",
      from: "GB/T 30428.1 and CJ/T 213 grid codes and the 12-digit area code, probed from `GridCode` and `AreaCode`"
    },
    {
      page: CaseCategories.page,
      title: "Case categories 案件类别",
      from: "the catalogues of `CaseCategory` (`Standard`, `WithCommunityGovernance`)"
    },
    {
      page: TimeLimits.page,
      title: "Time limits 处置时限",
      from: "`TimeLimit.defaultPolicy`, timer light, working calendar and automatic escalation defaults"
    },
    {
      page: HttpReference.page,
      title: "HTTP API 接口参考",
      from: "every endpoint of the OpenAPI document of `@civicgrid/http/Api` ([openapi.json](http/openapi.json))"
    },
    {
      page: Open311Statuses.page,
      title: "Open311 状态映射",
      from: "`Open311.statusTable` and `Open311.eventUpdates` of `@civicgrid/http`"
    },
    {
      page: DomainReference.glossaryPage,
      title: "Glossary 术语表",
      from: "every concept's Chinese and English names from the doc comments"
    }
  ]

/**
 * The index page.
 *
 * @since 0.1.0
 * @category rendering
 */
export const renderIndex = (modules: ReadonlyArray<ModuleDoc>): string =>
  document([
    "# civicgrid reference 参考文档",
    notice,
    "Everything under `docs/reference/` is generated from the code: doc comments read with the TypeScript " +
      "compiler API, and the data the modules export (transition table, indicator definitions, schemes, " +
      "catalogues, policies, the OpenAPI document). Regenerate with `npx civicgrid docs`; " +
      "`npx civicgrid docs --check` (and the test suite) fail when these files are stale.",
    "## Topics",
    topics.map((t) => `- [${t.title}](${relativeLink(indexPage, t.page)}) — ${t.from}`).join("\n"),
    "## Modules",
    ...Sources.packages.map((packageName) => {
      const own = modules.filter((m) => m.packageName === packageName)
      return own.length === 0
        ? ""
        : [`### ${packageName}`, DomainReference.indexTable(own, indexPage)].join("\n\n")
    })
  ])

/**
 * Every generated file.
 *
 * @since 0.1.0
 * @category rendering
 */
export const generate = (modules: ReadonlyArray<ModuleDoc>): Files.Files =>
  Files.merge(
    DomainReference.render(modules),
    CaseDiagram.render(),
    Indicators.render(modules),
    LevelSchemes.render(modules),
    GridCodes.render(modules),
    CaseCategories.render(modules),
    TimeLimits.render(modules),
    Open311Statuses.render(modules),
    HttpReference.render(modules),
    Files.make([[indexPage, renderIndex(modules)]])
  )
