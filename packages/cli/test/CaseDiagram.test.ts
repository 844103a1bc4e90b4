import * as Case from "@civicgrid/core/Case"
import { describe, expect, it } from "@effect/vitest"
import * as fc from "fast-check"
import * as CaseDiagram from "../src/docs/CaseDiagram.js"

const mermaidOf = (page: string): string => /```mermaid\n([\s\S]*?)\n```/.exec(page)?.[1] ?? ""

/** The (from, command, to) triples a reader sees on the diagram's edges. */
const diagramTriples = (lifecycle: CaseDiagram.Lifecycle, source: string): ReadonlyArray<string> =>
  CaseDiagram.parseMermaidEdges(source)
    .filter((e) => e.label !== "")
    .flatMap((e) =>
      e.label.split(" / ").map((label) => {
        const command = label.split(" ")[0] ?? ""
        const from = e.from === "[*]" ? lifecycle.initial : e.from
        return `${from} ${command} ${e.to}`
      })
    )

const tableTriples = (lifecycle: CaseDiagram.Lifecycle): ReadonlyArray<string> =>
  lifecycle.transitions.flatMap((t) => t.to.map((to) => `${t.from} ${t.command} ${to}`))

const sorted = (xs: ReadonlyArray<string>) => [...new Set(xs)].sort()

describe("the case lifecycle diagram (Mermaid, from Case.transitions)", () => {
  const page = CaseDiagram.renderPage(CaseDiagram.fromCore)
  const source = mermaidOf(page)

  it("is a stateDiagram-v2 with every status declared with its Chinese name", () => {
    expect(source.startsWith("stateDiagram-v2\n")).toBe(true)
    for (const status of Case.statuses) {
      expect(source).toContain(`state "${Case.statusNames[status]} ${status}" as ${status}`)
    }
  })

  it("has an edge for every transition of the decider's table, and no edge the table lacks", () => {
    expect(sorted(diagramTriples(CaseDiagram.fromCore, source))).toEqual(
      sorted(tableTriples(CaseDiagram.fromCore))
    )
  })

  it("ends exactly the end statuses (Case.isEnd) with an edge to [*]", () => {
    const ends = CaseDiagram.parseMermaidEdges(source)
      .filter((e) => e.to === "[*]")
      .map((e) => e.from)
    expect(sorted(ends)).toEqual(sorted(Case.statuses.filter(Case.isEnd)))
  })

  it("every edge's command is allowed in its source status (Case.isAllowed)", () => {
    for (const triple of diagramTriples(CaseDiagram.fromCore, source)) {
      const [from, command] = triple.split(" ")
      const tag = Case.commandTags.find((c) => c === command)
      const status = from === "none" ? "none" : Case.statuses.find((s) => s === from)
      expect(tag !== undefined && status !== undefined && Case.isAllowed(status, tag), triple).toBe(true)
    }
  })

  it("the status × command matrix marks exactly the refused commands with —", () => {
    const matrix = page.split("## Status × command")[1]?.split("\n## ")[0] ?? ""
    const rows = matrix
      .split("\n")
      .filter((l) => l.startsWith("| ") && !l.startsWith("| status") && !l.startsWith("| ---"))
    expect(rows.length).toBe(Case.statuses.length + 1)
    for (const row of rows) {
      const cells = row.split(" | ").map((c) => c.replace(/^\| |`| \|$/g, "").replace(/[()]/g, ""))
      const status = cells[0] ?? ""
      Case.commandTags.forEach((command, i) => {
        const from = status === "none" ? "none" : Case.statuses.find((s) => s === status)
        expect(from).toBeDefined()
        if (from !== undefined)
          expect(cells[i + 1] === "—", `${status} × ${command}`).toBe(!Case.isAllowed(from, command))
      })
    }
  })

  it("lists who may issue every command (Case.authorities)", () => {
    const table = page.split("## Commands and authorities")[1] ?? ""
    for (const command of Case.commandTags) {
      const line = table.split("\n").find((l) => l.startsWith(`| \`${command}\` |`)) ?? ""
      for (const authority of Case.authorities[command]) expect(line, command).toContain(`\`${authority}\``)
    }
  })
})

describe("CaseDiagram.edges on any transition table", () => {
  const statuses = ["a", "b", "c", "d"] as const
  const commands = ["X", "Y", "Z"] as const
  const row = fc.record({
    from: fc.constantFrom("none", ...statuses),
    command: fc.constantFrom(...commands),
    to: fc.uniqueArray(fc.constantFrom(...statuses), { minLength: 1, maxLength: 3 })
  })
  const lifecycle = (rows: ReadonlyArray<CaseDiagram.TransitionRow>, ends: ReadonlyArray<string>) => ({
    ...CaseDiagram.fromCore,
    statuses,
    statusNames: {},
    transitions: rows,
    commands,
    commandNames: {},
    authorities: {},
    isEnd: (s: string) => ends.includes(s)
  })

  it.prop(
    "the diagram's edges are exactly the table's transitions, plus one end edge per end status",
    [fc.array(row, { maxLength: 12 }), fc.subarray([...statuses])],
    ([rows, ends]) => {
      const l = lifecycle(rows, ends)
      const source = CaseDiagram.mermaid(l)
      expect(sorted(diagramTriples(l, source))).toEqual(sorted(tableTriples(l)))
      const endEdges = CaseDiagram.parseMermaidEdges(source).filter((e) => e.label === "")
      expect(sorted(endEdges.map((e) => e.from))).toEqual(sorted(ends))
    }
  )
})
