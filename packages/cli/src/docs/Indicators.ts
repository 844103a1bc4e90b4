/**
 * 考核指标 — the indicators page: every indicator definition of
 * `Indicator.definitions` (Chinese and English names, numerator, denominator,
 * formula, attribution, direction, source), the scoring profiles, grade bands,
 * traffic lights and ranking defaults of `Score`, and the satisfaction scales
 * and hotline defaults of `Survey`.
 *
 * @since 0.1.0
 */
import * as Indicator from "@civicgrid/core/Indicator"
import * as Score from "@civicgrid/core/Score"
import * as Survey from "@civicgrid/core/Survey"
import * as Schema from "effect/Schema"
import { exportedValues, findModule } from "../internal/exported.js"
import { code, document, notice, num, table } from "../internal/markdown.js"
import * as Files from "./Files.js"
import type { ModuleDoc } from "./SourceDoc.js"

/**
 * The page path.
 *
 * @since 0.1.0
 * @category constants
 */
export const page = "indicators.md"

const directionText = (direction: string): string =>
  direction === "higher-is-better" ? "higher is better ↑" : "lower is better ↓"

/**
 * Describes a scoring in words.
 *
 * @since 0.1.0
 * @category utils
 */
export const describeScoring = (scoring: Score.Scoring): string => {
  switch (scoring._tag) {
    case "Linear":
      return `linear: 0 points at ${num(scoring.zeroAt)}, 100 at ${num(scoring.fullAt)}`
    case "Steps": {
      const op = scoring.direction === "higher-is-better" ? "≥" : "≤"
      const steps = scoring.steps.map((s) => `${op} ${num(s.threshold)} → ${num(s.points)}`).join("; ")
      return `steps (${directionText(scoring.direction)}): ${steps}; otherwise ${num(scoring.otherwise)}`
    }
    case "Deduct":
      return (
        `deduction (${directionText(scoring.direction)}): 100 at ${num(scoring.target)}, ` +
        `minus ${num(scoring.pointsPerPercent)} per percentage point ${scoring.direction === "higher-is-better" ? "short" : "over"}`
      )
    case "Capped":
      return `capped at ${num(scoring.max)}: ${describeScoring(scoring.scoring)}`
  }
}

/**
 * The section of one indicator definition.
 *
 * @since 0.1.0
 * @category rendering
 */
export const renderDefinition = (d: Indicator.IndicatorDefinition): string =>
  [
    `### ${d.name} ${d.nameEn}`,
    table(
      ["field", "value"],
      [
        ["id", code(d.id)],
        ["分子 numerator", d.numerator],
        ["分母 denominator", d.denominator],
        ["计算公式 formula", d.formula],
        ["统计口径 attribution", d.attribution],
        ["proportion (numerator ≤ denominator)", d.proportion ? "yes" : "no — may exceed 100%"],
        ["direction", directionText(d.direction)],
        ["依据 source", d.source]
      ]
    )
  ].join("\n\n")

const profileSection = (name: string, profile: Score.Profile, text: string | undefined): string =>
  [
    `### ${profile.name} (${code(`Score.${name}`)})`,
    text ?? "",
    `id ${code(profile.id)} · weights ${code(profile.weights)} · missing data ${code(profile.missing)}`,
    table(
      ["indicator", "名称", "name", "weight", "scoring"],
      profile.indicators.map((i) => [code(i.id), i.name, i.nameEn, num(i.weight), describeScoring(i.scoring)])
    )
  ]
    .filter((s) => s.length > 0)
    .join("\n\n")

const scaleSection = (name: string, scale: Survey.Scale, text: string | undefined): string =>
  [
    `### ${scale.name} (${code(`Survey.${name}`)})`,
    text ?? "",
    `id ${code(scale.id)}`,
    table(
      ["rank", "level", "中文", "English", "counts as satisfied"],
      scale.levels.map((l, i) => [
        String(i + 1),
        code(l.id),
        l.name,
        l.nameEn,
        scale.satisfied.includes(l.id) ? "yes" : "no"
      ])
    )
  ]
    .filter((s) => s.length > 0)
    .join("\n\n")

