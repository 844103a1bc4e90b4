import { type Actor, ActorId } from "@civicgrid/core/Actor"
import * as Case from "@civicgrid/core/Case"
import { CaseRepository } from "@civicgrid/core/CaseRepository"
import * as CaseService from "@civicgrid/core/CaseService"
import { HierarchyRepository } from "@civicgrid/core/HierarchyRepository"
import * as LevelScheme from "@civicgrid/core/LevelScheme"
import { UnitId } from "@civicgrid/core/Unit"
import * as DateTime from "effect/DateTime"
import * as Effect from "effect/Effect"
import type * as Redacted from "effect/Redacted"
import { rows } from "../getting-started/hierarchy.js"
import { layerStores } from "./layers.js"

const jinsha = UnitId.make("jinsha")
const gridWorker: Actor = { id: ActorId.make("gw-li"), role: "grid-worker", unitId: jinsha }
const staffWang: Actor = { id: ActorId.make("cs-wang"), role: "community-staff", unitId: jinsha }
const staffZhou: Actor = { id: ActorId.make("cs-zhou"), role: "community-staff", unitId: jinsha }
const at = DateTime.unsafeMake("2025-03-06T09:00:00+08:00")

// The use case places a report with the catalogue of `CaseService.Settings` (the standard one by default).
const report = (caseId: string, idempotencyKey?: string) =>
  CaseService.report(
    {
      caseId,
      actor: gridWorker,
      at,
      categoryId: "SJ-0102", // 暴露垃圾 exposed garbage
      description: "金沙苑3栋旁垃圾堆放",
      location: { unitId: "jinsha-yuan-3" }
    },
    idempotencyKey === undefined ? {} : { idempotencyKey }
  ).pipe(Effect.provide(CaseService.layerSettings()))

// 并发冲突 — two staff open the same case (version 1) and decide at the same moment: one accepts, one
// rejects. Both appends say "after version 1"; the store lets exactly one win.
export const twoDecisions = (url: Redacted.Redacted<string>) =>
  Effect.gen(function* () {
    yield* Effect.flatMap(HierarchyRepository, (h) => h.save(LevelScheme.FiveLevel, rows))
    const { after: state } = yield* report("QY-2025-0100")
    const repo = yield* CaseRepository
    const accept = yield* Case.decide({ _tag: "Accept", caseId: state.id, actor: staffWang, at }, state)
    const reject = yield* Case.decide(
      { _tag: "Reject", caseId: state.id, actor: staffZhou, at, reason: "重复上报" },
      state
    )
    const [first, second] = yield* Effect.all(
      [
        Effect.either(repo.append({ caseId: state.id, expectedVersion: state.version, events: accept })),
        Effect.either(repo.append({ caseId: state.id, expectedVersion: state.version, events: reject }))
      ],
      { concurrency: 2 }
    )
    const history = yield* repo.events(state.id)
    return { first, second, history: history.map((e) => e._tag) }
  }).pipe(Effect.provide(layerStores(url)))
// → one of first/second is Right({ version: 2 }), the other Left(ConcurrencyConflict { expectedVersion: 1,
//   actualVersion: 2 }); history: ["Reported", "Accepted"] or ["Reported", "Rejected"] — never both.
//   The loser reloads (`CaseService.load`), sees the new status and decides again.

// 幂等 — a client retries a report (a timeout, a double click): same idempotency key, new case id.
// Both requests race; the key is unique in the store, so there is one case and the loser replays it.
export const retriedReport = (url: Redacted.Redacted<string>) =>
  Effect.gen(function* () {
    yield* Effect.flatMap(HierarchyRepository, (h) => h.save(LevelScheme.FiveLevel, rows))
    const key = "app-request-9f2c"
    const results = yield* Effect.all([report("QY-2025-0101", key), report("QY-2025-0102", key)], {
      concurrency: 2
    })
    return results.map((r) => ({ caseId: r.after.id, replayed: r.replayed }))
  }).pipe(Effect.provide(layerStores(url)))
// → two results with the same caseId; exactly one has replayed: false.
