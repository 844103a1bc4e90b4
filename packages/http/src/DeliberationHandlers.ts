/**
 * 议事协商处理器 — the `deliberation` group and the public `publications`
 * group: thin handlers over the core's `DeliberationRepository` and its use
 * case `handle` (load → `Deliberation.decider` → append). Each builds the
 * command from the request — the topic from the path, the actor from the
 * principal (`Principal.toActor`), the time now — calls the use case or one
 * port method, and maps the core's typed errors; no rule is restated here:
 * who may act, a vote cast once and only by an elector on the roll, the
 * co-signing threshold, the quorum and the community work access list are the
 * decider's.
 *
 * The deliberation store is optional: a server whose repositories provide no
 * `DeliberationRepository` answers every endpoint of both groups with 503
 * `DeliberationUnavailable`. The configuration (the proposal rule, the
 * meeting kinds, the access list) is `Settings` (`layerWith`; `layer` uses the
 * core's defaults); the hierarchy is the stored one. Reads are within the
 * principal's jurisdiction; command answers are a receipt (id, version,
 * status), never other people's ballots. `GET /deliberation/indicators` is
 * the core's `DeliberationRepository.metrics` over the span of a period label
 * (`DeliberationMetrics.spanOf`: a year, quarter, month, week or day, or a
 * range), with unit names from the hierarchy. `GET /publications` needs no token
 * and shows no personal data (`DeliberationRepository.PublicEntry`).
 * `POST /publications` publishes a disclosure no meeting produced
 * (`Deliberation.Disclose`: 财务公开, 政务公开) in the principal's
 * jurisdiction; `GET /rule-documents/{unitId}` (no token) shows a unit's rule
 * documents adopted by resolution (`Deliberation.ruleDocuments`) with the
 * version in force; `GET /deliberation/config` shows the settings decided with
 * ({@link configView}).
 *
 * @since 0.1.0
 */
import type * as AccessList from "@civicgrid/core/AccessList"
import * as Deliberation from "@civicgrid/core/Deliberation"
import * as DeliberationMetrics from "@civicgrid/core/DeliberationMetrics"
import * as Repo from "@civicgrid/core/DeliberationRepository"
import * as Hierarchy from "@civicgrid/core/Hierarchy"
import { HierarchyRepository } from "@civicgrid/core/HierarchyRepository"
import * as Meeting from "@civicgrid/core/Meeting"
import * as Proposal from "@civicgrid/core/Proposal"
import * as Publication from "@civicgrid/core/Publication"
import type { UnitId } from "@civicgrid/core/Unit"
import * as Vote from "@civicgrid/core/Vote"
import * as HttpApiBuilder from "@effect/platform/HttpApiBuilder"
import type * as HttpApiGroup from "@effect/platform/HttpApiGroup"
import type * as Context from "effect/Context"
import * as DateTime from "effect/DateTime"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import {
  AccessRefused,
  Api,
  DeliberationCommandRefused,
  DeliberationConflict,
  DeliberationNotFound,
  DeliberationUnavailable,
  InvalidQuery
} from "./Api.js"
import type { Authorization } from "./Authorization.js"
import * as BodyGuard from "./BodyGuard.js"
import { optionKeepStorage } from "./internal/storage.js"
import { CurrentPrincipal, jurisdictionOf, type Principal, toActor } from "./Principal.js"

/**
 * 议事配置 — the proposal rule (co-signers to reach the agenda, the roster of
 * resident representatives), the meeting kinds and the community work access
 * list resolutions are checked against.
 *
 * @since 0.1.0
 * @category models
 */
export interface Settings {
  readonly proposal?: Proposal.ProposalRule
  /** 公开时限(天) — the publication window of the indicators (default `DeliberationMetrics.defaultPublicationDays`). */
  readonly publicationDays?: number
  readonly meetingKinds?: ReadonlyArray<Meeting.Kind>
  readonly accessList?: AccessList.AccessList
}

const unavailable = new DeliberationUnavailable({
  message:
    "议事协商未配置：服务器没有议事仓库（DeliberationRepository） — deliberation is not configured: the server provides no DeliberationRepository"
})

const notFound = (resource: "topic" | "unit", id: string): DeliberationNotFound =>
  new DeliberationNotFound({
    resource,
    id,
    message:
      resource === "topic"
        ? `议题不存在：id "${id}" — no such topic: id "${id}"`
        : `单元不存在或不在您的辖区内：within "${id}" — no such unit in your jurisdiction: within "${id}"`
  })

