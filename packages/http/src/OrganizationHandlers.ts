/**
 * 组织与岗位处理器 — the `organization` group and the public `directory`
 * group: thin handlers over the core's `OrganizationRepository` and its use
 * cases (`check`, `directory`). Each checks `within` against the principal's
 * jurisdiction, calls one port method or use case, and maps the core's typed
 * errors; no rule is restated here.
 *
 * The organisation store is optional: a server whose repositories provide no
 * `OrganizationRepository` answers every endpoint of both groups with 503
 * `OrganizationUnavailable`. "Today" is read on `WorkingCalendar.china()`
 * (+08:00). The organisation check also reads the grid leaders of grid
 * staffing (`OrganizationRules.gridLeadersFromStaffing`) when a grid store is
 * there. The 公示牌 (`GET /directory/{building}`) needs no token: it shows
 * who serves a building with names and phones masked (`Resident.maskName`,
 * `Resident.maskPhone`, applied by the core), and the grid staffing of the
 * building's grids when a grid store is there. `GET /appraisals` is the
 * core's `OrganizationRepository.appraisalBoard` (绿橙红 with each cadre's
 * history); cadres' names are shown in full only to a principal with the
 * personal-data right (`Principal.canReadStaffData`), masked (`Mask.name`)
 * to everyone else.
 *
 * The founding of a compound's party organisation 小区党组织组建
 * (`POST /compound-foundings/{compoundId}/commands`) and award rounds 评选表彰
 * (`POST /awards/{roundId}/commands`) are the core's deciders run by its use
 * cases (`OrganizationRepository.handleFounding`, `handleAward`): the handler
 * checks that the compound and its community (the stored one, or the one
 * 找党员 names), or the round's unit (the stored one, or the one `Open`
 * names), lie within the principal's jurisdiction (else 404), fills in the day
 * (`on`, default today) and maps the refusals: `OrganizationCommandRefused`
 * (422, naming the rule), `OrganizationConflict` (409, a stale
 * `expectedVersion`). The public 评优公示 (`GET /award-notices/{unitId}`, no
 * token) lists the unit's rounds with nominees on notice today
 * (`Award.onNotice`), names masked (`Mask.name`), no ids of people, no phones.
 *
 * @since 0.1.0
 */
import * as Award from "@civicgrid/core/Award"
import * as Body from "@civicgrid/core/Body"
import type * as CadreAppraisal from "@civicgrid/core/CadreAppraisal"
import * as CompoundPartyFounding from "@civicgrid/core/CompoundPartyFounding"
import { GridRepository } from "@civicgrid/core/GridRepository"
import * as Hierarchy from "@civicgrid/core/Hierarchy"
import { HierarchyRepository } from "@civicgrid/core/HierarchyRepository"
import * as Membership from "@civicgrid/core/Membership"
import * as Org from "@civicgrid/core/OrganizationRepository"
import * as OrganizationRules from "@civicgrid/core/OrganizationRules"
import * as Period from "@civicgrid/core/Period"
import * as Post from "@civicgrid/core/Post"
import * as Score from "@civicgrid/core/Score"
import type { UnitId } from "@civicgrid/core/Unit"
import * as WorkingCalendar from "@civicgrid/core/WorkingCalendar"
import * as HttpApiBuilder from "@effect/platform/HttpApiBuilder"
import type * as HttpApiGroup from "@effect/platform/HttpApiGroup"
import * as Context from "effect/Context"
import * as DateTime from "effect/DateTime"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import {
  AccessRefused,
  Api,
  InvalidQuery,
  OrganizationCommandRefused,
  OrganizationConflict,
  OrganizationNotFound,
  OrganizationUnavailable
} from "./Api.js"
import type { Authorization } from "./Authorization.js"
import * as BodyGuard from "./BodyGuard.js"
import { optionKeepStorage } from "./internal/storage.js"
import * as Mask from "./Mask.js"
import { CurrentPrincipal, canReadStaffData, jurisdictionOf, type Principal } from "./Principal.js"

const calendar: WorkingCalendar.WorkingCalendar = WorkingCalendar.china()

