/**
 * 边界文本 WKT — a grid boundary as Well-Known Text (OGC Simple Features /
 * ISO 19125), the form GIS tools and spreadsheets exchange polygons in when a
 * GeoJSON file is not at hand: `POLYGON ((116.39 39.90, 116.40 39.90, …))`
 * or `MULTIPOLYGON (((…)), ((…)))`, keywords in any case, an optional `Z`
 * (the altitude is kept) and an optional PostGIS `SRID=4326;` prefix (another
 * SRID is refused: name the coordinate system with the importer's `--crs`).
 * `parse` reads a text into a `GeoJson.Boundary` and validates it as GeoJSON
 * (closed rings of at least four positions); `format` writes one back with
 * every number in its shortest exact form, so `parse(format(b))` equals `b`.
 *
 * @since 0.1.0
 */
import * as Either from "effect/Either"
import * as ParseResult from "effect/ParseResult"
import * as Schema from "effect/Schema"
import { Boundary, type LinearRing, type Position } from "./GeoJson.js"

/**
 * 边界文本无效 — a WKT text that is not a Polygon or MultiPolygon boundary: the
 * 1-based character position where reading stopped (0 when the whole text is
 * at fault) and the reason.
 *
 * @since 0.1.0
 * @category errors
 */
export class WktInvalid extends Schema.TaggedError<WktInvalid>()("WktInvalid", {
  position: Schema.Int,
  reason: Schema.String
}) {
  override get message(): string {
    const where = this.position > 0 ? `第 ${this.position} 个字符 at character ${this.position}: ` : ""
    return `边界 WKT 无效 invalid WKT boundary: ${where}${this.reason} (rule wkt)`
  }
}

type Token =
  | { readonly kind: "word"; readonly text: string; readonly at: number }
  | { readonly kind: "number"; readonly value: number; readonly at: number }
  | { readonly kind: "open" | "close" | "comma"; readonly at: number }

const numberPattern = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?/
const wordPattern = /^[A-Za-z]+/

const tokenize = (text: string, start: number): Either.Either<ReadonlyArray<Token>, WktInvalid> => {
  const tokens: Array<Token> = []
  let i = start
  while (i < text.length) {
    const c = text[i] ?? ""
    if (/\s/u.test(c)) {
      i++
      continue
    }
    if (c === "(" || c === "（") tokens.push({ kind: "open", at: i })
    else if (c === ")" || c === "）") tokens.push({ kind: "close", at: i })
    else if (c === "," || c === "，") tokens.push({ kind: "comma", at: i })
    else {
      const rest = text.slice(i)
      const n = numberPattern.exec(rest)
      if (n !== null) {
        tokens.push({ kind: "number", value: Number(n[0]), at: i })
        i += n[0].length
        continue
      }
      const w = wordPattern.exec(rest)
      if (w !== null) {
        tokens.push({ kind: "word", text: w[0].toUpperCase(), at: i })
        i += w[0].length
        continue
      }
      return Either.left(
        new WktInvalid({ position: i + 1, reason: `意外的字符 unexpected character ${JSON.stringify(c)}` })
      )
    }
    i++
  }
  return Either.right(tokens)
}

class Stop {
  constructor(readonly error: WktInvalid) {}
}

/** A cursor over the tokens; every failure throws a `Stop`, caught once by `parse`. */
const reader = (tokens: ReadonlyArray<Token>, end: number) => {
  let i = 0
  const fail = (at: number, reason: string): never => {
    throw new Stop(new WktInvalid({ position: at + 1, reason }))
  }
  const peek = (): Token | undefined => tokens[i]
  const expect = (kind: "open" | "close" | "comma", what: string): void => {
    const t = tokens[i]
    if (t === undefined) fail(end, `文本意外结束 the text ends where ${what} is expected`)
    else if (t.kind !== kind) fail(t.at, `应为 ${what} expected ${what}`)
    i++
  }
  const position = (dimensions: 2 | 3): Position => {
    const values: Array<number> = []
    for (let k = 0; k < dimensions; k++) {
      const t = tokens[i]
      if (t === undefined) return fail(end, "文本意外结束 the text ends inside a position")
      if (t.kind !== "number") {
        return fail(
          t.at,
          `坐标应有 ${dimensions} 个数 a position needs ${dimensions} numbers (longitude latitude${dimensions === 3 ? " altitude" : ""})`
        )
      }
      values.push(t.value)
      i++
    }
    const [x = 0, y = 0, z = 0] = values
    return dimensions === 3 ? [x, y, z] : [x, y]
  }
  /** `( item, item, … )` */
  const list = <A>(item: () => A, what: string): Array<A> => {
    expect("open", `“(” before ${what}`)
    const items = [item()]
    while (peek()?.kind === "comma") {
      i++
      items.push(item())
    }
    expect("close", `“)” or “,” after ${what}`)
    return items
  }
  const done = (): void => {
    const t = tokens[i]
    if (t !== undefined) fail(t.at, "边界之后还有多余内容 unexpected text after the boundary")
  }
  return { peek, next: () => tokens[i++], fail, list, position, done }
}

