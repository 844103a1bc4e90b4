/**
 * 议事协商仓库 — the port through which topics of deliberation 议题 (proposal
 * → agenda → meeting → vote → resolution → tasks → implemented → published →
 * feedback, one `Deliberation` decider) are stored. The core declares it;
 * `@civicgrid/sql` implements it (`SqlDeliberationRepository`) and
 * `layerMemory` keeps it in memory on top of a `HierarchyRepository`.
 *
 * - A topic is an **event stream**: events are appended after the version the
 *   writer last saw (`checkAppend`); a concurrent writer gets
 *   `DeliberationConcurrencyConflict`, never a lost or doubled event (a ballot
 *   cast twice at once is one ballot and one conflict).
 * - Topics are read by id and **by jurisdiction** (`within`: the topic's unit
 *   lies in the unit's subtree).
 * - Publications 居务公开 are read as `PublicEntry`: the published text, scope
 *   and dates only — never the proposer, co-signers, ballots or attendees.
 *
 * The use cases `handle` (load → decide → append) and `metrics`
 * (`DeliberationMetrics` over the topics within a jurisdiction) read through
 * the port.
 *
 * @since 0.1.0
 */
import * as Context from "effect/Context"
import * as DateTime from "effect/DateTime"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Layer from "effect/Layer"
import * as Schema from "effect/Schema"
import * as Decider from "./Decider.js"
import * as Deliberation from "./Deliberation.js"
import * as DeliberationMetrics from "./DeliberationMetrics.js"
import * as Hierarchy from "./Hierarchy.js"
import { type HierarchyNotFound, HierarchyRepository } from "./HierarchyRepository.js"
import * as internal from "./internal/memoryDeliberation.js"
import * as Publication from "./Publication.js"
import type { StorageUnavailable } from "./Storage.js"
import type { UnitId } from "./Unit.js"

// ---------------------------------------------------------------------------
// errors
// ---------------------------------------------------------------------------

/**
 * 议事并发冲突 — another writer appended to the topic first: `expectedVersion`
 * is not its current version. Reload, decide again, retry.
 *
 * @since 0.1.0
 * @category errors
 */
export class DeliberationConcurrencyConflict extends Schema.TaggedError<DeliberationConcurrencyConflict>()(
  "DeliberationConcurrencyConflict",
  {
    topicId: Schema.String,
    expectedVersion: Schema.Int,
    actualVersion: Schema.Int
  }
) {
  override get message(): string {
    return `并发冲突：议题 ${this.topicId} 的 expectedVersion 为 ${this.expectedVersion}，实际为 ${this.actualVersion}，请重新读取后重试 — concurrency conflict on topic ${this.topicId}: expectedVersion ${this.expectedVersion}, the topic is at ${this.actualVersion}; reload and retry`
  }
}

/**
 * 议题不存在 — no topic has this id.
 *
 * @since 0.1.0
 * @category errors
 */
export class TopicNotFound extends Schema.TaggedError<TopicNotFound>()("TopicNotFound", {
  topicId: Schema.String
}) {
  override get message(): string {
    return `议题不存在：topicId "${this.topicId}" — topic not found: topicId "${this.topicId}"`
  }
}

// ---------------------------------------------------------------------------
// models
// ---------------------------------------------------------------------------

/**
 * What an append returns: the topic and its version after it.
 *
 * @since 0.1.0
 * @category models
 */
export interface Appended {
  readonly id: string
  readonly version: number
}

/**
 * 议题查询 — topics within a jurisdiction (their unit), of statuses.
 *
 * @since 0.1.0
 * @category models
 */
export interface TopicQuery {
  readonly within?: string
  readonly statuses?: ReadonlyArray<Deliberation.Status>
}

/**
 * 公开栏条目 — a publication as the public sees it: the topic it concludes,
 * its scope, category, title, body and dates. No personal data: the
 * publication's text is checked by `Publication.check` when published, and
 * nothing else of the topic is shown.
 *
 * @since 0.1.0
 * @category schemas
 */
export const PublicEntry = Schema.Struct({
  topicId: Deliberation.TopicId,
  scope: Schema.String,
  category: Publication.Category,
  title: Schema.String,
  body: Schema.String,
  publishedAt: Schema.DateTimeUtc,
  retainUntil: Schema.DateTimeUtc
}).annotations({ identifier: "PublicEntry", title: "公开栏条目 public entry" })

/**
 * @since 0.1.0
 * @category models
 */
export interface PublicEntry extends Schema.Schema.Type<typeof PublicEntry> {}

/**
 * The public entry of a topic on display at `now` (published, not withdrawn, within retention).
 *
 * @since 0.1.0
 * @category utils
 */
