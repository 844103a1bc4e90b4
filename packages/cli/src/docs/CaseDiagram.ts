/**
 * 案件生命周期 — the case lifecycle page: a Mermaid `stateDiagram-v2`
 * generated from the decider's transition table (`Case.transitions`), the
 * statuses with their Chinese names, every transition with its guard and who
 * may issue the command (`Case.authorities`), and the status × command matrix.
 * The decider checks commands against the same table, so the diagram cannot
 * drift from the behaviour.
 *
 * @since 0.1.0
 */
import * as Case from "@civicgrid/core/Case"
import { code, document, fence, notice, table } from "../internal/markdown.js"
import * as Files from "./Files.js"

/**
 * The page path.
 *
 * @since 0.1.0
 * @category constants
 */
export const page = "case-lifecycle.md"

/**
 * 迁移行 — one transition row (the shape of `Case.Transition`, over strings).
 *
 * @since 0.1.0
 * @category models
 */
export interface TransitionRow {
  readonly from: string
  readonly command: string
  readonly to: ReadonlyArray<string>
  readonly guard?: string | undefined
}

/**
 * What the page is generated from.
 *
 * @since 0.1.0
 * @category models
 */
export interface Lifecycle {
  readonly statuses: ReadonlyArray<string>
  readonly statusNames: Readonly<Record<string, string>>
  /** The pseudo-status before a case exists (`"none"`). */
  readonly initial: string
  readonly transitions: ReadonlyArray<TransitionRow>
  readonly commands: ReadonlyArray<string>
  readonly commandNames: Readonly<Record<string, { readonly en: string; readonly zh: string }>>
  readonly authorities: Readonly<Record<string, ReadonlyArray<string>>>
  readonly authorityNames: Readonly<Record<string, string>>
  readonly isEnd: (status: string) => boolean
  readonly isOpen: (status: string) => boolean
}

const isStatus = (status: string): status is Case.Status =>
  (Case.statuses as ReadonlyArray<string>).includes(status)

/**
 * The lifecycle of `@civicgrid/core/Case`.
 *
 * @since 0.1.0
 * @category constants
 */
export const fromCore: Lifecycle = {
  statuses: Case.statuses,
  statusNames: Case.statusNames,
  initial: "none",
  transitions: Case.transitions,
  commands: Case.commandTags,
  commandNames: Case.commandNames,
  authorities: Case.authorities,
  authorityNames: Case.authorityNames,
  isEnd: (status) => isStatus(status) && Case.isEnd(status),
  isOpen: (status) => isStatus(status) && Case.isOpen(status)
}

/**
 * 图中的边 — one edge of the diagram: from, to (`[*]` for the start and the
 * end), and the commands on it (empty for an end edge).
 *
 * @since 0.1.0
 * @category models
 */
export interface Edge {
  readonly from: string
  readonly to: string
  readonly commands: ReadonlyArray<string>
}

const START = "[*]"

const nodeId = (lifecycle: Lifecycle, status: string): string =>
  status === lifecycle.initial ? START : status.replace(/\W/g, "_")

/**
 * The edges of the diagram: one per (from, to) pair of the transition table,
 * carrying every command that leads along it, in table order; then one end
 * edge `status --> [*]` per end status.
 *
 * @since 0.1.0
 * @category utils
 */
export const edges = (lifecycle: Lifecycle): ReadonlyArray<Edge> => {
  const byPair = new Map<string, { from: string; to: string; commands: Array<string> }>()
  for (const t of lifecycle.transitions) {
    for (const to of t.to) {
      const from = nodeId(lifecycle, t.from)
      const target = nodeId(lifecycle, to)
      const key = `${from}\u0000${target}`
      const edge = byPair.get(key)
      if (edge === undefined) byPair.set(key, { from, to: target, commands: [t.command] })
      else if (!edge.commands.includes(t.command)) edge.commands.push(t.command)
    }
  }
  const ends = lifecycle.statuses
    .filter(lifecycle.isEnd)
    .map((s): Edge => ({ from: nodeId(lifecycle, s), to: START, commands: [] }))
  return [...byPair.values(), ...ends]
}

const commandLabel = (lifecycle: Lifecycle, command: string): string => {
  const zh = lifecycle.commandNames[command]?.zh
  return zh === undefined ? command : `${command} ${zh}`
}

/**
 * The Mermaid `stateDiagram-v2` source.
 *
 * @since 0.1.0
 * @category rendering
 */