const parseTokens = (tokens: ReadonlyArray<Token>, end: number): unknown => {
  const r = reader(tokens, end)
  const head = r.next()
  if (head === undefined) return r.fail(-1, "空文本 the text is empty")
  if (head.kind !== "word" || (head.text !== "POLYGON" && head.text !== "MULTIPOLYGON")) {
    return r.fail(
      head.at,
      "只支持 POLYGON 或 MULTIPOLYGON only POLYGON and MULTIPOLYGON boundaries are accepted"
    )
  }
  let dimensions: 2 | 3 = 2
  const modifier = r.peek()
  if (modifier?.kind === "word") {
    r.next()
    if (modifier.text === "Z") dimensions = 3
    else if (modifier.text === "EMPTY" && head.text === "MULTIPOLYGON") {
      r.done()
      return { type: "MultiPolygon", coordinates: [] }
    } else if (modifier.text === "EMPTY") return r.fail(modifier.at, "边界为空 an EMPTY polygon has no area")
    else return r.fail(modifier.at, `不支持的维度 unsupported dimension "${modifier.text}" (only Z)`)
  }
  const ring = (): ReadonlyArray<Position> => r.list(() => r.position(dimensions), "a position")
  const polygon = (): ReadonlyArray<ReadonlyArray<Position>> => r.list(ring, "a ring")
  const coordinates = head.text === "POLYGON" ? polygon() : r.list(polygon, "a polygon")
  r.done()
  return { type: head.text === "POLYGON" ? "Polygon" : "MultiPolygon", coordinates }
}

const decodeBoundary = Schema.decodeUnknownEither(Boundary)

const sridPattern = /^\s*SRID\s*=\s*(\d+)\s*;/i

/**
 * 解析 WKT — reads a `POLYGON` or `MULTIPOLYGON` text (optionally `Z`, after an
 * optional `SRID=4326;`) into a GeoJSON boundary, validated as GeoJSON: every
 * ring closed, with at least four positions. Full-width parentheses and commas
 * (as typed in a Chinese spreadsheet) are read as ASCII ones.
 *
 * @since 0.1.0
 * @category parsing
 */
export const parse = (text: string): Either.Either<Boundary, WktInvalid> => {
  const srid = sridPattern.exec(text)
  if (srid !== null && srid[1] !== "4326") {
    return Either.left(
      new WktInvalid({
        position: 1,
        reason:
          `不支持的空间参考 SRID ${srid[1]}: only SRID=4326 is read; ` +
          "name the coordinate system (WGS-84, GCJ-02, BD-09) with --crs instead"
      })
    )
  }
  const start = srid === null ? 0 : srid[0].length
  return Either.flatMap(tokenize(text, start), (tokens) => {
    let value: unknown
    try {
      value = parseTokens(tokens, text.length)
    } catch (e) {
      if (e instanceof Stop) return Either.left(e.error)
      throw e
    }
    return Either.mapLeft(
      decodeBoundary(value),
      (error) =>
        new WktInvalid({
          position: 0,
          reason: `不是有效的边界 not a valid boundary: ${ParseResult.TreeFormatter.formatErrorSync(error)}`
        })
    )
  })
}

const numberText = (n: number): string => (Object.is(n, -0) ? "-0" : String(n))

const positionText = (p: Position): string => p.map(numberText).join(" ")

const ringText = (ring: LinearRing): string => `(${ring.map(positionText).join(", ")})`

const polygonText = (rings: ReadonlyArray<LinearRing>): string => `(${rings.map(ringText).join(", ")})`

/**
 * 写出 WKT — writes a boundary as WKT (`POLYGON Z` when its first position
 * has an altitude), every number in its shortest exact form: `parse` gives
 * the same boundary back.
 *
 * @since 0.1.0
 * @category formatting
 */
export const format = (boundary: Boundary): string => {
  const first = boundary.type === "Polygon" ? boundary.coordinates[0][0] : boundary.coordinates[0]?.[0][0]
  const z = first !== undefined && first.length === 3 ? " Z" : ""
  if (boundary.type === "MultiPolygon" && boundary.coordinates.length === 0) return "MULTIPOLYGON EMPTY"
  return boundary.type === "Polygon"
    ? `POLYGON${z} ${polygonText(boundary.coordinates)}`
    : `MULTIPOLYGON${z} (${boundary.coordinates.map(polygonText).join(", ")})`
}

/**
 * 边界（WKT） — a boundary from its WKT text, and back (`parse`, `format`):
 * for a text column of a ledger.
 *
 * @since 0.1.0
 * @category schemas
 */
export const BoundaryFromWkt: Schema.Schema<Boundary, string> = Schema.transformOrFail(
  Schema.String,
  Schema.typeSchema(Boundary),
  {
    strict: true,
    decode: (text, _, ast) =>
      Either.mapLeft(parse(text), (error) => new ParseResult.Type(ast, text, error.message)),
    encode: (boundary) => ParseResult.succeed(format(boundary))
  }
).annotations({ identifier: "BoundaryFromWkt", title: "边界（WKT） boundary as WKT" })
