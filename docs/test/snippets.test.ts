/**
 * The guides cannot rot: every TypeScript block of a guide is a snippet file,
 * embedded verbatim, compiled by `docs/tsconfig.json` and run by a test of
 * this project. This file checks the embedding; the other tests run the
 * snippets and assert their results.
 */
import { readdirSync, readFileSync } from "node:fs"
import { join } from "node:path"
import { describe, expect, it } from "@effect/vitest"
import {
  blockLines,
  docsDir,
  fenceFor,
  fromRoot,
  markdownFiles,
  namePattern,
  render,
  renderFile,
  snippetNames,
  syncCommand
} from "../scripts/snippets.js"

const rendered = markdownFiles().map((path) => ({ path, ...renderFile(path) }))

describe("the guides' snippets", () => {
  it("every marked block equals its snippet file (else run the sync script)", () => {
    const stale = rendered.flatMap((r) =>
      r.blocks.filter((b) => b.stale).map((b) => `${fromRoot(r.path)}:${b.line} ${b.name}`)
    )
    expect(stale, `stale snippet blocks — run \`${syncCommand}\` to rewrite them from their files`).toEqual(
      []
    )
  })

  it("every marker pairs up and names an existing file; no TypeScript block stands outside markers", () => {
    const problems = rendered.flatMap((r) => r.problems.map((p) => `${p.file}:${p.line}: ${p.message}`))
    expect(problems).toEqual([])
  })

  it("every snippet file is embedded in a guide, under a well-formed name", () => {
    const embedded = new Set(rendered.flatMap((r) => r.blocks.map((b) => b.name)))
    const names = snippetNames()
    expect(names.length).toBeGreaterThan(0)
    expect(names.filter((n) => !namePattern.test(n))).toEqual([])
    expect(
      names.filter((n) => !embedded.has(n)),
      "snippet files embedded in no guide"
    ).toEqual([])
  })

  it("every snippet file is imported by a test of this project, which runs it", () => {
    const testDir = join(docsDir, "test")
    const tests = readdirSync(testDir, { recursive: true, encoding: "utf8" })
      .filter((f) => f.endsWith(".test.ts"))
      .map((f) => readFileSync(join(testDir, f), "utf8"))
      .join("\n")
    const untested = snippetNames().filter(
      (n) => !tests.includes(`guides/snippets/${n.replace(/\.ts$/, ".js")}"`)
    )
    expect(untested, "snippet files no test imports").toEqual([])
  })
})

describe("the snippet renderer", () => {
  const files: Record<string, string> = { "demo/a.ts": "export const a = 1\n" }
  const read = (name: string) => files[name]

  it("rewrites a stale block from its file and leaves a fresh one as it is", () => {
    const stale = [
      "# Guide",
      "<!-- snippet: demo/a.ts -->",
      "```ts",
      "export const a = 0",
      "```",
      "<!-- /snippet -->",
      ""
    ]
    const once = render("g.md", stale.join("\n"), read)
    expect(once.blocks).toEqual([{ name: "demo/a.ts", line: 2, stale: true }])
    expect(once.text).toBe(
      [
        "# Guide",
        "<!-- snippet: demo/a.ts -->",
        "```ts",
        "export const a = 1",
        "```",
        "<!-- /snippet -->",
        ""
      ].join("\n")
    )
    const twice = render("g.md", once.text, read)
    expect(twice.blocks).toEqual([{ name: "demo/a.ts", line: 2, stale: false }])
    expect(twice.text).toBe(once.text)
  })

  it("fills an empty marker pair, so a new snippet is embedded by adding its two markers", () => {
    const result = render("g.md", "<!-- snippet: demo/a.ts -->\n<!-- /snippet -->", read)
    expect(result.text).toBe("<!-- snippet: demo/a.ts -->\n```ts\nexport const a = 1\n```\n<!-- /snippet -->")
    expect(result.problems).toEqual([])
  })

  it("names a missing file, an unclosed marker, a stray closing marker and a TypeScript block outside markers", () => {
    const text = [
      "<!-- snippet: demo/missing.ts -->",
      "<!-- /snippet -->",
      "<!-- /snippet -->",
      "```ts",
      "const loose = 1",
      "```",
      "<!-- snippet: demo/a.ts -->"
    ].join("\n")
    expect(
      render("g.md", text, read).problems.map((p) => [p.line, p.message.split(" ").slice(0, 4).join(" ")])
    ).toEqual([
      [1, "the snippet file docs/guides/snippets/demo/missing.ts"],
      [3, "a closing <!-- /snippet"],
      [4, "a TypeScript block outside"],
      [7, "the snippet marker for"]
    ])
  })

  it("leaves markers alone inside another code block (a guide may show the syntax)", () => {
    const text = [
      "````md",
      "<!-- snippet: demo/missing.ts -->",
      "```ts",
      "```",
      "<!-- /snippet -->",
      "````"
    ].join("\n")
    const result = render("g.md", text, read)
    expect(result).toEqual({ text, blocks: [], problems: [] })
  })

  it("fences a snippet that holds backticks with a longer fence", () => {
    expect(fenceFor("const s = `x`")).toBe("```")
    expect(fenceFor("// ```ts example")).toBe("````")
    expect(blockLines("a\r\nb\n\n")).toEqual(["```ts", "a", "b", "```"])
  })
})
