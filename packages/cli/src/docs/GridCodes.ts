/**
 * 编码格式 — the code formats page: the GB/T 30428.1 15-digit and CJ/T 213
 * 14-digit grid codes and the 12-digit statistical area code inside both.
 * The segment tables are derived from the exported functions themselves:
 * each digit of a sample code is changed and the code decoded again
 * (`GridCode.decode`, `AreaCode.decode`) to see which part it belongs to; the
 * allowed ranges come from probing `AreaCode.streetKindOf`,
 * `AreaCode.communityKindOf`, `GridCode.encodeGb` and `GridCode.encodeCj`;
 * the rules from the errors' own messages. The parts are described by the
 * doc comments of `AreaCodeParts` and `GridCodeParts`.
 *
 * @since 0.1.0
 */
import * as AreaCode from "@civicgrid/core/AreaCode"
import * as GridCode from "@civicgrid/core/GridCode"
import * as Either from "effect/Either"
import * as Option from "effect/Option"
import { findModule } from "../internal/exported.js"
import { code, document, notice, table } from "../internal/markdown.js"
import * as Files from "./Files.js"
import type { ModuleDoc } from "./SourceDoc.js"

/**
 * The page path.
 *
 * @since 0.1.0
 * @category constants
 */
export const page = "grid-codes.md"

/**
 * The county of the sample codes: 北京市朝阳区 (GB/T 2260 `110105`).
 *
 * @since 0.1.0
 * @category constants
 */
export const sampleCounty = "110105"

/**
 * 码段 — a run of digit positions that change the same decoded parts.
 *
 * @since 0.1.0
 * @category models
 */
export interface Segment {
  /** First digit, 1-based. */
  readonly first: number
  /** Last digit, 1-based. */
  readonly last: number
  /** The decoded parts a change of these digits changes (`province`, `county`, `street`, `community`, `sequence`). */
  readonly parts: ReadonlyArray<string>
}

type Parts = Readonly<Record<string, string>>

const partsOf = (code: string): Parts | undefined =>
  Either.match(GridCode.decode(code), {
    onLeft: () => undefined,
    onRight: (p) => {
      const area = AreaCode.decode(p.area)
      return {
        province: area.province,
        county: area.county,
        street: area.street,
        community: area.community,
        sequence: String(p.sequence)
      }
    }
  })

/**
 * The segments of a valid grid code: for each digit, the first other digit
 * that still decodes shows which parts the position belongs to; consecutive
 * positions with the same parts form a segment.
 *
 * @since 0.1.0
 * @category utils
 */
export const segmentsOf = (sample: string): ReadonlyArray<Segment> => {
  const base = partsOf(sample)
  if (base === undefined) return []
  const changedAt = (i: number): ReadonlyArray<string> => {
    for (let d = 0; d <= 9; d++) {
      const digit = String(d)
      if (sample[i] === digit) continue
      const other = partsOf(`${sample.slice(0, i)}${digit}${sample.slice(i + 1)}`)
      if (other !== undefined) return Object.keys(base).filter((k) => base[k] !== other[k])
    }
    return []
  }
  const segments: Array<{ first: number; last: number; parts: ReadonlyArray<string> }> = []
  for (let i = 0; i < sample.length; i++) {
    const parts = changedAt(i)
    const previous = segments[segments.length - 1]
    if (previous !== undefined && previous.parts.join() === parts.join()) previous.last = i + 1
    else segments.push({ first: i + 1, last: i + 1, parts })
  }
  return segments
}

/**
 * 取值区间 — a run of consecutive values with the same classification.
 *
 * @since 0.1.0
 * @category models
 */
export interface Run {
  readonly from: number
  readonly to: number
  readonly label: string | undefined
}

/**
 * Groups `from..to` into runs of the same label (`undefined` = not allowed).
 *
 * @since 0.1.0
 * @category utils
 */