/**
 * What the page is generated from (the core's values by default).
 *
 * @since 0.1.0
 * @category models
 */
export interface Input {
  readonly definitions: ReadonlyArray<Indicator.IndicatorDefinition>
  readonly modules: ReadonlyArray<ModuleDoc>
}

/**
 * The indicators page.
 *
 * @since 0.1.0
 * @category rendering
 */
export const renderPage = (input: Input): string => {
  const scoreModule = findModule(input.modules, "@civicgrid/core", "Score")
  const surveyModule = findModule(input.modules, "@civicgrid/core", "Survey")
  const profiles = exportedValues(Score, scoreModule, Schema.is(Score.Profile))
  const scales = exportedValues(Survey, surveyModule, Schema.is(Survey.Scale))
  return document([
    "# Indicators 考核指标",
    notice,
    `The ${input.definitions.length} case indicators of \`Indicator.definitions\` (ids in \`Indicator.ids\` ` +
      "order), the composite scoring of `Score` and the satisfaction scales of `Survey`. Every value here is " +
      "configuration with the documented default; see [Indicator](core/Indicator.md), [Score](core/Score.md) " +
      "and [Survey](core/Survey.md) for the counting rules.",
    "## Summary",
    table(
      ["id", "名称", "name", "formula", "direction"],
      input.definitions.map((d) => [code(d.id), d.name, d.nameEn, d.formula, directionText(d.direction)])
    ),
    "## Definitions 指标定义",
    ...input.definitions.map(renderDefinition),
    "## Scoring profiles 考核方案",
    `Shipped profiles of \`Score\` (${profiles.length}); each indicator's points are 0–100 and the composite ` +
      "divides by the weight actually applied.",
    ...profiles.map((p) => profileSection(p.name, p.value, p.doc?.text)),
    "## Grade bands 等级划分",
    `\`Score.defaultGradeBands\`: the first band (best first) whose threshold a score reaches; below all: ${code(Score.defaultGradeBands.otherwise)}.`,
    table(
      ["grade", "score at least"],
      [
        ...Score.defaultGradeBands.bands.map((b) => [code(b.grade), num(b.atLeast)]),
        [code(Score.defaultGradeBands.otherwise), "below every band"]
      ]
    ),
    "## Traffic lights 绿橙红",
    "`Score.defaultLightThresholds` with `Score.lightNames`.",
    table(
      ["light", "中文", "score"],
      [
        [code("green"), Score.lightNames.green, `≥ ${num(Score.defaultLightThresholds.green)}`],
        [code("orange"), Score.lightNames.orange, `≥ ${num(Score.defaultLightThresholds.orange)}`],
        [code("red"), Score.lightNames.red, `< ${num(Score.defaultLightThresholds.orange)}`]
      ]
    ),
    "## Ranking 排名",
    `\`Score.rank\`: units with a sample below \`Score.defaultMinSample\` = ${num(Score.defaultMinSample)} ` +
      "are listed unranked.",
    "## Satisfaction scales 量表",
    `Shipped scales of \`Survey\` (${scales.length}), best level first. Default confidence level ` +
      `\`Survey.defaultConfidence\` = ${num(Survey.defaultConfidence)}; 基本满意 weight in the hotline ` +
      `满意率 \`Survey.defaultBasicWeight\` = ${num(Survey.defaultBasicWeight)}.`,
    ...scales.map((s) => scaleSection(s.name, s.value, s.doc?.text))
  ])
}

/**
 * The indicators page of the core.
 *
 * @since 0.1.0
 * @category rendering
 */
export const render = (modules: ReadonlyArray<ModuleDoc>): Files.Files =>
  Files.make([[page, renderPage({ definitions: Indicator.definitions, modules })]])
