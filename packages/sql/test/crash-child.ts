/**
 * The child process of `CaseRepository.crash.test.ts`: appends batches of
 * cases to a SQLite file database until it is killed. Each batch is one
 * `appendAll` — one transaction — of `size` new cases (上报 → 立案 → 派遣, three
 * events each, every tenth with an idempotency key) plus one more event
 * (处置) for each case of the previous batch. It prints `begin <batch>` before
 * a batch and `committed <cases>` after its commit (stdout is a pipe, written
 * synchronously on Linux, so a printed count is committed).
 *
 * Usage: node --conditions=@civicgrid/source --import tsx test/crash-child.ts <file> <size>
 */
import * as Case from "@civicgrid/core/Case"
import type { CaseCommand } from "@civicgrid/core/CaseCommand"
import type { CaseEvent } from "@civicgrid/core/CaseEvent"
import { type AppendInput, CaseRepository } from "@civicgrid/core/CaseRepository"
import * as SqliteClient from "@effect/sql-sqlite-node/SqliteClient"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Layer from "effect/Layer"
import * as SqlCaseRepository from "../src/SqlCaseRepository.js"
import { accept, dispatch, handle, report, T0, timeLimits } from "./support/CaseFixtures.js"

const [filename, sizeArg] = process.argv.slice(2)
const size = Number(sizeArg)
if (filename === undefined || !Number.isInteger(size) || size < 1) {
  process.stderr.write("usage: crash-child.ts <file> <size>\n")
  process.exit(2)
}

const MINUTE = 60_000

/** The events of a sequence of commands from no case (the commands are legal by construction). */
const history = (commands: ReadonlyArray<CaseCommand>): ReadonlyArray<CaseEvent> => {
  let state: Case.State = Case.initial
  const out: Array<CaseEvent> = []
  for (const command of commands) {
    const step = Either.getOrThrow(Case.execute(state, command))
    out.push(...step.events)
    state = step.state
  }
  return out
}

const opened = (caseId: string, t: number) => [
  report(caseId, { at: t }),
  accept(caseId, t + MINUTE),
  dispatch(caseId, t + 2 * MINUTE)
]

const caseIdOf = (batch: number, k: number) => `crash-${batch}-${String(k).padStart(5, "0")}`

const program = Effect.gen(function* () {
  const repo = yield* CaseRepository
  for (let batch = 0; ; batch++) {
    const inputs: Array<AppendInput> = []
    for (let k = 0; k < size; k++) {
      const caseId = caseIdOf(batch, k)
      const events = history(opened(caseId, T0 + batch * 10 * MINUTE + k))
      inputs.push({
        caseId: Case.CaseId.make(caseId),
        expectedVersion: 0,
        events,
        ...(k % 10 === 0 ? { idempotencyKey: `crash-key-${batch}-${k}` } : {})
      })
    }
    if (batch > 0) {
      for (let k = 0; k < size; k++) {
        const caseId = caseIdOf(batch - 1, k)
        const t = T0 + (batch - 1) * 10 * MINUTE + k
        const events = history([...opened(caseId, t), handle(caseId, t + 3 * MINUTE)])
        inputs.push({ caseId: Case.CaseId.make(caseId), expectedVersion: 3, events: events.slice(3) })
      }
    }
    process.stdout.write(`begin ${batch}\n`)
    yield* repo.appendAll(inputs)
    process.stdout.write(`committed ${(batch + 1) * size}\n`)
  }
})

Effect.runPromise(
  program.pipe(
    Effect.provide(
      SqlCaseRepository.layer({ timeLimits }).pipe(
        Layer.provide(SqliteClient.layer({ filename: filename ?? "" }))
      )
    )
  )
).catch((error: unknown) => {
  process.stderr.write(`crash-child failed: ${String(error)}\n`)
  process.exit(1)
})