const noJurisdiction = (principal: Principal): AccessRefused =>
  new AccessRefused({
    field: "role",
    rule: "no-jurisdiction",
    message:
      principal.role === "resident"
        ? "居民没有辖区：议题、会议与议定事项由所在单元的工作人员查看（公开栏 /publications 公开） — a resident has no jurisdiction: topics, meetings and resolutions are read by staff acting for a unit (the /publications board is public) (rule no-jurisdiction)"
        : "部门未授权辖区：议事协商仅在授权的辖区内查看 — a department without a granted subtree has no jurisdiction (rule no-jurisdiction)"
  })

const refused = (e: Deliberation.DeliberationRefused): DeliberationCommandRefused =>
  new DeliberationCommandRefused({
    topicId: e.topicId,
    command: e.command,
    status: e.status,
    rule: e.rule,
    detail: e.detail,
    message: `议事指令被拒 command refused — ${e.message}`
  })

const conflict = (e: Repo.DeliberationConcurrencyConflict): DeliberationConflict =>
  new DeliberationConflict({
    topicId: e.topicId,
    expectedVersion: e.expectedVersion,
    actualVersion: e.actualVersion,
    message: e.message
  })

const invalidPeriod = (field: "period" | "to", message: string): InvalidQuery =>
  new InvalidQuery({
    violations: [{ field, message }],
    message: `查询无效 invalid query: ${field} — ${message}`
  })

const metricsView = (m: DeliberationMetrics.Metrics) => ({
  meetingsHeld: m.meetingsHeld,
  participation: m.participation,
  turnout: m.turnout,
  proposalsOnAgenda: m.proposalsOnAgenda,
  resolutionsOnTime: m.resolutionsOnTime,
  publicationTimely: m.publicationTimely
})

/**
 * 议事配置视图 — what `GET /deliberation/config` answers: the settings this
 * server decides with, the core's defaults where none are given.
 *
 * @since 0.1.0
 * @category getters
 */
export const configView = (settings: Settings = {}) => {
  const proposal = settings.proposal ?? Proposal.defaultRule
  return {
    proposal: {
      minCosigners: proposal.minCosigners,
      roster: proposal.representatives !== undefined,
      representatives: proposal.representatives?.length ?? 0
    },
    meetingKinds: (settings.meetingKinds ?? Meeting.defaultKinds).map((k) => ({
      id: k.id,
      name: k.name,
      en: Meeting.englishName(k),
      quorum: k.quorum
    })),
    vote: {
      fractions: Vote.fractionPresets.map((f) => ({ ...f })),
      comparisons: (["more-than", "at-least"] as const).map((id) => ({ id, ...Vote.comparisonNames[id] })),
      bases: (["cast", "electorate"] as const).map((id) => ({ id, ...Vote.baseNames[id] })),
      electorateBases: Vote.ElectorateBasis.literals.map((id) => ({
        id,
        name: Vote.basisNames[id],
        en: Vote.basisNamesEn[id]
      })),
      defaultThreshold: Vote.defaultThreshold
    },
    publicationCategories: Publication.Category.literals.map((id) => ({
      id,
      name: Publication.categoryNames[id],
      en: Publication.categoryNamesEn[id],
      retentionDays: Publication.defaultRetentionDays[id]
    })),
    publicationDays: settings.publicationDays ?? DeliberationMetrics.defaultPublicationDays
  }
}

const receipt = (topic: Deliberation.Topic) => ({
  id: topic.id,
  version: topic.version,
  status: topic.status
})

/**
 * The `deliberation` handlers with a configuration (see the module notes).
 *
 * @since 0.1.0
 * @category layers
 */
export const layerWith = (
  settings: Settings = {}
): Layer.Layer<
  HttpApiGroup.ApiGroup<"civicgrid", "deliberation">,
  never,
  HierarchyRepository | Authorization
