/**
 * The benchmark harness of every package's `npm run bench`: each comparison
 * runs a naive baseline and the civicgrid implementation in the same process
 * and run, on the same input, and prints both figures and the ratio
 * (synchronous `compare`, and `compareAsync` with untimed setup/teardown for
 * databases). Targets live here, never in unit tests.
 */
import { performance } from "node:perf_hooks"

export interface Contender {
  readonly name: string
  /** Runs the work once; the returned value is kept alive so it is not optimised away. */
  readonly run: () => unknown
}

export interface Comparison {
  readonly title: string
  readonly baseline: Contender
  readonly subject: Contender
  /** Timed runs of each contender (after one warm-up); the median is reported. */
  readonly runs?: number
  /** Items processed per run, to print a throughput. */
  readonly items?: number
  readonly itemLabel?: string
  /** A target in milliseconds for the subject's median, printed as met or missed. */
  readonly targetMs?: number
  /** Skip the warm-up run (for very slow baselines). */
  readonly warmup?: boolean
}

export interface Result {
  readonly title: string
  readonly baselineMs: number
  readonly subjectMs: number
  readonly ratio: number
  readonly targetMet: boolean | undefined
}

let sink: unknown

const median = (xs: ReadonlyArray<number>): number => {
  const sorted = [...xs].sort((a, b) => a - b)
  const mid = Math.floor(sorted.length / 2)
  return sorted.length % 2 === 1 ? (sorted[mid] ?? 0) : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2
}

const timeRuns = (contender: Contender, runs: number, warmup: boolean): number => {
  if (warmup) sink = contender.run()
  const samples: Array<number> = []
  for (let i = 0; i < runs; i++) {
    global.gc?.()
    const start = performance.now()
    sink = contender.run()
    samples.push(performance.now() - start)
  }
  return median(samples)
}

const fmtMs = (ms: number): string =>
  `${ms.toLocaleString("en-US", { minimumFractionDigits: 1, maximumFractionDigits: 1 })} ms`

const fmtRate = (items: number, ms: number, label: string): string =>
  `${Math.round((items / ms) * 1000).toLocaleString("en-US")} ${label}/s`

export const results: Array<Result> = []

/** Runs a comparison and prints: baseline figure, subject figure, ratio (baseline / subject). */
export const compare = (c: Comparison): Result => {
  const runs = c.runs ?? 5
  const warmup = c.warmup ?? true
  const baselineMs = timeRuns(c.baseline, runs, warmup)
  const subjectMs = timeRuns(c.subject, runs, warmup)
  const ratio = baselineMs / subjectMs
  const label = c.itemLabel ?? "items"
  const rate = (ms: number) => (c.items === undefined ? "" : `  (${fmtRate(c.items, ms, label)})`)
  const targetMet = c.targetMs === undefined ? undefined : subjectMs <= c.targetMs
  console.log(`\n${c.title}`)
  console.log(
    `  baseline  ${c.baseline.name.padEnd(52)} ${fmtMs(baselineMs).padStart(14)}${rate(baselineMs)}`
  )
  console.log(`  civicgrid ${c.subject.name.padEnd(52)} ${fmtMs(subjectMs).padStart(14)}${rate(subjectMs)}`)
  console.log(
    `  ratio     ${ratio >= 1 ? `${ratio.toFixed(2)}× faster than the baseline` : `${(1 / ratio).toFixed(2)}× slower than the baseline`}` +
      (c.targetMs === undefined ? "" : `; target ≤ ${fmtMs(c.targetMs)}: ${targetMet ? "met" : "MISSED"}`)
  )
  const result = { title: c.title, baselineMs, subjectMs, ratio, targetMet }
  results.push(result)
  return result
}

/** Keeps a value alive across runs (so the engine cannot drop the work). */
export const keep = (value: unknown): void => {
  sink = value
}

export const lastSink = (): unknown => sink

