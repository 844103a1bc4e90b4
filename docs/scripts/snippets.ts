/**
 * 文档代码片段 — the snippet mechanism of the guides. Every TypeScript block of a
 * guide is a real file under `docs/guides/snippets/<guide>/<name>.ts`, compiled
 * by `docs/tsconfig.json` and run by the `docs` test project; the markdown
 * embeds it between markers:
 *
 *     <!-- snippet: getting-started/hierarchy.ts -->
 *     ```ts
 *     …the file's content, verbatim…
 *     ```
 *     <!-- /snippet -->
 *
 * `render` rewrites every marked block from its file (what
 * `npx tsx docs/scripts/sync-snippets.ts` writes back); `docs/test/snippets.test.ts`
 * fails when a block differs from its file, a marker names a missing file, a
 * snippet is embedded nowhere, or a `ts` block stands outside the markers.
 * No I/O here but the listing and reading helpers at the bottom.
 */
import { existsSync, readdirSync, readFileSync } from "node:fs"
import { dirname, join, relative, sep } from "node:path"
import { fileURLToPath } from "node:url"

/** The `docs/` directory. */
export const docsDir: string = dirname(dirname(fileURLToPath(import.meta.url)))

/** Where the guides live (`docs/guides`). */
export const guidesDir: string = join(docsDir, "guides")

/** Where the snippets live (`docs/guides/snippets`); marker names are relative to it. */
export const snippetsDir: string = join(guidesDir, "snippets")

/** The command that rewrites the blocks from the files. */
export const syncCommand = "npx tsx docs/scripts/sync-snippets.ts"

/** A snippet name: `<guide>/<name>.ts`, lower-case words joined by hyphens. */
export const namePattern: RegExp = /^[a-z0-9]+(?:-[a-z0-9]+)*\/[a-z0-9]+(?:-[a-z0-9]+)*\.ts$/

const openMarker = /^<!-- snippet: (\S+) -->$/
const closeMarker = /^<!-- \/snippet -->$/
const fenceLine = /^(`{3,}|~{3,})\s*([^`\s]*)/
const typescriptInfo: ReadonlySet<string> = new Set(["ts", "tsx", "typescript", "mts", "cts"])

/** One thing wrong with a guide: its file, the 1-based line and what is wrong. */
export interface Problem {
  readonly file: string
  readonly line: number
  readonly message: string
}

/** One marked block: the snippet it names, where its opening marker is, and whether it was stale. */
export interface Block {
  readonly name: string
  readonly line: number
  readonly stale: boolean
}

/** A guide after rendering: its new text, its blocks and its problems. */
export interface Rendered {
  readonly text: string
  readonly blocks: ReadonlyArray<Block>
  readonly problems: ReadonlyArray<Problem>
}

/**
 * The fence for a code: three backticks, or more when the code itself holds a
 * run of backticks (so the block can never end early).
 */
