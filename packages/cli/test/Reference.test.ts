import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises"
import { tmpdir } from "node:os"
import { join } from "node:path"
import * as NodeContext from "@effect/platform-node/NodeContext"
import { describe, expect, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import * as Docs from "../src/commands/Docs.js"
import * as DomainReference from "../src/docs/DomainReference.js"
import * as Files from "../src/docs/Files.js"
import * as Reference from "../src/docs/Reference.js"
import * as Sources from "../src/docs/Sources.js"
import * as Workspace from "../src/docs/Workspace.js"
import { generatedNotice } from "../src/internal/markdown.js"
import { generated, root } from "./support/Generated.js"
import * as TestConsole from "./support/TestConsole.js"

describe("the committed reference (docs/reference)", () => {
  it("is exactly what the code generates — run `npx civicgrid docs` when this fails", async () => {
    const { files } = await generated()
    const dir = join(await root, ...Docs.defaultOut.split("/"))
    const onDisk = await Effect.runPromise(Workspace.readTree(dir).pipe(Effect.provide(NodeContext.layer)))
    const diff = Files.diff(files, onDisk)
    const report = [
      ...diff.stale.map((p) => `stale:   ${p}`),
      ...diff.missing.map((p) => `missing: ${p}`),
      ...diff.extra.map((p) => `extra:   ${p}`)
    ].join("\n")
    expect(
      Files.isClean(diff),
      `docs/reference is out of date; run \`npx civicgrid docs\` and commit the result:\n${report}`
    ).toBe(true)
  })
})

describe("generation", () => {
  it("is deterministic: the same sources give byte-identical files", async () => {
    const { modules, files } = await generated()
    const again = Reference.generate(modules)
    expect([...again.entries()]).toEqual([...files.entries()])
  })

  it("writes LF-only text with one final newline, and every markdown page carries the do-not-edit notice", async () => {
    const { files } = await generated()
    for (const [path, contents] of files) {
      expect(contents.includes("\r"), path).toBe(false)
      expect(contents.endsWith("\n") && !contents.endsWith("\n\n"), path).toBe(true)
      if (path.endsWith(".md"))
        expect(contents.split("\n").slice(0, 4).join("\n"), path).toContain(generatedNotice)
    }
  })

  it("links only to pages it generates (relative links between generated markdown files)", async () => {
    const { files } = await generated()
    for (const [path, contents] of files) {
      if (!path.endsWith(".md")) continue
      for (const m of contents.matchAll(/\]\(([^)#\s]+\.(?:md|json))(?:#[^)]*)?\)/g)) {
        const target = m[1] ?? ""
        if (target.startsWith("../../")) continue
        const resolved = new URL(target, `file:///out/${path}`).pathname.replace(/^\/out\//, "")
        expect(files.has(resolved), `${path} links to ${target}`).toBe(true)
      }
    }
  })
})

describe("domain reference", () => {
  it("has one page per module of every documented package, and the index lists each", async () => {
    const { modules, files } = await generated()
    const index = files.get(Reference.indexPage) ?? ""
    for (const packageName of Sources.packages) {
      expect(
        modules.some((m) => m.packageName === packageName),
        packageName
      ).toBe(true)
    }
    for (const m of modules) {
      expect(files.has(DomainReference.pageOf(m)), m.path).toBe(true)
      expect(index).toContain(`[${m.name}](${DomainReference.pageOf(m)})`)
    }
  })

  it("documents every core export that has @since, under its @category, with its Chinese term", async () => {
    const { modules, files } = await generated()
    const core = modules.filter((m) => m.packageName === "@civicgrid/core")
    expect(core.length).toBeGreaterThan(30)
    for (const m of core) {
      const page = files.get(DomainReference.pageOf(m)) ?? ""
      for (const e of m.exports.filter((x) => x.doc?.since !== undefined)) {
        const section = page.split(`\n## ${e.doc?.category ?? "other"}\n`)[1]?.split("\n## ")[0] ?? ""
        expect(section, `${m.name}.${e.name}`).toContain(`### ${e.name}\n`)
        if (e.doc?.zh !== undefined) expect(section, `${m.name}.${e.name}`).toContain(e.doc.zh)
      }
    }
  })

  it("every module of the core has a module doc comment with a Chinese term and @since", async () => {
    const { modules } = await generated()
    const missing = modules
      .filter((m) => m.packageName === "@civicgrid/core")
      .filter((m) => m.doc?.zh === undefined || m.doc.since === undefined)
      .map((m) => m.name)
    expect(missing).toEqual([])
  })

  it("the glossary holds every Chinese term of every documented package, linked to its definition", async () => {
    const { modules, files } = await generated()
    const glossary = files.get(DomainReference.glossaryPage) ?? ""
    for (const m of modules) {
      for (const e of m.exports) {
        if (e.doc?.zh === undefined) continue
        expect(glossary, `${m.name}.${e.name}`).toContain(`| ${e.doc.zh.replace(/\|/g, "\\|")} |`)
        expect(glossary, `${m.name}.${e.name}`).toContain(
          `[${m.name}.${e.name}](${DomainReference.pageOf(m)}`
        )
      }
    }
  })
})

describe("civicgrid docs (the command)", () => {
  it("writes the reference, --check passes, --check fails listing a stale and an extra file without touching them, docs repairs both", async () => {
    const out = await mkdtemp(join(tmpdir(), "civicgrid-docs-"))
    try {
      const run = (args: ReadonlyArray<string>) => Effect.runPromise(TestConsole.runCli(args))
      const first = await run(["docs", "--out", out])
      expect(Exit.isSuccess(first.exit), first.err).toBe(true)
      expect(first.out).toMatch(/\d+ written, 0 updated, 0 removed, 0 unchanged/)

      const clean = await run(["docs", "--check", "--out", out])
      expect(Exit.isSuccess(clean.exit), clean.err).toBe(true)
      expect(clean.out).toContain("up to date")

      const lifecycle = join(out, "case-lifecycle.md")
      const original = await readFile(lifecycle, "utf8")
      await writeFile(lifecycle, `${original}edited by hand\n`)
      await writeFile(join(out, "notes.md"), "mine\n")
      const stale = await run(["docs", "--check", "--out", out])
      expect(TestConsole.failureOf(stale.exit)).toBeInstanceOf(Docs.DocsStale)
      expect(stale.err).toContain("stale    case-lifecycle.md")
      expect(stale.err).toContain("extra    notes.md")
      expect(stale.err).toContain("npx civicgrid docs")
      expect(await readFile(lifecycle, "utf8")).toBe(`${original}edited by hand\n`)
      expect(await readFile(join(out, "notes.md"), "utf8")).toBe("mine\n")

      const repaired = await run(["docs", "--out", out])
      expect(repaired.out).toMatch(/0 written, 1 updated, 1 removed, \d+ unchanged/)
      expect(await readFile(lifecycle, "utf8")).toBe(original)
      const after = await run(["docs", "--check", "--out", out])
      expect(Exit.isSuccess(after.exit), after.err).toBe(true)
    } finally {
      await rm(out, { recursive: true, force: true })
    }
  }, 60_000)
})