> =>
  HttpApiBuilder.group(Api, "deliberation", (handlers) =>
    Effect.gen(function* () {
      const hierarchies = yield* HierarchyRepository
      const store = yield* Effect.serviceOption(Repo.DeliberationRepository)
      const withStore = <A, E>(
        use: (repo: Context.Tag.Service<Repo.DeliberationRepository>) => Effect.Effect<A, E, CurrentPrincipal>
      ) => Option.match(store, { onNone: () => Effect.fail(unavailable), onSome: use })

      /** Decides and appends one command as the principal, now. */
      const run = (
        repo: Context.Tag.Service<Repo.DeliberationRepository>,
        topicId: Deliberation.TopicId,
        expectedVersion: number | undefined,
        make: (meta: {
          readonly topicId: Deliberation.TopicId
          readonly actor: ReturnType<typeof toActor>
          readonly at: DateTime.Utc
        }) => Deliberation.Command
      ) =>
        Effect.gen(function* () {
          const principal = yield* CurrentPrincipal
          const hierarchy = yield* optionKeepStorage(hierarchies.load)
          if (Option.isNone(hierarchy)) return yield* Effect.fail(notFound("unit", principal.unitId))
          const at = yield* DateTime.now
          const command = make({ topicId, actor: toActor(principal, hierarchy), at })
          const config: Deliberation.Config = {
            proposal: settings.proposal ?? Proposal.defaultRule,
            meetingKinds: settings.meetingKinds ?? Meeting.defaultKinds,
            tasks: {
              hierarchy: hierarchy.value,
              ...(settings.accessList === undefined ? {} : { accessList: settings.accessList })
            }
          }
          const topic = yield* Repo.handle({
            command,
            config,
            ...(expectedVersion === undefined ? {} : { expectedVersion })
          }).pipe(
            Effect.provideService(Repo.DeliberationRepository, repo),
            Effect.catchTags({
              DeliberationRefused: (e) =>
                e.rule === "topic-not-found"
                  ? Effect.fail(notFound("topic", e.topicId))
                  : Effect.fail(refused(e)),
              DeliberationConcurrencyConflict: (e) => Effect.fail(conflict(e)),
              UnitNotFound: (e) => Effect.fail(notFound("unit", e.unitId)),
              DeliberationReplayError: (e) => Effect.die(e)
            })
          )
          return receipt(topic)
        })

      /**
       * `within` checked against the principal's jurisdiction (default: the
       * jurisdiction); a principal without one is refused naming the rule.
       */
      const scoped = (within: UnitId | undefined) =>
        Effect.gen(function* () {
          const principal = yield* CurrentPrincipal
          const root = jurisdictionOf(principal)
          if (root === undefined) return yield* Effect.fail(noJurisdiction(principal))
          if (within === undefined) return root
          const hierarchy = yield* optionKeepStorage(hierarchies.load)
          if (Option.isNone(hierarchy) || !Hierarchy.isWithin(hierarchy.value, within, root))
            return yield* Effect.fail(notFound("unit", within))
          return within
        })

      const topicsOf = (
        repo: Context.Tag.Service<Repo.DeliberationRepository>,
        params: { readonly within?: UnitId; readonly status?: Deliberation.Status }
      ) =>
        Effect.flatMap(scoped(params.within), (within) =>
          repo
            .topics({ within, ...(params.status === undefined ? {} : { statuses: [params.status] }) })
            .pipe(Effect.catchTag("UnitNotFound", () => Effect.fail(notFound("unit", within))))
        )

      return handlers
        .handle("propose", ({ payload }) =>
          withStore((repo) =>
            Effect.gen(function* () {
              const { id, ...fields } = payload
              const topicId = id ?? Deliberation.TopicId.make(`topic-${globalThis.crypto.randomUUID()}`)
              return yield* run(repo, topicId, 0, (meta) => ({ _tag: "Submit", ...meta, ...fields }))
            })
          )
        )
        .handle("command", ({ path, payload }) =>
          withStore((repo) =>
            run(repo, path.id, payload.expectedVersion, (meta) => ({ ...payload.command, ...meta }))
          )
        )
        .handle("ballot", ({ path, payload }) =>
          withStore((repo) =>
            Effect.flatMap(CurrentPrincipal, (principal) =>
              run(repo, path.id, payload.expectedVersion, (meta) => ({
                _tag: "CastBallot",
                ...meta,
                ballot: {
                  voterId: payload.voterId ?? Vote.VoterId.make(principal.id),
                  option: payload.option
                }
              }))
            )
          )
        )
        .handle("disclose", ({ payload }) =>
          withStore((repo) =>
            Effect.gen(function* () {
              const { id, ...fields } = payload
              const topicId = id ?? Deliberation.TopicId.make(`disclosure-${globalThis.crypto.randomUUID()}`)
              return yield* run(repo, topicId, 0, (meta) => ({ _tag: "Disclose", ...meta, ...fields }))
            })
          )
        )
        .handle("config", () => Effect.succeed(configView(settings)))
        .handle("proposals", ({ urlParams }) => withStore((repo) => topicsOf(repo, urlParams)))
        .handle("meetings", ({ urlParams }) =>
          withStore((repo) =>
            Effect.map(topicsOf(repo, urlParams), (topics) =>
              topics.flatMap((t) =>
                t.meeting === null || t.heldAt === null
                  ? []
                  : [
                      {
                        topicId: t.id,
                        unitId: t.unitId,
                        title: t.title,
                        status: t.status,
                        meeting: t.meeting,
                        heldAt: t.heldAt
                      }
                    ]
              )
            )
          )
        )
        .handle("resolutions", ({ urlParams }) =>
          withStore((repo) =>
            Effect.map(topicsOf(repo, urlParams), (topics) =>
              topics.flatMap((t) =>
                t.resolutionText === null || t.resolvedAt === null
                  ? []
                  : [
                      {
                        topicId: t.id,
                        unitId: t.unitId,
                        title: t.title,
                        status: t.status,
                        text: t.resolutionText,
                        resolvedAt: t.resolvedAt,
                        tasks: t.tasks,
                        implementedAt: t.implementedAt,
                        implementedOnTime: t.implementedOnTime
                      }
                    ]
              )
            )
          )
        )
        .handle("indicators", ({ urlParams }) =>
          withStore((repo) =>
            Effect.gen(function* () {
              const within = yield* scoped(urlParams.within)
              const period = yield* Either.mapLeft(
                DeliberationMetrics.spanOf(urlParams.period, urlParams.to),
                (e) => invalidPeriod(e.label === urlParams.period ? "period" : "to", e.message)
              )
              const publicationDays = settings.publicationDays ?? DeliberationMetrics.defaultPublicationDays
              const report = yield* Repo.metrics(within, period, { publicationDays }).pipe(
                Effect.provideService(Repo.DeliberationRepository, repo),
                Effect.catchTag("UnitNotFound", () => Effect.fail(notFound("unit", within)))
              )
              const hierarchy = Option.getOrUndefined(yield* optionKeepStorage(hierarchies.load))
              const unitOf = (id: UnitId) =>
                hierarchy === undefined ? undefined : Option.getOrUndefined(Hierarchy.get(hierarchy, id))
              return {
                within,
                withinName: unitOf(within)?.name ?? within,
                period: urlParams.period,
                to: urlParams.to ?? null,
                start: period.start,
                end: period.end,
                publicationDays,
                total: metricsView(report.total),
                units: report.byUnit.map(({ unitId, metrics }) => {
                  const unit = unitOf(unitId)
                  return {
                    unitId,
                    name: unit?.name ?? unitId,
                    level: unit?.level ?? "",
                    metrics: metricsView(metrics)
                  }
                })
              }
            })
          )
        )
    })
  ).pipe(Layer.provide(BodyGuard.layer))