// -----------------------------------------------------------------------------
// asynchronous contenders (databases)
// -----------------------------------------------------------------------------

export interface AsyncContender<P = undefined> {
  readonly name: string
  /** Prepares a run, untimed (e.g. a fresh database); its value is passed to `run`. */
  readonly setup: () => Promise<P>
  /** Runs the work once (timed). */
  readonly run: (prepared: P) => Promise<unknown>
  /** Cleans up after a run, untimed. */
  readonly teardown?: (prepared: P) => Promise<void>
}

export interface AsyncComparison<B, S> {
  readonly title: string
  readonly baseline: AsyncContender<B>
  readonly subject: AsyncContender<S>
  readonly runs?: number
  /** Timed runs of the baseline (default `runs`; a slow baseline may run once, without warm-up). */
  readonly baselineRuns?: number
  readonly items?: number
  readonly itemLabel?: string
  readonly targetMs?: number
  readonly warmup?: boolean
  /** Prints the ratio as the subject's share of the baseline's throughput (ingest: "x % of the raw rate"). */
  readonly share?: boolean
}

const timeAsync = async <P>(contender: AsyncContender<P>, runs: number, warmup: boolean): Promise<number> => {
  const once = async (): Promise<number> => {
    const prepared = await contender.setup()
    global.gc?.()
    const start = performance.now()
    sink = await contender.run(prepared)
    const ms = performance.now() - start
    if (contender.teardown !== undefined) await contender.teardown(prepared)
    return ms
  }
  if (warmup) await once()
  const samples: Array<number> = []
  for (let i = 0; i < runs; i++) samples.push(await once())
  return median(samples)
}

/** `compare` for asynchronous contenders with untimed setup and teardown. */
export const compareAsync = async <B, S>(c: AsyncComparison<B, S>): Promise<Result> => {
  const runs = c.runs ?? 3
  const warmup = c.warmup ?? true
  const baselineRuns = c.baselineRuns ?? runs
  const baselineMs = await timeAsync(c.baseline, baselineRuns, warmup && c.baselineRuns === undefined)
  const subjectMs = await timeAsync(c.subject, runs, warmup)
  const ratio = baselineMs / subjectMs
  const label = c.itemLabel ?? "items"
  const rate = (ms: number) => (c.items === undefined ? "" : `  (${fmtRate(c.items, ms, label)})`)
  const targetMet = c.targetMs === undefined ? undefined : subjectMs <= c.targetMs
  console.log(`\n${c.title}`)
  console.log(
    `  baseline  ${c.baseline.name.padEnd(52)} ${fmtMs(baselineMs).padStart(14)}${rate(baselineMs)}`
  )
  console.log(`  civicgrid ${c.subject.name.padEnd(52)} ${fmtMs(subjectMs).padStart(14)}${rate(subjectMs)}`)
  const verdict =
    c.share === true
      ? `${(ratio * 100).toFixed(1)} % of the baseline's rate`
      : ratio >= 1
        ? `${ratio.toFixed(2)}× faster than the baseline`
        : `${(1 / ratio).toFixed(2)}× slower than the baseline`
  console.log(
    `  ratio     ${verdict}` +
      (c.targetMs === undefined ? "" : `; target ≤ ${fmtMs(c.targetMs)}: ${targetMet ? "met" : "MISSED"}`)
  )
  const result = { title: c.title, baselineMs, subjectMs, ratio, targetMet }
  results.push(result)
  return result
}

/** Prints a single figure (no baseline available), recorded with ratio 1. */
export const figure = (
  title: string,
  name: string,
  ms: number,
  items?: number,
  itemLabel = "items"
): void => {
  console.log(`\n${title}`)
  console.log(
    `  civicgrid ${name.padEnd(52)} ${fmtMs(ms).padStart(14)}${items === undefined ? "" : `  (${fmtRate(items, ms, itemLabel)})`}`
  )
}
