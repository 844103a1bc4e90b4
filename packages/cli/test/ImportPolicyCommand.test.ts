/**
 * `civicgrid import --list categories|routing|time-limits` — the policies
 * through the real command: a time-limit ledger in the Chinese words staff
 * use replaces the default policy (and is reported unchanged the second
 * time); a routing rule naming a category the catalogue does not know refuses
 * the whole file, naming the rule, and writes nothing.
 */
import { writeFile } from "node:fs/promises"
import { join } from "node:path"
import * as PolicyRepository from "@civicgrid/core/PolicyRepository"
import * as WorkDuration from "@civicgrid/core/WorkDuration"
import * as NodeContext from "@effect/platform-node/NodeContext"
import { describe, expect, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import * as Option from "effect/Option"
import * as DatabaseOption from "../src/DatabaseOption.js"
import * as Policies from "../src/internal/policies.js"
import * as Databases from "./support/Databases.js"
import * as TestConsole from "./support/TestConsole.js"

const cli = (args: ReadonlyArray<string>) =>
  Effect.map(TestConsole.runCli(args), (run) => ({
    ok: Exit.isSuccess(run.exit),
    text: `${run.out}\n${run.err}`
  }))

const stored = (url: string) =>
  Effect.gen(function* () {
    const database = yield* DatabaseOption.resolve(Option.some(url))
    return yield* Effect.flatMap(PolicyRepository.PolicyRepository, (r) => r.timeLimits).pipe(
      Effect.provide(Policies.layerStores),
      Effect.provide(DatabaseOption.layer(database))
    )
  }).pipe(Effect.provide(NodeContext.layer))

describe("civicgrid import --list time-limits|routing", () => {
  it.scoped("a time-limit ledger replaces the default policy; a bad routing table writes nothing", () =>
    Effect.gen(function* () {
      const dir = yield* Databases.tempDir
      const url = yield* Databases.sqlite.fresh
      expect((yield* cli(["migrate", "--database", url])).ok).toBe(true)
      const limits = join(dir, "处置时限.csv")
      yield* Effect.promise(() =>
        writeFile(
          limits,
          "案件小类,紧急程度,处置环节,时限,时限单位\r\n,,立案,1,工作日\r\n,,,3,工作日\r\n填表人：王芳,,,,\r\n"
        )
      )
      const first = yield* cli(["import", limits, "--list", "time-limits", "--database", url])
      expect(first.ok, first.text).toBe(true)
      expect(first.text).toContain("已导入 imported 2 处置时限 time limits")
      expect(first.text).toContain("表尾 (footer)「填表人：王芳」")
      expect(Option.map(yield* stored(url), (p) => p.rules)).toEqual(
        Option.some([
          { step: "filing", limit: WorkDuration.workingDays(1) },
          { limit: WorkDuration.workingDays(3) }
        ])
      )
      const again = yield* cli(["import", limits, "--list", "time-limits", "--database", url])
      expect(again.text).toContain("新增 0、更新 0、未变 2")

      const routing = join(dir, "派遣规则.csv")
      yield* Effect.promise(() =>
        writeFile(routing, "规则编号,案件类别,适用辖区,处置部门\r\nr-1,XX-9999,,dep-x\r\n")
      )
      const bad = yield* cli(["import", routing, "--list", "routing", "--database", url])
      expect(bad.ok).toBe(false)
      expect(bad.text).toContain("配置无效 policy refused (1 violation(s)); nothing was imported")
      expect(bad.text).toContain("unknown-category")
    })
  )
})