export const runs = (
  from: number,
  to: number,
  label: (n: number) => string | undefined
): ReadonlyArray<Run> => {
  const out: Array<{ from: number; to: number; label: string | undefined }> = []
  for (let n = from; n <= to; n++) {
    const l = label(n)
    const previous = out[out.length - 1]
    if (previous !== undefined && previous.label === l) previous.to = n
    else out.push({ from: n, to: n, label: l })
  }
  return out
}

const pad = (n: number, width: number): string => String(n).padStart(width, "0")

const range = (r: Run, width: number): string =>
  r.from === r.to ? pad(r.from, width) : `${pad(r.from, width)}–${pad(r.to, width)}`

const allowedRanges = (rs: ReadonlyArray<Run>, width: number): string =>
  rs
    .filter((r) => r.label !== undefined)
    .map((r) => (r.label === "" ? range(r, width) : `${range(r, width)} ${r.label}`))
    .join("; ")

const memberDoc = (module: ModuleDoc | undefined, interfaceName: string, member: string): string => {
  const doc = module?.exports
    .find((e) => e.name === interfaceName)
    ?.members.find((m) => m.name === member)?.doc
  return doc?.text ?? ""
}

const sampleArea = (): string =>
  Either.getOrElse(AreaCode.encode({ county: sampleCounty, street: 1, community: 2 }), () => "")

const segmentDigits = (s: Segment): string => (s.first === s.last ? `${s.first}` : `${s.first}–${s.last}`)

const segmentTable = (
  sample: string,
  areaModule: ModuleDoc | undefined,
  gridModule: ModuleDoc | undefined,
  sequenceRanges: string,
  include: (segment: Segment) => boolean = () => true
): string => {
  const describe = (part: string): string =>
    part === "sequence"
      ? memberDoc(gridModule, "GridCodeParts", "sequence")
      : memberDoc(areaModule, "AreaCodeParts", part)
  const allowed = (parts: ReadonlyArray<string>): string => {
    if (parts.includes("province")) return `one of ${AreaCode.provinceCodes.size} GB/T 2260 province codes`
    if (parts.includes("street")) return allowedRanges(streetRuns(), 3)
    if (parts.includes("community")) return allowedRanges(communityRuns(), 3)
    if (parts.includes("sequence")) return sequenceRanges
    return "GB/T 2260"
  }
  return table(
    ["digits", "in the sample", "decoded part", "meaning", "allowed"],
    segmentsOf(sample)
      .filter(include)
      .map((s) => [
        segmentDigits(s),
        code(sample.slice(s.first - 1, s.last)),
        s.parts.map(code).join(", "),
        describe(s.parts[0] ?? ""),
        allowed(s.parts)
      ])
  )
}

const segmentLabel = (sample: string, part: string): string => {
  const segment = segmentsOf(sample).find((s) => s.parts.length === 1 && s.parts[0] === part)
  return segment === undefined ? code(part) : `${code(part)} (digits ${segmentDigits(segment)})`
}

const optionLabel = (o: Option.Option<string>): string | undefined => Option.getOrUndefined(o)

const streetRuns = () => runs(0, 999, (n) => optionLabel(AreaCode.streetKindOf(pad(n, 3))))
const communityRuns = () => runs(0, 999, (n) => optionLabel(AreaCode.communityKindOf(pad(n, 3))))

const ruleRows = <R extends string>(
  rules: ReadonlyArray<R>,
  message: (rule: R) => string,
  prefix: RegExp
): ReadonlyArray<ReadonlyArray<string>> =>
  rules.map((rule) => [code(rule), message(rule).replace(prefix, "")])

/**
 * The code formats page.
 *
 * @since 0.1.0
 * @category rendering
 */