const unavailable = new OrganizationUnavailable({
  message:
    "组织与岗位未配置：服务器没有组织仓库（OrganizationRepository） — the organisation store is not configured: the server provides no OrganizationRepository"
})

const unitNotFound = (unitId: string): OrganizationNotFound =>
  new OrganizationNotFound({
    resource: "unit",
    id: unitId,
    message: `单元不存在或不在您的辖区内：within "${unitId}" — no such unit in your jurisdiction: within "${unitId}"`
  })

const buildingNotFound = (buildingId: string): OrganizationNotFound =>
  new OrganizationNotFound({
    resource: "building",
    id: buildingId,
    message: `楼栋不存在：building "${buildingId}" — no such building: building "${buildingId}"`
  })

const roundNotFound = (roundId: string): OrganizationNotFound =>
  new OrganizationNotFound({
    resource: "round",
    id: roundId,
    message: `评选不存在或不在您的辖区内：round "${roundId}" — no such award round in your jurisdiction: round "${roundId}"`
  })

const publicUnitNotFound = (unitId: string): OrganizationNotFound =>
  new OrganizationNotFound({
    resource: "unit",
    id: unitId,
    message: `单元不存在：unit "${unitId}" — no such unit: unit "${unitId}"`
  })

const foundingRefused = (e: CompoundPartyFounding.FoundingRefused): OrganizationCommandRefused =>
  new OrganizationCommandRefused({
    subject: "founding",
    id: e.compoundId,
    command: e.step,
    rule: e.rules[0],
    rules: e.rules,
    personIds: e.personIds,
    message: `组建指令被拒 command refused — ${e.message}`
  })

const awardRefused = (e: Award.AwardRefused): OrganizationCommandRefused =>
  new OrganizationCommandRefused({
    subject: "award",
    id: e.roundId,
    command: e.command,
    rule: e.rules[0],
    rules: e.rules,
    personIds: e.nomineeIds,
    message: `评选指令被拒 command refused — ${e.message}`
  })

const conflict = (
  subject: "founding" | "award",
  e: Org.FoundingConcurrencyConflict | Org.AwardConcurrencyConflict
): OrganizationConflict =>
  new OrganizationConflict({
    subject,
    id: e._tag === "FoundingConcurrencyConflict" ? e.compoundId : e.roundId,
    expectedVersion: e.expectedVersion,
    actualVersion: e.actualVersion,
    message: e.message
  })

const foundingView = (f: Org.Founding) => {
  const next = CompoundPartyFounding.nextStep(f) ?? null
  return {
    compoundId: f.compoundId,
    communityId: f.communityId,
    version: f.version,
    done: f.done,
    next,
    nextName: next === null ? null : CompoundPartyFounding.stepNames[next],
    founded: CompoundPartyFounding.isFounded(f),
    since: f.since,
    lastOn: f.lastOn,
    foundedOn: f.foundedOn ?? null,
    found: f.found,
    transferred: f.transferred,
    bodyId: f.bodyId ?? null,
    secretaryId: f.secretaryId ?? null,
    committee: f.committee ?? [],
    commitments: f.commitments ?? []
  }
}

const noJurisdiction = (principal: Principal): AccessRefused =>
  new AccessRefused({
    field: "role",
    rule: "no-jurisdiction",
    message:
      principal.role === "resident"
        ? "居民没有辖区：组织机构与岗位由所在单元的工作人员查看（公示牌 /directory 公开） — a resident has no jurisdiction: bodies and posts are read by staff acting for a unit (the /directory board is public) (rule no-jurisdiction)"
        : "部门未授权辖区：组织机构与岗位仅在授权的辖区内查看 — a department without a granted subtree has no jurisdiction: bodies and posts are read within a granted subtree only (rule no-jurisdiction)"
  })

const lightView = (lit: CadreAppraisal.Lit) => ({
  period: lit.appraisal.period,
  label: Period.label(lit.appraisal.period),
  score: lit.appraisal.score,
  light: lit.light,
  lightName: Score.lightNames[lit.light],
  change: lit.change,
  ...(lit.appraisal.note === undefined ? {} : { note: lit.appraisal.note })
})

