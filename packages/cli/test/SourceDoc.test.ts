import { describe, expect, it } from "@effect/vitest"
import * as fc from "fast-check"
import * as SourceDoc from "../src/docs/SourceDoc.js"

const sample = `/**
 * 网格 — a grid: the basic cell.
 *
 * More text.
 *
 * @since 0.1.0
 */
import * as Schema from "effect/Schema"

/**
 * 网格标识 — the identifier of a grid.
 *
 * @since 0.1.0
 * @category schemas
 */
export const GridId = Schema.String.pipe(Schema.brand("GridId"))

/**
 * @since 0.1.0
 * @category models
 */
export type GridId = typeof GridId.Type

/**
 * Decodes a code.
 *
 * @since 0.2.0
 * @category decoding
 * @deprecated use parse
 */
export const decode = <A>(code: string, fallback: A): A | string => code || fallback

/**
 * 编码 — the parts.
 *
 * @since 0.1.0
 * @category models
 */
export interface Parts {
  /** 顺序码 — the sequence. */
  readonly sequence: number
  readonly area: string
}

/**
 * 错误 — an error.
 *
 * @since 0.1.0
 * @category errors
 */
export class Invalid extends Schema.TaggedError<Invalid>()("Invalid", { code: Schema.String }) {}

const hidden = 1
export function named(x: number): number {
  return x + hidden
}
`

describe("SourceDoc.parseModule", () => {
  const module = SourceDoc.parseModule({
    packageName: "@civicgrid/core",
    name: "Grid",
    path: "packages/core/src/Grid.ts",
    text: sample
  })

  it("reads the module doc comment with its Chinese term, English text and @since", () => {
    expect(module.doc?.zh).toBe("网格")
    expect(module.doc?.en.startsWith("a grid: the basic cell.")).toBe(true)
    expect(module.doc?.text).toContain("More text.")
    expect(module.doc?.since).toBe("0.1.0")
  })

  it("lists every export in source order with its kind, and only exports", () => {
    expect(module.exports.map((e) => [e.name, e.kind])).toEqual([
      ["GridId", "const"],
      ["GridId", "type"],
      ["decode", "function"],
      ["Parts", "interface"],
      ["Invalid", "class"],
      ["named", "function"]
    ])
  })

  it("reads @category, @since and other tags of each export", () => {
    const decode = module.exports.find((e) => e.name === "decode")
    expect(decode?.doc?.category).toBe("decoding")
    expect(decode?.doc?.since).toBe("0.2.0")
    expect(decode?.doc?.tags).toEqual([{ name: "deprecated", text: "use parse" }])
    expect(decode?.signature).toBe("decode<A>(code: string, fallback: A): A | string")
  })

  it("reads interface members with their doc comments", () => {
    const parts = module.exports.find((e) => e.name === "Parts")
    expect(parts?.members.map((m) => [m.name, m.doc?.zh])).toEqual([
      ["sequence", "顺序码"],
      ["area", undefined]
    ])
  })

  it("does not take the first export's comment for a module comment", () => {
    const bare = SourceDoc.parseModule({
      packageName: "p",
      name: "M",
      path: "M.ts",
      text: "/**\n * 甲 — first.\n *\n * @since 0.1.0\n */\nexport const a = 1\n"
    })
    expect(bare.doc).toBeUndefined()
    expect(bare.exports[0]?.doc?.zh).toBe("甲")
  })
})

describe("SourceDoc.splitTerm", () => {
  const cjk = fc
    .array(fc.integer({ min: 0x4e00, max: 0x9fa5 }), { minLength: 1, maxLength: 8 })
    .map((codes) => String.fromCharCode(...codes))
  const english = fc.stringMatching(/^[a-z][a-z ,.()]{0,40}$/)

  it.prop(
    "a comment `中文 — English` splits into its Chinese term and its English text",
    [cjk, english],
    ([zh, en]) => {
      expect(SourceDoc.splitTerm(`${zh} — ${en}`)).toEqual({ zh, en: en.trim() })
    }
  )

  it.prop("a comment that does not start with a Chinese term has none", [english], ([en]) => {
    expect(SourceDoc.splitTerm(`${en} — more`)).toEqual({ zh: undefined, en: `${en} — more` })
  })
})

describe("SourceDoc.firstSentence", () => {
  it("ends at the first full stop, not at an abbreviation", () => {
    expect(SourceDoc.firstSentence("a unit, e.g. a street. More here.")).toBe("a unit, e.g. a street.")
  })
})
