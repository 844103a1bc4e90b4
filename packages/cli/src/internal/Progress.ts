/**
 * 进度 — progress of long steps (seeding, importing) on stderr: on a terminal
 * one redrawn line per phase with a bar (`label [████░░░░] done/total pct%`),
 * elsewhere (a pipe, a log file, CI) plain lines when a phase passes a quarter
 * and when it completes, so logs stay short and readable.
 *
 * The output is a `Context.Reference` (`Output`): stderr by default, a
 * capturing sink in tests.
 *
 * @since 0.1.0
 */
import * as Context from "effect/Context"
import * as Effect from "effect/Effect"

/**
 * 输出 — where progress goes: whether it is a terminal (then lines are
 * redrawn in place), its width, and how to write text.
 *
 * @since 0.1.0
 * @category models
 */
export interface Sink {
  readonly isTTY: boolean
  readonly columns: number
  readonly write: (text: string) => void
}

/**
 * Standard error as a sink.
 *
 * @since 0.1.0
 * @category constructors
 */
export const stderr = (): Sink => ({
  isTTY: process.stderr.isTTY === true,
  columns: process.stderr.columns ?? 80,
  write: (text) => void process.stderr.write(text)
})

/**
 * The sink progress is written to (default: standard error).
 *
 * @since 0.1.0
 * @category services
 */
export class Output extends Context.Reference<Output>()("@civicgrid/cli/Progress/Output", {
  defaultValue: stderr
}) {}

/**
 * 进度更新 — `done` of `total` items of the phase `label`.
 *
 * @since 0.1.0
 * @category models
 */
export interface Update {
  readonly label: string
  readonly done: number
  readonly total: number
}

/**
 * 进度报告器 — `update` as work advances (any number of labels, one after
 * the other); `end` once finished or failed (ends a half-drawn line).
 *
 * @since 0.1.0
 * @category models
 */
export interface Reporter {
  readonly update: (update: Update) => void
  readonly end: () => void
}

/**
 * The percentage of an update, 0–100, floored (100 for an empty phase).
 *
 * @since 0.1.0
 * @category utils
 */
export const percent = (update: Pick<Update, "done" | "total">): number =>
  update.total <= 0 ? 100 : Math.max(0, Math.min(100, Math.floor((update.done / update.total) * 100)))

/**
 * The display width of a text on a terminal (CJK and full-width characters
 * count 2).
 *
 * @since 0.1.0
 * @category utils
 */
export const displayWidth = (text: string): number => {
  let width = 0
  for (const ch of text) {
    const code = ch.codePointAt(0) ?? 0
    width +=
      (code >= 0x1100 && code <= 0x115f) ||
      (code >= 0x2e80 && code <= 0xa4cf) ||
      (code >= 0xac00 && code <= 0xd7a3) ||
      (code >= 0xf900 && code <= 0xfaff) ||
      (code >= 0xfe30 && code <= 0xfe4f) ||
      (code >= 0xff00 && code <= 0xff60) ||
      (code >= 0xffe0 && code <= 0xffe6) ||
      code >= 0x20000
        ? 2
        : 1
  }
  return width
}

const padEnd = (text: string, width: number): string =>
  text + " ".repeat(Math.max(0, width - displayWidth(text)))

/** Width of the label column, so the bars of successive phases line up. */
const labelWidth = 24

/**
 * One progress line: label, bar of `barWidth` cells, done/total, percentage.
 *
 * @since 0.1.0
 * @category utils
 */
export const line = (update: Update, barWidth: number): string => {
  const pct = percent(update)
  const filled = Math.round((pct / 100) * barWidth)
  const bar = `${"█".repeat(filled)}${"░".repeat(barWidth - filled)}`
  const counts = `${update.done.toLocaleString("en-US")}/${update.total.toLocaleString("en-US")}`
  return `${padEnd(update.label, labelWidth)} [${bar}] ${counts} ${String(pct).padStart(3)}%`
}

/**
 * The plain line of an update for a non-terminal sink.
 *
 * @since 0.1.0
 * @category utils
 */
export const plainLine = (update: Update): string =>
  `${update.label} ${update.done.toLocaleString("en-US")}/${update.total.toLocaleString("en-US")} ${percent(update)}%`

/**
 * A reporter on a sink. On a terminal a phase's line is redrawn at most every
 * `intervalMillis` (default 50) and always when it completes; elsewhere a
 * phase prints a line when it passes 25, 50 and 75 % and when it completes.
 *
 * @since 0.1.0
 * @category constructors
 */
export const make = (
  sink: Sink,
  options: { readonly intervalMillis?: number; readonly now?: () => number } = {}
): Reporter => {
  const interval = options.intervalMillis ?? 50
  const now = options.now ?? Date.now
  let current: string | undefined
  let open = false // a terminal line is drawn and not yet ended
  let lastDraw = Number.NEGATIVE_INFINITY
  let lastQuarter = 0
  let completed = false

  const barWidth = (): number => Math.max(10, Math.min(30, sink.columns - labelWidth - 30))
  const endLine = (): void => {
    if (open) sink.write("\n")
    open = false
  }

  const update = (u: Update): void => {
    if (u.label !== current) {
      endLine()
      current = u.label
      lastDraw = Number.NEGATIVE_INFINITY
      lastQuarter = 0
      completed = false
    }
    if (completed) return
    const complete = u.done >= u.total
    if (sink.isTTY) {
      const t = now()
      if (!complete && t - lastDraw < interval) return
      lastDraw = t
      sink.write(`\r\u001b[2K${line(u, barWidth())}`)
      open = true
      if (complete) endLine()
    } else {
      const quarter = Math.floor(percent(u) / 25)
      if (complete || (u.done > 0 && quarter > lastQuarter)) sink.write(`${plainLine(u)}\n`)
      lastQuarter = quarter
    }
    completed = complete
  }

  return { update, end: endLine }
}

/**
 * A reporter on the current `Output`.
 *
 * @since 0.1.0
 * @category constructors
 */
export const reporter: Effect.Effect<Reporter> = Effect.map(Output, (sink) => make(sink))