const today = Effect.map(DateTime.now, (now) => WorkingCalendar.dateOf(calendar, now))

/** The organisation store, or 503. */
const organizationStore = Effect.flatMap(Effect.serviceOption(Org.OrganizationRepository), (store) =>
  Option.match(store, {
    onNone: () => Effect.fail(unavailable),
    onSome: (repo) => Effect.succeed(repo)
  })
)

/**
 * The `organization` handlers (see the module notes).
 *
 * @since 0.1.0
 * @category layers
 */
export const layer: Layer.Layer<
  HttpApiGroup.ApiGroup<"civicgrid", "organization">,
  never,
  HierarchyRepository | Authorization
> = HttpApiBuilder.group(Api, "organization", (handlers) =>
  Effect.gen(function* () {
    const hierarchies = yield* HierarchyRepository
    const gridStore = yield* Effect.serviceOption(GridRepository)
    const store = yield* Effect.serviceOption(Org.OrganizationRepository)
    const withStore = <A, E>(
      use: (
        repo: Context.Tag.Service<Org.OrganizationRepository>,
        services: Context.Context<Org.OrganizationRepository | HierarchyRepository>
      ) => Effect.Effect<A, E, CurrentPrincipal>
    ) =>
      Option.match(store, {
        onNone: () => Effect.fail(unavailable),
        onSome: (repo) =>
          use(
            repo,
            Context.make(Org.OrganizationRepository, repo).pipe(Context.add(HierarchyRepository, hierarchies))
          )
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
          return yield* Effect.fail(unitNotFound(within))
        return within
      })

    const inScope = <A, E>(within: string, self: Effect.Effect<A, E | Hierarchy.UnitNotFound>) =>
      Effect.catchIf(
        self,
        (e): e is Hierarchy.UnitNotFound => e instanceof Hierarchy.UnitNotFound,
        () => Effect.fail(unitNotFound(within))
      )

    /** The names of the people among `ids`, masked without the staff-data right; `null` for one not stored. */
    const namesOf = (repo: Context.Tag.Service<Org.OrganizationRepository>, ids: ReadonlyArray<string>) =>
      Effect.gen(function* () {
        const full = canReadStaffData(yield* CurrentPrincipal)
        const people = new Map((yield* repo.people([...new Set(ids)])).map((p) => [p.id as string, p.name]))
        return (id: string): string | null => {
          const found = people.get(id)
          return found === undefined ? null : full ? found : Mask.name(found)
        }
      })

    /** Whether `unitId` lies within the principal's jurisdiction (refused naming the rule without one). */
    const inJurisdiction = Effect.gen(function* () {
      const principal = yield* CurrentPrincipal
      const root = jurisdictionOf(principal)
      if (root === undefined) return yield* Effect.fail(noJurisdiction(principal))
      const hierarchy = yield* optionKeepStorage(hierarchies.load)
      return (unitId: string): boolean =>
        Option.isSome(hierarchy) && Hierarchy.isWithin(hierarchy.value, unitId, root)
    })

    const roundView = (
      repo: Context.Tag.Service<Org.OrganizationRepository>,
      rounds: ReadonlyArray<Org.UnitRound>
    ) =>
      Effect.map(
        namesOf(
          repo,
          rounds.flatMap((r) => r.round.nominees.map((n) => n.id))
        ),
        (name) =>
          rounds.map(({ round, unitId }) => ({
            roundId: round.id,
            unitId,
            name: round.name,
            quota: round.quota,
            placesTaken: Award.placesTaken(round),
            noticeDays: round.noticeDays,
            version: round.version,
            lastOn: round.lastOn,
            nominees: round.nominees.map((n) => ({
              id: n.id,
              name: name(n.id),
              status: n.status,
              nominatedOn: n.nominatedOn,
              noticeFrom: n.noticeFrom ?? null,
              noticeEnds:
                n.noticeFrom === undefined ? null : Award.noticeEnds(n.noticeFrom, round.noticeDays),
              awardedOn: n.awardedOn ?? null
            })),
            awarded: Award.awarded(round)
          }))
      )

    return handlers
      .handle("foundings", ({ urlParams }) =>
        withStore((repo) =>
          Effect.flatMap(scoped(urlParams.within), (within) =>
            Effect.map(inScope(within, repo.foundings({ within })), (foundings) =>
              foundings.map(foundingView)
            )
          )
        )
      )
      .handle("foundingCommand", ({ path, payload }) =>
        withStore((repo, services) =>
          Effect.gen(function* () {
            const compoundId = path.compoundId
            const inside = yield* inJurisdiction
            // the compound and its community (stored, or named by 找党员) within the jurisdiction
            const stored = CompoundPartyFounding.fold(yield* repo.foundingEvents(compoundId))
            const body = payload.command
            const communityId =
              stored._tag === "Founding"
                ? stored.communityId
                : body._tag === "FindMembers"
                  ? body.communityId
                  : undefined
            if (!inside(compoundId) || (communityId !== undefined && !inside(communityId)))
              return yield* Effect.fail(unitNotFound(compoundId))
            const on = body.on ?? (yield* today)
            const founding = yield* Org.handleFounding({
              command: { ...body, compoundId, on },
              ...(payload.expectedVersion === undefined ? {} : { expectedVersion: payload.expectedVersion })
            }).pipe(
              Effect.provide(services),
              Effect.catchTags({
                FoundingRefused: (e) => Effect.fail(foundingRefused(e)),
                FoundingConcurrencyConflict: (e) => Effect.fail(conflict("founding", e)),
                UnitNotFound: () => Effect.fail(unitNotFound(compoundId)),
                FoundingReplayError: (e) => Effect.die(e)
              })
            )
            return foundingView(founding)
          })
        )
      )
      .handle("awards", ({ urlParams }) =>
        withStore((repo) =>
          Effect.gen(function* () {
            const within = yield* scoped(urlParams.within)
            return yield* roundView(repo, yield* inScope(within, repo.awards({ within })))
          })
        )
      )
      .handle("awardCommand", ({ path, payload }) =>
        withStore((repo, services) =>
          Effect.gen(function* () {
            const roundId = path.roundId
            const inside = yield* inJurisdiction
            const existing = yield* Effect.catchTag(repo.round(roundId), "RoundNotFound", () =>
              Effect.succeed(undefined)
            )
            const body = payload.command
            // the round's unit: the stored one, or the one it is opened in
            const unitId = existing?.unitId ?? (body._tag === "Open" ? body.unitId : undefined)
            if (unitId === undefined || (existing !== undefined && !inside(unitId)))
              return yield* Effect.fail(roundNotFound(roundId))
            if (!inside(unitId)) return yield* Effect.fail(unitNotFound(unitId))
            const on = body.on ?? (yield* today)
            const command: Award.Command =
              body._tag === "Open"
                ? {
                    _tag: "Open",
                    roundId,
                    on,
                    name: body.name,
                    quota: body.quota,
                    noticeDays: body.noticeDays
                  }
                : { ...body, roundId, on }
            const round = yield* Org.handleAward({
              command,
              unitId,
              ...(payload.expectedVersion === undefined ? {} : { expectedVersion: payload.expectedVersion })
            }).pipe(
              Effect.provide(services),
              Effect.catchTags({
                AwardRefused: (e) => Effect.fail(awardRefused(e)),
                AwardConcurrencyConflict: (e) => Effect.fail(conflict("award", e)),
                UnitNotFound: () => Effect.fail(unitNotFound(unitId)),
                AwardReplayError: (e) => Effect.die(e)
              })
            )
            const [view] = yield* roundView(repo, [round])
            return view ?? (yield* Effect.dieMessage("评选视图为空 no round view"))
          })
        )
      )
      .handle("bodies", ({ urlParams }) =>
        withStore((repo) =>
          Effect.flatMap(scoped(urlParams.within), (within) =>
            inScope(
              within,
              repo.bodies({ within, ...(urlParams.kind === undefined ? {} : { kinds: [urlParams.kind] }) })
            )
          )
        )
      )
      .handle("posts", ({ urlParams }) =>
        withStore((repo) =>
          Effect.gen(function* () {
            const within = yield* scoped(urlParams.within)
            const posts = yield* inScope(
              within,
              repo.posts({
                within,
                ...(urlParams.bodyId === undefined ? {} : { bodyId: urlParams.bodyId }),
                ...(urlParams.holder === undefined ? {} : { holder: urlParams.holder }),
                ...(urlParams.heldOn === undefined ? {} : { heldOn: urlParams.heldOn })
              })
            )
            const name = yield* namesOf(
              repo,
              posts.map((p) => p.holder)
            )
            return posts.map((p) => ({ ...p, holderName: name(p.holder) }))
          })
        )
      )
      .handle("indicators", ({ urlParams }) =>
        withStore((repo, services) =>
          Effect.gen(function* () {
            const within = yield* scoped(urlParams.within)
            const day = urlParams.on ?? (yield* today)
            const period =
              urlParams.period === undefined
                ? undefined
                : yield* Either.mapLeft(
                    Period.parse(urlParams.period),
                    (e) =>
                      new InvalidQuery({
                        violations: [{ field: "period", message: e.message }],
                        message: `查询无效 invalid query: period — ${e.message}`
                      })
                  )
            const report = yield* inScope(
              within,
              Effect.provide(
                Org.metrics(within, { day, ...(period === undefined ? {} : { period }) }),
                services
              )
            )
            const hierarchy = yield* optionKeepStorage(hierarchies.load)
            const unitName = (id: string): string =>
              Option.match(
                Option.flatMap(hierarchy, (h) => Hierarchy.get(h, id)),
                { onNone: () => id, onSome: (u) => u.name }
              )
            const weakAndLax = report.weakAndLax
            const flaggedNames =
              weakAndLax === undefined || weakAndLax.flagged.length === 0
                ? new Map<string, string>()
                : new Map(
                    (yield* inScope(within, repo.bodies({ ids: weakAndLax.flagged }))).map(
                      (b) => [b.id as string, b.name as string] as const
                    )
                  )
            return {
              within: report.within as UnitId,
              day: report.day,
              councilCoverage: report.councilCoverage,
              councilMembers: report.councilMembers,
              partyShareByPost: report.partyShareByPost.map((p) => {
                const name = Post.kindName(Post.defaultKinds, p.kind)
                return { kind: p.kind, name: name.zh, en: name.en, share: p.share }
              }),
              compoundManagement: report.compoundManagement,
              bodiesByKind: report.bodiesByKind.map((b) => {
                const kind = Option.getOrUndefined(Body.kindOf(Body.defaultKinds, b.kind))
                return { kind: b.kind, name: kind?.zh ?? b.kind, en: kind?.en ?? b.kind, count: b.count }
              }),
              patterns: report.patterns.map((p) => ({ ...p, name: unitName(p.unitId) })),
              weakAndLax:
                weakAndLax === undefined
                  ? null
                  : {
                      period: Period.label(weakAndLax.period),
                      flagged: weakAndLax.flagged.map((bodyId) => ({
                        bodyId,
                        name: flaggedNames.get(bodyId) ?? bodyId
                      })),
                      count: weakAndLax.count,
                      target: weakAndLax.target,
                      met: weakAndLax.met
                    }
            }
          })
        )
      )
      .handle("partyOrganisations", ({ urlParams }) =>
        withStore((repo) =>
          Effect.gen(function* () {
            const within = yield* scoped(urlParams.within)
            const day = urlParams.on ?? (yield* today)
            const bodies = (yield* inScope(within, repo.bodies({ within }))).filter(
              (b) => Body.classOf(Body.defaultKinds, b) === "party" && Body.existsOn(b, day)
            )
            const posts = yield* inScope(within, repo.posts({ within, heldOn: day }))
            const memberships = yield* inScope(within, repo.memberships({ within }))
            const shown = bodies.map((body) => ({
              body,
              posts: posts.filter((p) => p.bodyId === body.id),
              members: memberships.filter((m) => m.bodyId === body.id && Membership.heldOn(m, day))
            }))
            const name = yield* namesOf(
              repo,
              shown.flatMap((o) => [...o.posts.map((p) => p.holder), ...o.members.map((m) => m.personId)])
            )
            return shown.map((o) => ({
              body: o.body,
              posts: o.posts.map((p) => ({ ...p, holderName: name(p.holder) })),
              members: o.members.map((m) => ({ ...m, name: name(m.personId) }))
            }))
          })
        )
      )
      .handle("staffingCheck", ({ urlParams }) =>
        withStore((_, services) =>
          Effect.gen(function* () {
            const within = yield* scoped(urlParams.within)
            const day = urlParams.on ?? (yield* today)
            // grid leaders from grid staffing, when a grid store is there (checked by the same rule)
            const staffingGridLeaders = Option.isNone(gridStore)
              ? []
              : yield* Effect.map(inScope(within, gridStore.value.snapshot(within)), (snapshot) => {
                  const communityOf = new Map(
                    snapshot.grids.map((g) => [g.id as string, g.communityId] as const)
                  )
                  return OrganizationRules.gridLeadersFromStaffing(snapshot.assignments, (gridId) =>
                    communityOf.get(gridId)
                  )
                })
            const report = yield* inScope(
              within,
              Effect.provide(Org.check(within, { day, staffingGridLeaders }), services)
            )
            return {
              within,
              day: report.day,
              communities: report.communities,
              violations: report.organization.map((v) => ({
                rule: v.rule,
                problem: v.problem,
                ...(v.unitId === undefined ? {} : { unitId: v.unitId }),
                bodyIds: v.bodyIds,
                personIds: v.personIds,
                postIds: v.postIds,
                ...(v.expected === undefined ? {} : { expected: v.expected }),
                ...(v.found === undefined ? {} : { found: v.found }),
                ...(v.detail === undefined ? {} : { detail: v.detail }),
                message: v.message
              })),
              memberships: report.memberships.map((v) => ({
                rule: v.rule,
                personId: v.personId,
                bodyIds: v.bodyIds,
                message: v.message
              })),
              appraisals: report.appraisals.map((v) => ({
                rule: v.rule,
                cadreId: v.cadreId,
                period: v.period,
                message: v.message
              }))
            }
          })
        )
      )
      .handle("appraisals", ({ urlParams }) =>
        withStore((_, services) =>
          Effect.gen(function* () {
            const principal = yield* CurrentPrincipal
            const within = yield* scoped(urlParams.within)
            const period =
              urlParams.period === undefined
                ? undefined
                : yield* Either.mapLeft(
                    Period.parse(urlParams.period),
                    (e) =>
                      new InvalidQuery({
                        violations: [{ field: "period", message: e.message }],
                        message: `查询无效 invalid query: period — ${e.message}`
                      })
                  )
            const day = yield* today
            const board = yield* inScope(
              within,
              Effect.provide(
                Org.appraisalBoard(within, { day, ...(period === undefined ? {} : { period }) }),
                services
              )
            )
            const full = canReadStaffData(principal)
            return {
              within,
              period: period === undefined ? null : Period.label(period),
              namesMasked: !full,
              lights: board.lights,
              cadres: board.rows.map((row) => ({
                cadreId: row.cadreId,
                name: row.person === undefined ? null : full ? row.person.name : Mask.name(row.person.name),
                unitId: row.unitId,
                unitName: row.unitName,
                posts: row.posts.map((p) => ({
                  postId: p.post.id,
                  kind: p.post.kind,
                  kindZh: p.kindName.zh,
                  kindEn: p.kindName.en,
                  bodyId: p.post.bodyId,
                  bodyName: p.bodyName
                })),
                current: lightView(row.current),
                history: row.history.map(lightView)
              }))
            }
          })
        )
      )
  })
).pipe(Layer.provide(BodyGuard.layer))

