/**
 * The program's arguments and exit codes: `--month` must be a month, files
 * must exist, and a bad cell is printed with its row and column.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import * as NodeFileSystem from "@effect/platform-node/NodeFileSystem"
import { describe, expect, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Cli from "../src/cli.js"

const run = (argv: ReadonlyArray<string>) =>
  Cli.run(argv).pipe(Effect.either, Effect.provide(NodeFileSystem.layer))

const failure = (result: Either.Either<string, Cli.ProgramError>): Cli.ProgramError => {
  if (Either.isRight(result)) throw new Error("expected the program to fail")
  return result.left
}

describe("monthly scorecard — the command line", () => {
  it.effect("with no arguments it scores October 2025 from the shipped sample", () =>
    Effect.gen(function* () {
      const text = Either.getOrThrow(yield* run([]))
      expect(text).toContain("示范区 2025年10月 月度考核")
      expect(text).toContain("区级汇总 district roll-up")
      expect(Either.getOrThrow(yield* run(["--month=2025年10月", "--file", Cli.defaults.file]))).toBe(text)
    })
  )

  it.effect("a bad --month, an unknown option or a missing value is a usage error (exit code 2)", () =>
    Effect.gen(function* () {
      for (const argv of [
        ["--month", "2025-13"],
        ["--month", "2025-Q4"],
        ["--month", "2025-10-01"],
        ["--mnth", "2025-10"],
        ["--file"],
        ["--month", "2025-10", "--month", "2025-11"],
        ["stray"],
        ["--min-sample", "-3"]
      ]) {
        const error = failure(yield* run(argv))
        expect(error._tag, argv.join(" ")).toBe("UsageError")
        expect(Cli.exitCodeOf(error)).toBe(2)
        expect(Cli.describeError(error)).toContain("用法 usage")
      }
      expect(Either.getOrThrow(yield* run(["--help"]))).toBe(Cli.usage)
    })
  )

  it.effect("a file that does not exist is reported with its path (exit code 1)", () =>
    Effect.gen(function* () {
      const error = failure(yield* run(["--file", "/nonexistent/cases.csv"]))
      expect(error._tag).toBe("FileUnreadable")
      expect(Cli.describeError(error)).toContain("/nonexistent/cases.csv")
      expect(Cli.exitCodeOf(error)).toBe(1)
    })
  )

  it.effect(
    "a corrupted ledger is rejected with each bad cell's row and column on stderr (exit code 1)",
    () =>
      Effect.gen(function* () {
        const dir = mkdtempSync(join(tmpdir(), "civicgrid-scorecard-"))
        yield* Effect.addFinalizer(() => Effect.sync(() => rmSync(dir, { recursive: true, force: true })))
        const lines = readFileSync(Cli.defaults.file, "utf8").split("\r\n")
        // row 17 as Excel numbers it (the header is row 1): its 上报时间 (column F) becomes garbage
        const cells = (lines[16] ?? "").split(",")
        cells[5] = "2025-10-32 08:00:00"
        lines[16] = cells.join(",")
        const file = join(dir, "bad.csv")
        writeFileSync(file, lines.join("\r\n"), "utf8")
        const error = failure(yield* run(["--file", file]))
        expect(error._tag).toBe("LedgerImportError")
        expect(Cli.exitCodeOf(error)).toBe(1)
        const text = Cli.describeError(error)
        expect(text).toContain("第 17 行 F 列「上报时间」 [type]")
        expect(text).toContain('"2025-10-32 08:00:00"')
        expect(text.split("\n")).toHaveLength(2)
      }).pipe(Effect.scoped)
  )
})