export const fenceFor = (code: string): string => {
  let longest = 0
  for (const run of code.match(/`+/g) ?? []) longest = Math.max(longest, run.length)
  return "`".repeat(Math.max(3, longest + 1))
}

/** The lines a snippet's file turns into between its markers. */
export const blockLines = (code: string): ReadonlyArray<string> => {
  const body = code.replace(/\r\n/g, "\n").replace(/\s+$/, "")
  const fence = fenceFor(body)
  return [`${fence}ts`, ...body.split("\n"), fence]
}

/**
 * Renders a guide: every marked block is replaced by its snippet file's
 * content (`read` gives it, or `undefined` for a missing file). Reports markers
 * that do not pair up, names that are malformed or missing, and `ts` code
 * blocks outside markers. Markers inside other code blocks (a guide showing
 * the syntax) are left alone.
 */
export const render = (file: string, text: string, read: (name: string) => string | undefined): Rendered => {
  const lines = text.replace(/\r\n/g, "\n").split("\n")
  const out: Array<string> = []
  const blocks: Array<Block> = []
  const problems: Array<Problem> = []
  const problem = (line: number, message: string) => problems.push({ file, line, message })
  let fence: { readonly marker: string; readonly line: number } | undefined
  let i = 0
  while (i < lines.length) {
    const line = lines[i] ?? ""
    const lineNo = i + 1
    if (fence !== undefined) {
      out.push(line)
      const m = fenceLine.exec(line)
      if (
        m !== null &&
        m[1]?.[0] === fence.marker[0] &&
        (m[1]?.length ?? 0) >= fence.marker.length &&
        m[2] === ""
      ) {
        fence = undefined
      }
      i++
      continue
    }
    const fenceMatch = fenceLine.exec(line)
    if (fenceMatch !== null) {
      if (typescriptInfo.has((fenceMatch[2] ?? "").toLowerCase())) {
        problem(
          lineNo,
          "a TypeScript block outside snippet markers: move it into docs/guides/snippets and embed it"
        )
      }
      fence = { marker: fenceMatch[1] ?? "```", line: lineNo }
      out.push(line)
      i++
      continue
    }
    if (closeMarker.test(line)) {
      problem(lineNo, "a closing <!-- /snippet --> without an opening marker")
      out.push(line)
      i++
      continue
    }
    const open = openMarker.exec(line)
    if (open === null) {
      out.push(line)
      i++
      continue
    }
    const name = open[1] ?? ""
    let end = i + 1
    while (end < lines.length && !closeMarker.test(lines[end] ?? "") && !openMarker.test(lines[end] ?? ""))
      end++
    if (end >= lines.length || !closeMarker.test(lines[end] ?? "")) {
      problem(
        lineNo,
        `the snippet marker for ${name} has no closing <!-- /snippet --> before the next marker or the end`
      )
      out.push(line)
      i++
      continue
    }
    const current = lines.slice(i + 1, end)
    if (!namePattern.test(name)) {
      problem(
        lineNo,
        `"${name}" is not a snippet name (<guide>/<name>.ts, lower-case words joined by hyphens)`
      )
      out.push(...lines.slice(i, end + 1))
      i = end + 1
      continue
    }
    const code = read(name)
    if (code === undefined) {
      problem(lineNo, `the snippet file docs/guides/snippets/${name} does not exist`)
      out.push(...lines.slice(i, end + 1))
      i = end + 1
      continue
    }
    const wanted = blockLines(code)
    const stale = current.length !== wanted.length || current.some((l, k) => l !== wanted[k])
    blocks.push({ name, line: lineNo, stale })
    out.push(line, ...wanted, lines[end] ?? "<!-- /snippet -->")
    i = end + 1
  }
  if (fence !== undefined) problem(fence.line, "a code block that is never closed")
  return { text: out.join("\n"), blocks, problems }
}

// -----------------------------------------------------------------------------
// the files
// -----------------------------------------------------------------------------

/** The markdown files whose blocks are snippets: the guides and the docs index. */
export const markdownFiles = (): ReadonlyArray<string> => {
  const guides = readdirSync(guidesDir)
    .filter((f) => f.endsWith(".md"))
    .sort()
    .map((f) => join(guidesDir, f))
  const index = join(docsDir, "README.md")
  return existsSync(index) ? [index, ...guides] : guides
}

/** Every snippet file, as its marker name (`<guide>/<name>.ts`), sorted. */
export const snippetNames = (): ReadonlyArray<string> => {
  const out: Array<string> = []
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name)
      if (entry.isDirectory()) walk(path)
      else if (entry.name.endsWith(".ts")) out.push(relative(snippetsDir, path).split(sep).join("/"))
    }
  }
  if (existsSync(snippetsDir)) walk(snippetsDir)
  return out.sort()
}

/** A snippet file's content, or `undefined` when it does not exist. */
export const readSnippet = (name: string): string | undefined => {
  const path = join(snippetsDir, ...name.split("/"))
  return existsSync(path) ? readFileSync(path, "utf8") : undefined
}

/** A path relative to the repository root, for messages. */
export const fromRoot = (path: string): string => relative(dirname(docsDir), path).split(sep).join("/")

/** Renders one markdown file from disk. */
export const renderFile = (path: string): Rendered =>
  render(fromRoot(path), readFileSync(path, "utf8"), readSnippet)