/**
 * The public `directory` handler (see the module notes).
 *
 * @since 0.1.0
 * @category layers
 */
export const layerDirectory: Layer.Layer<
  HttpApiGroup.ApiGroup<"civicgrid", "directory">,
  never,
  HierarchyRepository
> = HttpApiBuilder.group(Api, "directory", (handlers) =>
  Effect.gen(function* () {
    const hierarchies = yield* HierarchyRepository
    const grids = yield* Effect.serviceOption(GridRepository)
    return handlers
      .handle("awardNotices", ({ path }) =>
        Effect.gen(function* () {
          const repo = yield* organizationStore
          const unitId = path.unitId
          const rounds = yield* repo
            .awards({ within: unitId })
            .pipe(Effect.catchTag("UnitNotFound", () => Effect.fail(publicUnitNotFound(unitId))))
          const day = yield* today
          const shown = rounds
            .filter((r) => r.unitId === unitId)
            .map(({ round }) => ({ round, nominees: Award.onNotice(round, day) }))
            .filter((r) => r.nominees.length > 0)
          const people = new Map(
            (yield* repo.people([...new Set(shown.flatMap((r) => r.nominees.map((n) => n.id)))])).map(
              (p) => [p.id as string, p.name] as const
            )
          )
          const hierarchy = yield* optionKeepStorage(hierarchies.load)
          const unit = Option.flatMap(hierarchy, (h) => Hierarchy.get(h, unitId))
          return {
            unitId,
            unitName: Option.match(unit, { onNone: () => null, onSome: (u) => u.name }),
            day,
            rounds: shown.map(({ round, nominees }) => ({
              name: round.name,
              quota: round.quota,
              noticeDays: round.noticeDays,
              nominees: nominees.map((n) => {
                const name = people.get(n.id)
                const from = n.noticeFrom ?? day
                return {
                  name: name === undefined ? null : Mask.name(name),
                  noticeFrom: from,
                  noticeEnds: Award.noticeEnds(from, round.noticeDays)
                }
              })
            }))
          }
        })
      )
      .handle("building", ({ path }) =>
        Effect.gen(function* () {
          const repo = yield* organizationStore
          const buildingId = path.building
          const hierarchy = yield* optionKeepStorage(hierarchies.load)
          const line = Option.flatMap(hierarchy, (h) => Hierarchy.path(h, buildingId))
          // a unit below a community or village (a building, a stairwell …), not a community or above
          const community = Option.flatMap(line, (units) =>
            Option.fromNullable(units.find((u) => Org.defaultCommunityLevels.includes(u.level)))
          )
          if (Option.isNone(line) || Option.isNone(community) || community.value.id === buildingId)
            return yield* Effect.fail(buildingNotFound(buildingId))
          const building = line.value[line.value.length - 1]
          const day = yield* today
          // the grids covering the building and their staffing, when a grid store is there
          const staffing = Option.isNone(grids)
            ? undefined
            : yield* Effect.map(
                Effect.catchTag(grids.value.snapshot(community.value.id), "UnitNotFound", () =>
                  Effect.succeed({ grids: [], buildings: [], people: [], assignments: [] })
                ),
                (snapshot) => ({
                  grids: snapshot.grids.filter((g) => g.buildingIds.includes(buildingId)).map((g) => g.id),
                  staffing: { assignments: snapshot.assignments, people: snapshot.people }
                })
              )
          const entries = yield* Org.directory(buildingId, {
            day,
            ...(staffing === undefined ? {} : staffing)
          }).pipe(
            Effect.provideService(Org.OrganizationRepository, repo),
            Effect.provideService(HierarchyRepository, hierarchies),
            Effect.catchTag("UnitNotFound", () => Effect.fail(buildingNotFound(buildingId)))
          )
          return {
            buildingId,
            buildingName: building?.name ?? "",
            day,
            entries: entries.map((e) => ({
              source: e.source,
              kind: e.kind,
              kindZh: e.kindName.zh,
              kindEn: e.kindName.en,
              ...(e.bodyId === undefined ? {} : { bodyId: e.bodyId }),
              ...(e.bodyName === undefined ? {} : { bodyName: e.bodyName }),
              ...(e.unitId === undefined ? {} : { unitId: e.unitId }),
              ...(e.gridId === undefined ? {} : { gridId: e.gridId }),
              ...(e.name === undefined ? {} : { name: e.name }),
              ...(e.phone === undefined ? {} : { phone: e.phone })
            }))
          }
        })
      )
  })
)
