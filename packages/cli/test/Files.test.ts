import { describe, expect, it } from "@effect/vitest"
import * as fc from "fast-check"
import * as Files from "../src/docs/Files.js"

const fileSet = fc
  .dictionary(fc.constantFrom("a.md", "b.md", "c/d.md", "c/e.json", "f.md"), fc.constantFrom("x\n", "y\n"))
  .map((record) => Files.make(Object.entries(record)))

describe("Files.diff", () => {
  it.prop(
    "sorts every file into exactly one of stale, missing, unchanged (generated) or extra (on disk only)",
    [fileSet, fileSet],
    ([generated, onDisk]) => {
      const d = Files.diff(generated, onDisk)
      expect([...d.stale, ...d.missing, ...d.unchanged].sort()).toEqual([...generated.keys()].sort())
      expect(d.extra).toEqual([...onDisk.keys()].filter((p) => !generated.has(p)).sort())
      for (const p of d.stale) expect(onDisk.get(p)).not.toBe(generated.get(p))
      for (const p of d.unchanged) expect(onDisk.get(p)).toBe(generated.get(p))
      for (const p of d.missing) expect(onDisk.has(p)).toBe(false)
    }
  )

  it.prop(
    "is clean exactly when the disk holds the generated files",
    [fileSet, fileSet],
    ([generated, onDisk]) => {
      const same =
        generated.size === onDisk.size && [...generated].every(([p, contents]) => onDisk.get(p) === contents)
      expect(Files.isClean(Files.diff(generated, onDisk))).toBe(same)
    }
  )
})
