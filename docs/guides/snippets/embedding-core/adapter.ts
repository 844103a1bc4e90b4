import type { CaseEvent } from "@civicgrid/core/CaseEvent"
import * as CaseRepository from "@civicgrid/core/CaseRepository"
import * as CaseService from "@civicgrid/core/CaseService"
import * as DepartmentRepository from "@civicgrid/core/DepartmentRepository"
import * as HierarchyRepository from "@civicgrid/core/HierarchyRepository"
import * as Context from "effect/Context"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Ref from "effect/Ref"
import { reportAndAccept } from "./service.js"

// Your app's own port, declared the way the core declares its ports: a tag and a service shape.
// Here: notify someone (an SMS gateway, the 12345 platform, a message queue) of new case events.
export class Notifier extends Context.Tag("app/Notifier")<
  Notifier,
  { readonly publish: (events: ReadonlyArray<CaseEvent>) => Effect.Effect<void> }
>() {}

// An adapter of the `CaseRepository` port that wraps another one: every append that stored
// events publishes them (an idempotent replay stored nothing, so it publishes nothing).
// It keeps the port's contract — same errors, same results — so the rest of the app does not change.
export const layerNotifying: Layer.Layer<
  CaseRepository.CaseRepository,
  never,
  CaseRepository.CaseRepository | Notifier
> = Layer.effect(
  CaseRepository.CaseRepository,
  Effect.gen(function* () {
    const inner = yield* CaseRepository.CaseRepository
    const notifier = yield* Notifier
    return {
      ...inner,
      append: (input) =>
        Effect.tap(inner.append(input), (result) =>
          result.replayed ? Effect.void : notifier.publish(input.events)
        ),
      appendAll: (inputs) =>
        Effect.tap(inner.appendAll(inputs), (results) =>
          notifier.publish(inputs.flatMap((input, k) => (results[k]?.replayed === true ? [] : input.events)))
        )
    }
  })
)

// A notifier for tests: it remembers what was published.
export const layerRecordingNotifier = (published: Ref.Ref<ReadonlyArray<string>>): Layer.Layer<Notifier> =>
  Layer.succeed(Notifier, {
    publish: (events) =>
      Ref.update(published, (seen) => [...seen, ...events.map((e) => `${e.caseId}#${e.sequence} ${e._tag}`)])
  })

// Wiring: the wrapper over the in-memory store (or `SqlCaseRepository.layer()` in production).
export const layerStore = (notifier: Layer.Layer<Notifier>): Layer.Layer<CaseRepository.CaseRepository> =>
  layerNotifying.pipe(Layer.provide(CaseRepository.layerMemory()), Layer.provide(notifier))

// The use case of service.ts, unchanged, over the wrapped store:
export const published = Effect.gen(function* () {
  const seen = yield* Ref.make<ReadonlyArray<string>>([])
  const stores = Layer.mergeAll(
    layerStore(layerRecordingNotifier(seen)),
    DepartmentRepository.layerMemory,
    CaseService.layerSettings()
  ).pipe(Layer.provideMerge(HierarchyRepository.layerMemory))
  yield* Effect.provide(reportAndAccept, stores)
  return yield* Ref.get(seen)
})
// → ["QY-2025-0003#1 Reported", "QY-2025-0003#2 Accepted"]