/**
 * The `deliberation` handlers with the core's defaults (proposal rule,
 * meeting kinds, no access list).
 *
 * @since 0.1.0
 * @category layers
 */
export const layer: Layer.Layer<
  HttpApiGroup.ApiGroup<"civicgrid", "deliberation">,
  never,
  HierarchyRepository | Authorization
> = layerWith()

/**
 * The public `publications` handler (see the module notes).
 *
 * @since 0.1.0
 * @category layers
 */
export const layerPublications: Layer.Layer<HttpApiGroup.ApiGroup<"civicgrid", "publications">> =
  HttpApiBuilder.group(Api, "publications", (handlers) =>
    Effect.gen(function* () {
      const store = yield* Effect.serviceOption(Repo.DeliberationRepository)
      const hierarchies = yield* Effect.serviceOption(HierarchyRepository)
      /** Unit names from the hierarchy, when the server has one (public: names of units, no personal data). */
      const unitNames = Option.match(hierarchies, {
        onNone: () => Effect.succeed((_: string): string | null => null),
        onSome: (repo) =>
          Effect.map(
            Effect.option(repo.load),
            (loaded) =>
              (id: string): string | null =>
                Option.match(
                  Option.flatMap(loaded, (h) => Hierarchy.get(h, id)),
                  { onNone: () => null, onSome: (u) => u.name }
                )
          )
      })
      return handlers
        .handle("ruleDocuments", ({ path }) =>
          Option.match(store, {
            onNone: () => Effect.fail(unavailable),
            onSome: (repo) =>
              Effect.gen(function* () {
                const now = yield* DateTime.now
                const topics = yield* repo
                  .topics({ within: path.unitId })
                  .pipe(Effect.catchTag("UnitNotFound", (e) => Effect.fail(notFound("unit", e.unitId))))
                const name = yield* unitNames
                return Deliberation.ruleDocuments(topics.filter((t) => t.unitId === path.unitId)).map(
                  (d) => ({
                    id: d.id,
                    scope: d.scope,
                    scopeName: name(d.scope),
                    title: d.title,
                    current: Publication.versionAt(d, now) ?? null,
                    versions: d.versions
                  })
                )
              })
          })
        )
        .handle("list", ({ urlParams }) =>
          Option.match(store, {
            onNone: () => Effect.fail(unavailable),
            onSome: (repo) =>
              Effect.flatMap(DateTime.now, (now) =>
                repo
                  .publications({
                    now,
                    ...(urlParams.within === undefined ? {} : { within: urlParams.within })
                  })
                  .pipe(
                    Effect.catchTag("UnitNotFound", (e) => Effect.fail(notFound("unit", e.unitId))),
                    Effect.flatMap((entries) =>
                      Effect.map(unitNames, (name) =>
                        entries.map((e) => ({ ...e, scopeName: name(e.scope) }))
                      )
                    )
                  )
              )
          })
        )
    })
  )