export const renderPage = (modules: ReadonlyArray<ModuleDoc>): string => {
  const areaModule = findModule(modules, "@civicgrid/core", "AreaCode")
  const gridModule = findModule(modules, "@civicgrid/core", "GridCode")
  const area = sampleArea()
  const gb = Either.getOrElse(GridCode.encodeGb(area, 3), () => "")
  const cj = Either.getOrElse(GridCode.encodeCj(area, 3), () => "")
  const gbSequences = allowedRanges(
    runs(0, 1000, (n) => (Either.isRight(GridCode.encodeGb(area, n)) ? "" : undefined)),
    3
  )
  const cjSequences = allowedRanges(
    runs(0, 100, (n) => (Either.isRight(GridCode.encodeCj(area, n)) ? "" : undefined)),
    2
  )
  const cjToGbRefused = runs(0, 99, (n) =>
    Either.flatMap(GridCode.encodeCj(area, n), GridCode.cjToGb)._tag === "Left" ? "refused" : undefined
  ).filter((r) => r.label !== undefined)
  const gbToCjRefused = runs(1, 999, (n) =>
    Either.flatMap(GridCode.encodeGb(area, n), GridCode.gbToCj)._tag === "Left" ? "refused" : undefined
  ).filter((r) => r.label !== undefined)
  const gridRules = GridCode.InvalidGridCode.fields.rule.literals
  const areaRules = AreaCode.InvalidAreaCode.fields.rule.literals
  return document([
    "# Code formats 编码格式",
    notice,
    `Sample codes below are built with the exported encoders for county ${code(sampleCounty)}, ` +
      `street segment 001 and community segment 002: area code ${code(area)}, ` +
      `GB/T 30428.1 grid code ${code(gb)}, CJ/T 213 grid code ${code(cj)}. ` +
      "See [GridCode](core/GridCode.md) and [AreaCode](core/AreaCode.md).",
    "## Grid codes 网格编码",
    gridModule?.doc?.text ?? "",
    "### GB/T 30428.1 — 15 digits",
    segmentTable(gb, areaModule, gridModule, gbSequences),
    "### CJ/T 213 — 14 digits",
    segmentTable(cj, areaModule, gridModule, cjSequences),
    "### Conversions",
    table(
      ["conversion", "refused sequences"],
      [
        [code("GridCode.cjToGb"), cjToGbRefused.map((r) => range(r, 2)).join("; ") || "none"],
        [code("GridCode.gbToCj"), gbToCjRefused.map((r) => range(r, 3)).join("; ") || "none"]
      ]
    ),
    "### Rules 校验规则",
    table(
      ["rule", "text"],
      ruleRows(
        gridRules,
        (rule) => new GridCode.InvalidGridCode({ code: "", rule }).message,
        /^invalid grid code "": /
      )
    ),
    "## Statistical area codes 统计用区划代码",
    areaModule?.doc?.text ?? "",
    segmentTable(gb, areaModule, gridModule, gbSequences, (s) => !s.parts.includes("sequence")),
    "### Street and community segments",
    "Every value of the two segments as `AreaCode.streetKindOf` and `AreaCode.communityKindOf` classify it " +
      "(— : not a unit of that level; `000` names the level above).",
    table(
      ["segment", "values", "kind"],
      [
        ...streetRuns().map((r) => [
          segmentLabel(gb, "street"),
          range(r, 3),
          r.label === undefined ? "—" : code(r.label)
        ]),
        ...communityRuns().map((r) => [
          segmentLabel(gb, "community"),
          range(r, 3),
          r.label === undefined ? "—" : code(r.label)
        ])
      ]
    ),
    "### Rules 校验规则",
    table(
      ["rule", "text"],
      ruleRows(
        areaRules,
        (rule) => new AreaCode.InvalidAreaCode({ code: "", rule }).message,
        /^invalid area code "": /
      )
    )
  ])
}

/**
 * The code formats page of the core.
 *
 * @since 0.1.0
 * @category rendering
 */
export const render = (modules: ReadonlyArray<ModuleDoc>): Files.Files =>
  Files.make([[page, renderPage(modules)]])
