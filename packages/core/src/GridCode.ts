/**
 * 网格编码 — unit grid codes in the two national forms:
 *
 * - **GB/T 30428.1** (数字化城市管理信息系统 第1部分：单元网格): 15 digits = the
 *   12-digit statistical area code of the community + a 3-digit sequence 001–999.
 * - **CJ/T 213** (the older 城市市政综合监管信息系统 单元网格划分与编码规则): 14 digits =
 *   6-digit county + 3-digit street + 3-digit community + 2-digit sequence 00–99,
 *   where `00` names the community itself rather than one of its grids.
 *
 * @since 0.1.0
 */
import * as Either from "effect/Either"
import * as Option from "effect/Option"
import * as Schema from "effect/Schema"
import * as AreaCode from "./AreaCode.js"

/**
 * 编码格式 — which standard a grid code follows.
 *
 * @since 0.1.0
 * @category models
 */
export type GridCodeFormat = "GB/T 30428.1" | "CJ/T 213"

/**
 * The rule a grid code breaks.
 *
 * @since 0.1.0
 * @category models
 */
export type GridCodeRule = "digits" | "area-code" | "community-level" | "sequence"

const ruleText: Record<GridCodeRule, string> = {
  digits: "a grid code is 15 digits (GB/T 30428.1) or 14 digits (CJ/T 213)",
  "area-code": "the first 12 digits must be a valid statistical area code",
  "community-level": "the area code must name a community (its street and community segments are not 000)",
  sequence: "the sequence must be 001–999 (GB/T 30428.1) or 00–99 (CJ/T 213)"
}

/**
 * 网格编码错误 — an invalid grid code, naming the code and the rule it breaks.
 *
 * @since 0.1.0
 * @category errors
 */
export class InvalidGridCode extends Schema.TaggedError<InvalidGridCode>()("InvalidGridCode", {
  code: Schema.String,
  rule: Schema.Literal("digits", "area-code", "community-level", "sequence"),
  detail: Schema.optionalWith(Schema.String, { exact: true })
}) {
  override get message(): string {
    return `invalid grid code "${this.code}": ${ruleText[this.rule]}${this.detail ? ` (${this.detail})` : ""}`
  }
}

/**
 * A decoded grid code.
 *
 * @since 0.1.0
 * @category models
 */
export interface GridCodeParts {
  readonly format: GridCodeFormat
  /** 所属社区区划代码 — the community's 12-digit area code. */
  readonly area: AreaCode.AreaCode
  /** 顺序码 — the grid's sequence within the community (0 only in CJ/T 213, for the community itself). */
  readonly sequence: number
}

const checkCode = (code: string): Either.Either<GridCodeParts, InvalidGridCode> => {
  const format: GridCodeFormat | undefined = /^\d{15}$/.test(code)
    ? "GB/T 30428.1"
    : /^\d{14}$/.test(code)
      ? "CJ/T 213"
      : undefined
  if (format === undefined) return Either.left(new InvalidGridCode({ code, rule: "digits" }))
  const areaPart = code.slice(0, 12)
  const areaRule = AreaCode.check(areaPart)
  if (Option.isSome(areaRule)) {
    return Either.left(new InvalidGridCode({ code, rule: "area-code", detail: areaRule.value }))
  }
  const area = areaPart as AreaCode.AreaCode
  if (AreaCode.levelOf(area) !== "community")
    return Either.left(new InvalidGridCode({ code, rule: "community-level" }))
  const sequence = Number(code.slice(12))
  if (format === "GB/T 30428.1" && sequence === 0)
    return Either.left(new InvalidGridCode({ code, rule: "sequence" }))
  return Either.right({ format, area, sequence })
}

/**
 * 单元网格编码 — a valid GB/T 30428.1 15-digit unit grid code.
 *
 * @since 0.1.0
 * @category schemas
 */
export const GbGridCode = Schema.String.pipe(
  Schema.filter((code) =>
    Either.match(checkCode(code), {
      onLeft: (e) => e.message,
      onRight: (p) =>
        p.format === "GB/T 30428.1" || `${ruleText.digits}; GB/T 30428.1 needs 15 (got "${code}")`
    })
  ),
  Schema.brand("GbGridCode"),
  Schema.annotations({ identifier: "GbGridCode", title: "单元网格编码 GB/T 30428.1 grid code" })
)

/**
 * @since 0.1.0
 * @category models
 */
