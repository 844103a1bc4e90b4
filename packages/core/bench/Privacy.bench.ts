/**
 * 脱敏 — `Privacy.scrub` on adversarial texts of 10 kB, 100 kB and 1 MB (issue
 * 12, finding 1: a description of 80,000 characters without `@` blocked the
 * event loop ~28 s). For each pattern it prints the time per byte at each size
 * and the ratio of the 1 MB per-byte time to the 10 kB one: a linear scrub
 * stays near 1×, a quadratic one grows with the size (100× from 10 kB to 1 MB).
 *
 * Baseline: the scrub Open311 had before (four regular expressions, the e-mail
 * one `[A-Za-z0-9._%+-]+@…` backtracking quadratically on text without `@`),
 * measured in the same run — only on the sizes it finishes quickly (10 kB,
 * and larger sizes for the patterns it does not backtrack on).
 */
import { performance } from "node:perf_hooks"
import { compare, keep } from "@civicgrid/testkit/Bench"
import * as Privacy from "../src/Privacy.js"

// the scrub of http/src/internal/open311Output.ts before issue 12 (the baseline)
const MOBILE = /(?<!\d)(1[3-9]\d)\d{4}(\d{4})(?!\d)/g
const ID_NUMBER = /(?<![\dA-Za-z])(\d{4})\d{10}(\d{3}[\dXx])(?![\dA-Za-z])/g
const EMAIL = /[A-Za-z0-9._%+-]+@([A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+)/g
const LANDLINE = /(?<!\d)(0\d{2,3})-?\d{7,8}(?!\d)/g
const oldScrub = (text: string): string =>
  text
    .replace(ID_NUMBER, (_, a: string, b: string) => `${a}**********${b}`)
    .replace(MOBILE, (_, a: string, b: string) => `${a}****${b}`)
    .replace(LANDLINE, (_, a: string) => `${a}-********`)
    .replace(EMAIL, (_, domain: string) => `***@${domain}`)

const SIZES = [10_000, 100_000, 1_000_000] as const

interface Pattern {
  readonly name: string
  readonly unit: string
  /** The largest size the old scrub is run on (it is quadratic on long runs of e-mail local-part characters). */
  readonly oldUpTo: number
}

const patterns: ReadonlyArray<Pattern> = [
  { name: "`a` (no @: the old e-mail pattern's worst case)", unit: "a", oldUpTo: 10_000 },
  { name: "`a.` (local-part characters and dots)", unit: "a.", oldUpTo: 10_000 },
  { name: "digits (one run)", unit: "1", oldUpTo: 10_000 },
  { name: "`1-` repeated", unit: "1-", oldUpTo: 10_000 },
  { name: "`0871-` repeated (landline-like groups)", unit: "0871-", oldUpTo: 10_000 },
  { name: "e-mail-ish without @ (`wang.li.qq.com `)", unit: "wang.li.qq.com ", oldUpTo: 1_000_000 },
  { name: "`＠`-less full-width text (`ａ．１２３ `)", unit: "ａ．１２３ ", oldUpTo: 1_000_000 },
  { name: "phones back to back (`13812345678，`)", unit: "13812345678，", oldUpTo: 1_000_000 },
  {
    name: "ordinary Chinese text with dates and amounts",
    unit: "2024年3月5日金沙苑垃圾1,234.50元，",
    oldUpTo: 1_000_000
  }
]

const median = (xs: ReadonlyArray<number>): number => {
  const sorted = [...xs].sort((a, b) => a - b)
  return sorted[Math.floor(sorted.length / 2)] ?? 0
}

const time = (f: (s: string) => string, text: string, runs: number): number => {
  keep(f(text))
  const samples: Array<number> = []
  for (let i = 0; i < runs; i++) {
    global.gc?.()
    const start = performance.now()
    keep(f(text))
    samples.push(performance.now() - start)
  }
  return median(samples)
}

const perByte = (ms: number, bytes: number): string => `${((ms * 1e6) / bytes).toFixed(1)} ns/B`

export default (): void => {
  console.log("\n脱敏 Privacy.scrub — time per byte by size (linear: the 1 MB / 10 kB per-byte ratio ≈ 1×)")
  for (const p of patterns) {
    const texts = SIZES.map((size) => p.unit.repeat(Math.ceil(size / p.unit.length)).slice(0, size))
    const subject = SIZES.map((size, i) => time(Privacy.scrub, texts[i] ?? "", size >= 1_000_000 ? 3 : 7))
    const old = SIZES.map((size, i) => (size <= p.oldUpTo ? time(oldScrub, texts[i] ?? "", 3) : undefined))
    console.log(`\n  ${p.name}`)
    SIZES.forEach((size, i) => {
      const ms = subject[i] ?? 0
      const o = old[i]
      console.log(
        `    ${`${(size / 1000).toLocaleString("en-US")} kB`.padStart(9)}  civicgrid ${`${ms.toFixed(2)} ms`.padStart(11)} ${perByte(ms, size).padStart(11)}` +
          (o === undefined
            ? "   old: not run (quadratic here)"
            : `   old ${`${o.toFixed(2)} ms`.padStart(11)} ${perByte(o, size).padStart(11)}`)
      )
    })
    const small = (subject[0] ?? 0) / SIZES[0]
    const large = (subject[2] ?? 0) / SIZES[2]
    console.log(`    per-byte ratio 1 MB / 10 kB: ${(large / small).toFixed(2)}× (civicgrid)`)
    const oldSmall = old[0]
    const oldLarge = old[2]
    if (oldSmall !== undefined && oldLarge !== undefined) {
      console.log(
        `    per-byte ratio 1 MB / 10 kB: ${(oldLarge / SIZES[2] / (oldSmall / SIZES[0])).toFixed(2)}× (old)`
      )
    }
  }

  // the recorded comparison: the old scrub against the new on the 10 kB text without `@`
  const text = "a".repeat(10_000)
  compare({
    title: "脱敏 10 kB without @ — old regex scrub vs Privacy.scrub",
    baseline: { name: "old Open311 scrub (regular expressions)", run: () => oldScrub(text) },
    subject: { name: "Privacy.scrub (single pass)", run: () => Privacy.scrub(text) },
    runs: 3,
    items: text.length,
    itemLabel: "chars"
  })
}
