/**
 * A small benchmark harness: each comparison runs a naive baseline and the
 * civicgrid implementation in the same process and run, on the same input, and
 * prints both figures and the ratio. Targets live here, never in unit tests.
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