export const publicEntry = (topic: Deliberation.Topic, now: DateTime.Utc): PublicEntry | undefined => {
  const p = topic.publication
  if (p === null || !Publication.isVisible(p, now)) return undefined
  return {
    topicId: topic.id,
    scope: p.scope,
    category: p.category,
    title: p.title,
    body: p.body,
    publishedAt: p.publishedAt,
    retainUntil: p.retainUntil
  }
}

const compare = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0)

/**
 * The order topics come back in: by id.
 *
 * @since 0.1.0
 * @category utils
 */
export const byId = (topics: Iterable<Deliberation.Topic>): ReadonlyArray<Deliberation.Topic> =>
  [...topics].sort((a, b) => compare(a.id, b.id))

/**
 * The order public entries come back in: newest first, then by topic.
 *
 * @since 0.1.0
 * @category utils
 */
export const orderEntries = (entries: Iterable<PublicEntry>): ReadonlyArray<PublicEntry> =>
  [...entries].sort(
    (a, b) =>
      DateTime.toEpochMillis(b.publishedAt) - DateTime.toEpochMillis(a.publishedAt) ||
      compare(a.topicId, b.topicId)
  )

// ---------------------------------------------------------------------------
// validation (shared by every implementation)
// ---------------------------------------------------------------------------

/**
 * 议事追加校验 — what an append leads to, or why it is refused: the
 * `expectedVersion` must be the stored version (else
 * `DeliberationConcurrencyConflict`); the stored history followed by the new
 * events must replay (`Deliberation.replay`: one topic, sequences without
 * gaps, starting with `Submitted`); the topic's unit must be a unit.
 *
 * @since 0.1.0
 * @category validation
 */
export const checkAppend = (input: {
  readonly topicId: string
  readonly expectedVersion: number
  readonly stored: ReadonlyArray<Deliberation.Event>
  readonly events: ReadonlyArray<Deliberation.Event>
  readonly units: ReadonlySet<string>
}): Either.Either<
  { readonly state: Deliberation.Topic; readonly version: number },
  DeliberationConcurrencyConflict | Deliberation.DeliberationReplayError | Hierarchy.UnitNotFound
> => {
  const actual = input.stored.length
  if (input.expectedVersion !== actual)
    return Either.left(
      new DeliberationConcurrencyConflict({
        topicId: input.topicId,
        expectedVersion: input.expectedVersion,
        actualVersion: actual
      })
    )
  const foreign = input.events.findIndex((e) => e.topicId !== input.topicId)
  const event = input.events[foreign]
  if (event !== undefined)
    return Either.left(
      new Deliberation.DeliberationReplayError({
        topicId: input.topicId,
        index: actual + foreign,
        sequence: event.sequence,
        expected: actual + foreign + 1,
        rule: "topic-id"
      })
    )
  return Either.flatMap(
    Deliberation.replay([...input.stored, ...input.events]),
    (
      state
    ): Either.Either<
      { readonly state: Deliberation.Topic; readonly version: number },
      Deliberation.DeliberationReplayError | Hierarchy.UnitNotFound
    > => {
      if (state._tag === "NoTopic")
        return Either.left(
          new Deliberation.DeliberationReplayError({
            topicId: input.topicId,
            index: 0,
            sequence: 0,
            expected: 1,
            rule: "first-event"
          })
        )
      if (!input.units.has(state.unitId))
        return Either.left(new Hierarchy.UnitNotFound({ unitId: state.unitId }))
      return Either.right({ state, version: state.version })
    }
  )
}

/**
 * The unit a history names (its `Submitted` event's), if any.
 *
 * @since 0.1.0
 * @category utils
 */
export const unitOf = (events: ReadonlyArray<Deliberation.Event>): UnitId | undefined => {
  for (const e of events) if (e._tag === "Submitted") return e.unitId
  return undefined
}

// ---------------------------------------------------------------------------
// port
// ---------------------------------------------------------------------------

/**
 * 议事协商仓库 — the deliberation store port (see the module notes).
 *
 * @since 0.1.0
 * @category tags
 */
export class DeliberationRepository extends Context.Tag("@civicgrid/core/DeliberationRepository")<
  DeliberationRepository,
  {
    /** Appends a topic's events after `expectedVersion` (0 for a new topic), atomically with its state. */
    readonly append: (input: {
      readonly topicId: string
      readonly expectedVersion: number
      readonly events: ReadonlyArray<Deliberation.Event>
    }) => Effect.Effect<
      Appended,
      | DeliberationConcurrencyConflict
      | Deliberation.DeliberationReplayError
      | Hierarchy.UnitNotFound
      | StorageUnavailable
    >
    /** A topic's events in sequence order (empty for an unknown topic). */
    readonly events: (topicId: string) => Effect.Effect<ReadonlyArray<Deliberation.Event>, StorageUnavailable>
    /** One topic. */
    readonly topic: (topicId: string) => Effect.Effect<Deliberation.Topic, TopicNotFound | StorageUnavailable>
    /** The topics whose unit lies within the jurisdiction, by id. */
    readonly topics: (
      query?: TopicQuery
    ) => Effect.Effect<ReadonlyArray<Deliberation.Topic>, Hierarchy.UnitNotFound | StorageUnavailable>
    /** The publications on display at `now` (within a unit's subtree when given), newest first. */
    readonly publications: (query: {
      readonly now: DateTime.Utc
      readonly within?: string
    }) => Effect.Effect<ReadonlyArray<PublicEntry>, Hierarchy.UnitNotFound | StorageUnavailable>
  }