export type GbGridCode = typeof GbGridCode.Type

/**
 * 单元网格编码（旧） — a valid CJ/T 213 14-digit grid code.
 *
 * @since 0.1.0
 * @category schemas
 */
export const CjGridCode = Schema.String.pipe(
  Schema.filter((code) =>
    Either.match(checkCode(code), {
      onLeft: (e) => e.message,
      onRight: (p) => p.format === "CJ/T 213" || `${ruleText.digits}; CJ/T 213 needs 14 (got "${code}")`
    })
  ),
  Schema.brand("CjGridCode"),
  Schema.annotations({ identifier: "CjGridCode", title: "单元网格编码 CJ/T 213 grid code" })
)

/**
 * @since 0.1.0
 * @category models
 */
export type CjGridCode = typeof CjGridCode.Type

/**
 * 网格编码 — a grid code in either format.
 *
 * @since 0.1.0
 * @category schemas
 */
export const GridCode = Schema.Union(GbGridCode, CjGridCode).annotations({
  identifier: "GridCode",
  title: "网格编码 grid code"
})

/**
 * @since 0.1.0
 * @category models
 */
export type GridCode = typeof GridCode.Type

/**
 * Validates and decodes a grid code of either format.
 *
 * @since 0.1.0
 * @category decoding
 */
export const decode = (code: string): Either.Either<GridCodeParts, InvalidGridCode> => checkCode(code)

/**
 * Encodes a GB/T 30428.1 15-digit code from a community area code and a sequence 1–999.
 *
 * @since 0.1.0
 * @category encoding
 */
export const encodeGb = (area: string, sequence: number): Either.Either<GbGridCode, InvalidGridCode> => {
  if (!Number.isInteger(sequence) || sequence < 1 || sequence > 999) {
    return Either.left(new InvalidGridCode({ code: `${area}${sequence}`, rule: "sequence" }))
  }
  const code = `${area}${String(sequence).padStart(3, "0")}`
  return Either.flatMap(checkCode(code), (parts) =>
    parts.format === "GB/T 30428.1"
      ? Either.right(code as GbGridCode)
      : Either.left(
          new InvalidGridCode({ code, rule: "digits", detail: "the area code must have 12 digits" })
        )
  )
}

/**
 * Encodes a CJ/T 213 14-digit code from a community area code and a sequence
 * 0–99 (0 names the community itself).
 *
 * @since 0.1.0
 * @category encoding
 */
export const encodeCj = (area: string, sequence: number): Either.Either<CjGridCode, InvalidGridCode> => {
  if (!Number.isInteger(sequence) || sequence < 0 || sequence > 99) {
    return Either.left(new InvalidGridCode({ code: `${area}${sequence}`, rule: "sequence" }))
  }
  const code = `${area}${String(sequence).padStart(2, "0")}`
  return Either.flatMap(checkCode(code), (parts) =>
    parts.format === "CJ/T 213"
      ? Either.right(code as CjGridCode)
      : Either.left(
          new InvalidGridCode({ code, rule: "digits", detail: "the area code must have 12 digits" })
        )
  )
}

/**
 * Converts a CJ/T 213 code of a grid (sequence 01–99) to the GB/T 30428.1 form
 * with the same sequence. The community's own code (sequence 00) has no
 * GB/T 30428.1 grid equivalent and is refused.
 *
 * @since 0.1.0
 * @category conversions
 */
export const cjToGb = (code: CjGridCode): Either.Either<GbGridCode, InvalidGridCode> => {
  const sequence = Number(code.slice(12))
  return sequence === 0
    ? Either.left(
        new InvalidGridCode({ code, rule: "sequence", detail: "sequence 00 names the community, not a grid" })
      )
    : encodeGb(code.slice(0, 12), sequence)
}

/**
 * Converts a GB/T 30428.1 code with a sequence 001–099 to the CJ/T 213 form;
 * sequences above 99 do not fit two digits and are refused.
 *
 * @since 0.1.0
 * @category conversions
 */
export const gbToCj = (code: GbGridCode): Either.Either<CjGridCode, InvalidGridCode> => {
  const sequence = Number(code.slice(12))
  return sequence > 99
    ? Either.left(
        new InvalidGridCode({ code, rule: "sequence", detail: "CJ/T 213 holds sequences up to 99" })
      )
    : encodeCj(code.slice(0, 12), sequence)
}
