import { describe, expect, it } from "@effect/vitest"
import * as fc from "fast-check"
import * as Progress from "../src/internal/Progress.js"

/** A phase's updates as a step reports them: 0 first, then increasing counts up to the total. */
const phase = fc
  .record({
    label: fc.constantFrom("迁移 migrations", "写入 storing problems", "cases"),
    total: fc.integer({ min: 0, max: 5_000 }),
    steps: fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { maxLength: 40 })
  })
  .map(({ label, total, steps }) => ({
    label,
    total,
    updates: [0, ...steps.map((s) => Math.floor(s * total)).sort((a, b) => a - b), total].map(
      (done): Progress.Update => ({ label, done, total })
    )
  }))

const phases = fc.uniqueArray(phase, { selector: (p) => p.label, minLength: 1, maxLength: 3 })

const capture = (isTTY: boolean) => {
  const written: Array<string> = []
  const sink: Progress.Sink = { isTTY, columns: 100, write: (text) => void written.push(text) }
  return { sink, text: () => written.join("") }
}

describe("Progress", () => {
  it.prop(
    "percent is between 0 and 100, and 100 exactly when done reaches the total",
    [fc.integer({ min: 0, max: 10_000 }), fc.integer({ min: 0, max: 10_000 })],
    ([done, total]) => {
      const pct = Progress.percent({ done, total })
      expect(pct).toBeGreaterThanOrEqual(0)
      expect(pct).toBeLessThanOrEqual(100)
      expect(pct === 100).toBe(done >= total)
    }
  )

  it.prop(
    "without a terminal, each phase prints at most one line per quarter passed and ends with its 100% line",
    [phases],
    ([ps]) => {
      const { sink, text } = capture(false)
      const reporter = Progress.make(sink)
      for (const p of ps) for (const u of p.updates) reporter.update(u)
      reporter.end()
      const lines = text().split("\n").slice(0, -1)
      for (const p of ps) {
        const own = lines.filter((l) => l.startsWith(`${p.label} `))
        expect(own.length).toBeGreaterThanOrEqual(1)
        expect(own.length).toBeLessThanOrEqual(4)
        expect(own[own.length - 1]).toBe(
          Progress.plainLine({ label: p.label, done: p.total, total: p.total })
        )
      }
      expect(text()).not.toContain("\r")
    }
  )

  it.prop(
    "on a terminal, each phase ends as one line whose last drawing is its complete bar",
    [phases],
    ([ps]) => {
      const { sink, text } = capture(true)
      let now = 0
      const reporter = Progress.make(sink, { now: () => (now += 7) })
      for (const p of ps) for (const u of p.updates) reporter.update(u)
      reporter.end()
      const lines = text().split("\n").slice(0, -1)
      expect(lines.length).toBe(ps.length)
      ps.forEach((p, i) => {
        const last = lines[i]?.split("\r\u001b[2K").pop()
        expect(last).toBe(Progress.line({ label: p.label, done: p.total, total: p.total }, 30))
      })
    }
  )

  it("pads labels by display width, so bars of Chinese and English labels line up", () => {
    const a = Progress.line({ label: "迁移 migrations", done: 1, total: 2 }, 10)
    const b = Progress.line({ label: "cases", done: 1, total: 2 }, 10)
    expect(Progress.displayWidth(a.slice(0, a.indexOf("[")))).toBe(
      Progress.displayWidth(b.slice(0, b.indexOf("[")))
    )
  })
})