export const mermaid = (lifecycle: Lifecycle): string =>
  [
    "stateDiagram-v2",
    ...lifecycle.statuses.map(
      (s) => `  state "${(lifecycle.statusNames[s] ?? s).replace(/"/g, "'")} ${s}" as ${nodeId(lifecycle, s)}`
    ),
    ...edges(lifecycle).map((e) =>
      e.commands.length === 0
        ? `  ${e.from} --> ${e.to}`
        : `  ${e.from} --> ${e.to} : ${e.commands.map((c) => commandLabel(lifecycle, c)).join(" / ")}`
    )
  ].join("\n")

/**
 * Parses the edges back out of a Mermaid state diagram (`a --> b : label`):
 * what a reader of the page sees, for tests.
 *
 * @since 0.1.0
 * @category utils
 */
export const parseMermaidEdges = (
  source: string
): ReadonlyArray<{ readonly from: string; readonly to: string; readonly label: string }> =>
  source.split("\n").flatMap((line) => {
    const m = /^\s*(\S+) --> (\S+)(?: : (.*))?$/.exec(line)
    return m === null ? [] : [{ from: m[1] ?? "", to: m[2] ?? "", label: m[3] ?? "" }]
  })

const statusCell = (lifecycle: Lifecycle, status: string): string =>
  status === lifecycle.initial ? `(${status})` : `${code(status)} ${lifecycle.statusNames[status] ?? ""}`

const who = (lifecycle: Lifecycle, command: string): string =>
  (lifecycle.authorities[command] ?? [])
    .map((a) => `${code(a)} ${lifecycle.authorityNames[a] ?? ""}`.trim())
    .join("; ")

/**
 * The lifecycle page.
 *
 * @since 0.1.0
 * @category rendering
 */
export const renderPage = (lifecycle: Lifecycle): string => {
  const sources = [lifecycle.initial, ...lifecycle.statuses]
  const allowedIn = (status: string) =>
    lifecycle.transitions.filter((t) => t.from === status).map((t) => t.command)
  return document([
    "# Case lifecycle 案件生命周期",
    notice,
    `The closed loop of a case as the decider enforces it: ${lifecycle.transitions.length} rows of ` +
      "`Case.transitions` (status × command → next statuses), the authorities of `Case.authorities` and " +
      `the status names of \`Case.statusNames\`. \`${lifecycle.initial}\` is the pseudo-status before a case ` +
      "exists (`[*]` in the diagram). A command absent from a status's rows is refused there with rule " +
      "`status`; a row's guard is checked on top. Self-loops are side branches that keep the status " +
      "(suspension and extension requests, escalation before dispatch).",
    "## State diagram",
    fence("mermaid", mermaid(lifecycle)),
    "## Statuses",
    table(
      ["status", "中文", "open", "end", "commands allowed"],
      lifecycle.statuses.map((s) => [
        code(s),
        lifecycle.statusNames[s] ?? "",
        lifecycle.isOpen(s) ? "yes" : "no",
        lifecycle.isEnd(s) ? "yes" : "no",
        allowedIn(s).map(code).join(", ") || "—"
      ])
    ),
    "## Transitions",
    "Every row of the transition table, with who may issue the command.",
    table(
      ["from", "command", "中文", "to", "guard", "who may"],
      lifecycle.transitions.map((t) => [
        statusCell(lifecycle, t.from),
        code(t.command),
        lifecycle.commandNames[t.command]?.zh ?? "",
        t.to.map((s) => statusCell(lifecycle, s)).join(" or "),
        t.guard ?? "",
        who(lifecycle, t.command)
      ])
    ),
    "## Status × command",
    "Next status for each command in each status (— refused with rule `status`).",
    table(
      ["status", ...lifecycle.commands],
      sources.map((s) => [
        s === lifecycle.initial ? `(${s})` : code(s),
        ...lifecycle.commands.map((c) => {
          const row = lifecycle.transitions.find((t) => t.from === s && t.command === c)
          return row === undefined ? "—" : row.to.join(" / ")
        })
      ])
    ),
    "## Commands and authorities 指令与权限",
    table(
      ["command", "中文", "English", "who may"],
      lifecycle.commands.map((c) => [
        code(c),
        lifecycle.commandNames[c]?.zh ?? "",
        lifecycle.commandNames[c]?.en ?? "",
        who(lifecycle, c)
      ])
    ),
    "## Authorities 权限",
    table(
      ["authority", "中文"],
      Object.entries(lifecycle.authorityNames).map(([a, zh]) => [code(a), zh])
    )
  ])
}

/**
 * The lifecycle page of the core's case decider.
 *
 * @since 0.1.0
 * @category rendering
 */
export const render = (lifecycle: Lifecycle = fromCore): Files.Files =>
  Files.make([[page, renderPage(lifecycle)]])