>() {}

/**
 * An in-memory deliberation store on top of a `HierarchyRepository`; each build starts empty.
 *
 * @since 0.1.0
 * @category layers
 */
export const layerMemory: Layer.Layer<DeliberationRepository, never, HierarchyRepository> = Layer.effect(
  DeliberationRepository,
  internal.make
)

// ---------------------------------------------------------------------------
// use cases
// ---------------------------------------------------------------------------

/**
 * 议事 — decides a command on the stored topic (`Deliberation.decider`) and
 * appends its events after `expectedVersion` (the stored version when
 * absent): the topic after them.
 *
 * @since 0.1.0
 * @category use cases
 */
export const handle = (input: {
  readonly command: Deliberation.Command
  readonly config: Deliberation.Config
  readonly expectedVersion?: number
}): Effect.Effect<
  Deliberation.Topic,
  | Deliberation.DeliberationRefused
  | DeliberationConcurrencyConflict
  | Deliberation.DeliberationReplayError
  | Hierarchy.UnitNotFound
  | StorageUnavailable,
  DeliberationRepository
> =>
  Effect.gen(function* () {
    const store = yield* DeliberationRepository
    const topicId = input.command.topicId
    const stored = yield* store.events(topicId)
    const expectedVersion = input.expectedVersion ?? stored.length
    if (expectedVersion !== stored.length)
      return yield* new DeliberationConcurrencyConflict({
        topicId,
        expectedVersion,
        actualVersion: stored.length
      })
    const { events, state } = yield* Decider.execute(Deliberation.decider(input.config))(
      Deliberation.fold(stored),
      input.command
    )
    if (events.length > 0) yield* store.append({ topicId, expectedVersion, events })
    return state._tag === "Topic" ? state : yield* Effect.dieMessage("议事指令未产生议题 no topic")
  })

/**
 * 议事协商指标报告 — the indicators of a jurisdiction in a period: the total
 * and each unit's own (topics scoped to it).
 *
 * @since 0.1.0
 * @category models
 */
export interface MetricsReport {
  readonly within: string
  readonly period: DeliberationMetrics.Period
  readonly total: DeliberationMetrics.Metrics
  readonly byUnit: ReadonlyArray<{ readonly unitId: UnitId; readonly metrics: DeliberationMetrics.Metrics }>
}

/**
 * 议事协商指标 — `DeliberationMetrics` over the topics within a jurisdiction
 * in a period: meetings held, participation, turnout, proposals reaching the
 * agenda, resolutions implemented on time, publication timeliness.
 *
 * @since 0.1.0
 * @category use cases
 */
export const metrics = (
  within: string,
  period: DeliberationMetrics.Period,
  options: DeliberationMetrics.Options = {}
): Effect.Effect<MetricsReport, Hierarchy.UnitNotFound | StorageUnavailable, DeliberationRepository> =>
  Effect.gen(function* () {
    const store = yield* DeliberationRepository
    const topics = yield* store.topics({ within })
    const units = DeliberationMetrics.byUnit(topics, period, options)
    return {
      within,
      period,
      total: DeliberationMetrics.total(topics, period, options),
      byUnit: [...units.entries()]
        .sort(([a], [b]) => compare(a, b))
        .map(([unitId, m]) => ({ unitId, metrics: m }))
    }
  })

/**
 * 议事配置 — the configuration the decider needs, with the stored hierarchy
 * (a topic's unit and a resolution's owners are checked against it).
 *
 * @since 0.1.0
 * @category use cases
 */
export const configWith = (
  config: Omit<Deliberation.Config, "tasks"> & {
    readonly tasks?: Omit<Deliberation.Config["tasks"], "hierarchy">
  }
): Effect.Effect<Deliberation.Config, HierarchyNotFound | StorageUnavailable, HierarchyRepository> =>
  Effect.map(
    Effect.flatMap(HierarchyRepository, (hierarchies) => hierarchies.load),
    (hierarchy) => ({ ...config, tasks: { ...config.tasks, hierarchy } })
  )
