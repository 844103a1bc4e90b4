/**
 * 组织与岗位仓库（SQL） — the core's `OrganizationRepository` on `@effect/sql`,
 * the same code for SQLite and PostgreSQL. Needs the migrations applied
 * (`Migrations.run`, 0026; populations and staff placements 0027; weak-and-lax
 * flags 0030).
 *
 * - Bodies, posts, memberships, compounds, populations, people, appraisals and
 *   weak-and-lax flags: each write
 *   is one transaction that looks up the units and bodies it names, is checked
 *   by the core (`OrganizationRepository.checkUnits`, `checkBodies`) and
 *   upserts in multi-row batches (the last of each key in a batch). A row
 *   keeps the columns queries filter on next to the record encoded with its
 *   core schema (`doc`), so a round trip is exact.
 * - Reads by jurisdiction are in the query: the unit column (a body's, a
 *   compound's own id, an appraisal's, a round's; posts, memberships and
 *   weak-and-lax flags through their body) joins `cg_units` and selects a range of its path
 *   index — nothing outside the jurisdiction leaves the database.
 * - Foundings and award rounds: an append locks the stream's state row
 *   (`FOR UPDATE` on PostgreSQL), checks the expected version and the whole
 *   history with the core (`checkFoundingAppend`, `checkAwardAppend`),
 *   inserts the events and upserts the state in the same transaction. Primary
 *   key (stream, sequence) makes a racing writer fail; that failure is
 *   reported as `FoundingConcurrencyConflict` / `AwardConcurrencyConflict`
 *   with the version it lost to.
 *
 * @since 0.1.0
 */
import * as Award from "@civicgrid/core/Award"
import * as Body from "@civicgrid/core/Body"
import * as CadreAppraisal from "@civicgrid/core/CadreAppraisal"
import * as Compound from "@civicgrid/core/Compound"
import * as CompoundPartyFounding from "@civicgrid/core/CompoundPartyFounding"
import * as Membership from "@civicgrid/core/Membership"
import * as OrganizationMetrics from "@civicgrid/core/OrganizationMetrics"
import {
  AwardConcurrencyConflict,
  appraisalKey,
  type BodyQuery,
  byId,
  checkAwardAppend,
  checkBodies,
  checkFoundingAppend,
  checkUnits,
  type Founding,
  FoundingConcurrencyConflict,
  lastByKey,
  type MembershipQuery,
  membershipBodies,
  membershipKey,
  OrganizationRepository,
  orderAppraisals,
  orderMemberships,
  orderWeakAndLaxFlags,
  Population,
  type PostQuery,
  placementKey,
  postBodies,
  RoundNotFound,
  referencedUnits,
  StaffPlacement,
  type UnitAppraisal,
  type UnitRound,
  type Within,
  weakAndLaxKey
} from "@civicgrid/core/OrganizationRepository"
import * as Post from "@civicgrid/core/Post"
import * as Staffing from "@civicgrid/core/Staffing"
import { UnitId } from "@civicgrid/core/Unit"
import * as SqlClient from "@effect/sql/SqlClient"
import type { Fragment } from "@effect/sql/Statement"
import type * as Context from "effect/Context"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import { eventStream } from "./internal/eventStream.js"
import { existing, fromJson, inList, orDie, storeOps, toJson } from "./internal/support.js"

const encodeBody = toJson(Body.Body)
const decodeBody = fromJson(Body.Body)
const encodePost = toJson(Post.Post)
const decodePost = fromJson(Post.Post)
const encodeMembership = toJson(Membership.Membership)
const decodeMembership = fromJson(Membership.Membership)
const encodeCompound = toJson(Compound.Compound)
const decodeCompound = fromJson(Compound.Compound)
const encodePopulation = toJson(Population)
const decodePopulation = fromJson(Population)
const encodePlacement = toJson(StaffPlacement)
const decodePlacement = fromJson(StaffPlacement)
const encodePerson = toJson(Staffing.Person)
const decodePerson = fromJson(Staffing.Person)
const encodeAppraisal = toJson(CadreAppraisal.Appraisal)
const decodeAppraisal = fromJson(CadreAppraisal.Appraisal)
const encodeWeakAndLax = toJson(OrganizationMetrics.WeakAndLaxFlag)
const decodeWeakAndLax = fromJson(OrganizationMetrics.WeakAndLaxFlag)
const encodeFoundingEvent = toJson(CompoundPartyFounding.Event)
const decodeFoundingEvent = fromJson(CompoundPartyFounding.Event)
const encodeAwardEvent = toJson(Award.Event)
const decodeAwardEvent = fromJson(Award.Event)

/** Groups event rows by stream (rows in stream, then sequence order). */
const grouped = <R extends { readonly id: string; readonly event: string }>(
  rows: ReadonlyArray<R>
): ReadonlyArray<readonly [R, ReadonlyArray<string>]> => {
  const out: Array<readonly [R, Array<string>]> = []
  for (const row of rows) {
    const last = out[out.length - 1]
    if (last !== undefined && last[0].id === row.id) last[1].push(row.event)
    else out.push([row, [row.event]])
  }
  return out
}

const unit = (id: string): UnitId => UnitId.make(id, { disableValidation: true })

/**
 * Builds the SQL organisation store.
 *
 * @since 0.1.0
 * @category constructors
 */
export const make: Effect.Effect<
  Context.Tag.Service<OrganizationRepository>,
  never,
  SqlClient.SqlClient
> = Effect.gen(function* () {
  const sql = yield* SqlClient.SqlClient

  const { each, write, read, scoped } = storeOps(sql)

  // -- bodies ----------------------------------------------------------------

  const putBodies = (bodies: ReadonlyArray<Body.Body>) =>
    write(
      Effect.gen(function* () {
        const ids = referencedUnits({ bodies })
        yield* checkUnits(ids, yield* existing(sql, "cg_units", ids))
        yield* each(
          lastByKey(bodies, (b) => b.id).map((b) => ({
            id: b.id,
            unit_id: b.unitId,
            kind: b.kind,
            doc: encodeBody(b)
          })),
          (batch) => sql`INSERT INTO cg_org_bodies ${sql.insert(batch)} ON CONFLICT (id) DO UPDATE SET
              unit_id = excluded.unit_id, kind = excluded.kind, doc = excluded.doc`
        )
      })
    )

  const bodies = (query?: BodyQuery) =>
    read(
      Effect.gen(function* () {
        const scope = yield* scoped(query?.within, "b.unit_id")
        const where = [
          ...scope.where,
          ...(query?.kinds === undefined ? [] : [inList(sql, "b.kind", query.kinds)]),
          ...(query?.ids === undefined ? [] : [inList(sql, "b.id", query.ids)])
        ]
        const rows = yield* sql<{ readonly doc: string }>`SELECT b.doc FROM cg_org_bodies b ${scope.join}
            WHERE ${sql.and(where)}`
        return byId(rows.map((r) => decodeBody(r.doc)))
      })
    )

  // -- posts -----------------------------------------------------------------

  const putPosts = (posts: ReadonlyArray<Post.Post>) =>
    write(
      Effect.gen(function* () {
        const ids = postBodies(posts)
        yield* checkBodies(ids, yield* existing(sql, "cg_org_bodies", ids))
        yield* each(
          lastByKey(posts, (p) => p.id).map((p) => ({
            id: p.id,
            body_id: p.bodyId,
            holder: p.holder,
            since: p.since,
            until: p.until ?? null,
            doc: encodePost(p)
          })),
          (batch) => sql`INSERT INTO cg_org_posts ${sql.insert(batch)} ON CONFLICT (id) DO UPDATE SET
              body_id = excluded.body_id, holder = excluded.holder, since = excluded.since,
              until = excluded.until, doc = excluded.doc`
        )
      })
    )

  const posts = (query?: PostQuery) =>
    read(
      Effect.gen(function* () {
        const scope = yield* scoped(query?.within, "b.unit_id")
        const day = query?.heldOn
        const where = [
          ...scope.where,
          ...(query?.bodyId === undefined ? [] : [sql`p.body_id = ${query.bodyId}`]),
          ...(query?.holder === undefined ? [] : [sql`p.holder = ${query.holder}`]),
          ...(day === undefined ? [] : [sql`p.since <= ${day} AND (p.until IS NULL OR p.until >= ${day})`])
        ]
        const rows = yield* sql<{ readonly doc: string }>`SELECT p.doc FROM cg_org_posts p
            JOIN cg_org_bodies b ON b.id = p.body_id ${scope.join}
            WHERE ${sql.and(where)}`
        return byId(rows.map((r) => decodePost(r.doc)))
      })
    )

  // -- memberships -----------------------------------------------------------

  const putMemberships = (memberships: ReadonlyArray<Membership.Membership>) =>
    write(
      Effect.gen(function* () {
        const ids = membershipBodies(memberships)
        yield* checkBodies(ids, yield* existing(sql, "cg_org_bodies", ids))
        yield* each(
          lastByKey(memberships, membershipKey).map((m) => ({
            person_id: m.personId,
            body_id: m.bodyId,
            kind: m.kind,
            since: m.since,
            doc: encodeMembership(m)
          })),
          (batch) => sql`INSERT INTO cg_org_memberships ${sql.insert(batch)}
              ON CONFLICT (person_id, body_id, kind, since) DO UPDATE SET doc = excluded.doc`
        )
      })
    )

  const memberships = (query?: MembershipQuery) =>
    read(
      Effect.gen(function* () {
        const scope = yield* scoped(query?.within, "b.unit_id")
        const where = [
          ...scope.where,
          ...(query?.bodyId === undefined ? [] : [sql`m.body_id = ${query.bodyId}`])
        ]
        const rows = yield* sql<{ readonly doc: string }>`SELECT m.doc FROM cg_org_memberships m
            JOIN cg_org_bodies b ON b.id = m.body_id ${scope.join}
            WHERE ${sql.and(where)}`
        return orderMemberships(rows.map((r) => decodeMembership(r.doc)))
      })
    )

  // -- compounds -------------------------------------------------------------

  const putCompounds = (compounds: ReadonlyArray<Compound.Compound>) =>
    write(
      Effect.gen(function* () {
        const ids = referencedUnits({ compounds })
        yield* checkUnits(ids, yield* existing(sql, "cg_units", ids))
        yield* each(
          lastByKey(compounds, (c) => c.id).map((c) => ({
            id: c.id,
            community_id: c.communityId,
            doc: encodeCompound(c)
          })),
          (batch) => sql`INSERT INTO cg_org_compounds ${sql.insert(batch)} ON CONFLICT (id) DO UPDATE SET
              community_id = excluded.community_id, doc = excluded.doc`
        )
      })
    )

  const compounds = (query?: Within) =>
    read(
      Effect.gen(function* () {
        const scope = yield* scoped(query?.within, "c.id")
        const rows = yield* sql<{ readonly doc: string }>`SELECT c.doc FROM cg_org_compounds c ${scope.join}
            WHERE ${sql.and(scope.where)}`
        return byId(rows.map((r) => decodeCompound(r.doc)))
      })
    )

  // -- populations -----------------------------------------------------------

  const putPopulations = (populations: ReadonlyArray<Population>) =>
    write(
      Effect.gen(function* () {
        const ids = referencedUnits({ populations })
        yield* checkUnits(ids, yield* existing(sql, "cg_units", ids))
        yield* each(
          lastByKey(populations, (p) => p.unitId).map((p) => ({
            unit_id: p.unitId,
            residents: p.residents,
            doc: encodePopulation(p)
          })),
          (
            batch
          ) => sql`INSERT INTO cg_org_populations ${sql.insert(batch)} ON CONFLICT (unit_id) DO UPDATE SET
              residents = excluded.residents, doc = excluded.doc`
        )
      })
    )

  const populations = (query?: Within) =>
    read(
      Effect.gen(function* () {
        const scope = yield* scoped(query?.within, "n.unit_id")
        const rows = yield* sql<{ readonly doc: string }>`SELECT n.doc FROM cg_org_populations n ${scope.join}
            WHERE ${sql.and(scope.where)}`
        return rows
          .map((r) => decodePopulation(r.doc))
          .sort((a, b) => (a.unitId < b.unitId ? -1 : a.unitId > b.unitId ? 1 : 0))
      })
    )

  // -- staff placements ------------------------------------------------------

  const putPlacements = (placements: ReadonlyArray<StaffPlacement>) =>
    write(
      Effect.gen(function* () {
        const ids = referencedUnits({ placements })
        yield* checkUnits(ids, yield* existing(sql, "cg_units", ids))
        yield* each(
          lastByKey(placements, placementKey).map((p) => ({
            person_id: p.personId,
            role: p.role,
            placement: p.placement,
            target_id: p.targetId,
            unit_id: p.unitId,
            doc: encodePlacement(p)
          })),
          (batch) => sql`INSERT INTO cg_org_placements ${sql.insert(batch)}
              ON CONFLICT (person_id, role, placement, target_id) DO UPDATE SET
              unit_id = excluded.unit_id, doc = excluded.doc`
        )
      })
    )

  const placements = (query?: Within) =>
    read(
      Effect.gen(function* () {
        const scope = yield* scoped(query?.within, "s.unit_id")
        const rows = yield* sql<{ readonly doc: string }>`SELECT s.doc FROM cg_org_placements s ${scope.join}
            WHERE ${sql.and(scope.where)}`
        return rows
          .map((r) => decodePlacement(r.doc))
          .sort((a, b) =>
            placementKey(a) < placementKey(b) ? -1 : placementKey(a) > placementKey(b) ? 1 : 0
          )
      })
    )

  // -- people ----------------------------------------------------------------

  const putPeople = (people: ReadonlyArray<Staffing.Person>) =>
    write(
      each(
        lastByKey(people, (p) => p.id).map((p) => ({ id: p.id, doc: encodePerson(p) })),
        (batch) => sql`INSERT INTO cg_org_people ${sql.insert(batch)} ON CONFLICT (id) DO UPDATE SET
            doc = excluded.doc`
      )
    )

  const people = (ids: ReadonlyArray<string>) =>
    ids.length === 0
      ? Effect.succeed([])
      : read(
          Effect.map(
            sql<{
              readonly doc: string
            }>`SELECT doc FROM cg_org_people WHERE ${inList(sql, "id", [...new Set(ids)])}`,
            (rows) => byId(rows.map((r) => decodePerson(r.doc)))
          )
        )

  // -- appraisals ------------------------------------------------------------

  const putAppraisals = (appraisals: ReadonlyArray<UnitAppraisal>) =>
    write(
      Effect.gen(function* () {
        const ids = referencedUnits({ appraisals })
        yield* checkUnits(ids, yield* existing(sql, "cg_units", ids))
        yield* each(
          lastByKey(appraisals, (a) => appraisalKey(a.appraisal)).map((a) => ({
            cadre_id: a.appraisal.cadreId,
            period_key: appraisalKey(a.appraisal).split("\u0000").slice(1).join("|"),
            unit_id: a.unitId,
            doc: encodeAppraisal(a.appraisal)
          })),
          (batch) => sql`INSERT INTO cg_org_appraisals ${sql.insert(batch)}
              ON CONFLICT (cadre_id, period_key) DO UPDATE SET unit_id = excluded.unit_id, doc = excluded.doc`
        )
      })
    )

  const appraisals = (query?: Within) =>
    read(
      Effect.gen(function* () {
        const scope = yield* scoped(query?.within, "a.unit_id")
        const rows = yield* sql<{
          readonly unit_id: string
          readonly doc: string
        }>`SELECT a.unit_id, a.doc FROM cg_org_appraisals a ${scope.join} WHERE ${sql.and(scope.where)}`
        return orderAppraisals(
          rows.map((r) => ({ unitId: unit(r.unit_id), appraisal: decodeAppraisal(r.doc) }))
        )
      })
    )

  // -- weak-and-lax flags ----------------------------------------------------

  const putWeakAndLaxFlags = (flags: ReadonlyArray<OrganizationMetrics.WeakAndLaxFlag>) =>
    write(
      Effect.gen(function* () {
        const ids = [...new Set(flags.map((f) => f.bodyId))]
        yield* checkBodies(ids, yield* existing(sql, "cg_org_bodies", ids))
        yield* each(
          lastByKey(flags, weakAndLaxKey).map((f) => ({
            body_id: f.bodyId,
            period_key: weakAndLaxKey(f).split("\u0000").slice(1).join("|"),
            flagged: f.flagged ? 1 : 0,
            doc: encodeWeakAndLax(f)
          })),
          (batch) => sql`INSERT INTO cg_org_weak_and_lax ${sql.insert(batch)}
              ON CONFLICT (body_id, period_key) DO UPDATE SET flagged = excluded.flagged, doc = excluded.doc`
        )
      })
    )

  const weakAndLaxFlags = (query?: Within) =>
    read(
      Effect.gen(function* () {
        const scope = yield* scoped(query?.within, "b.unit_id")
        const rows = yield* sql<{ readonly doc: string }>`SELECT w.doc FROM cg_org_weak_and_lax w
            JOIN cg_org_bodies b ON b.id = w.body_id ${scope.join}
            WHERE ${sql.and(scope.where)}`
        return orderWeakAndLaxFlags(rows.map((r) => decodeWeakAndLax(r.doc)))
      })
    )

  // -- foundings -------------------------------------------------------------

  const foundingStream = eventStream(sql, {
    events: "cg_org_founding_events",
    key: "compound_id",
    summary: "cg_org_foundings",
    summaryKey: "compound_id",
    update: ["community_id", "version"],
    encode: encodeFoundingEvent,
    decode: decodeFoundingEvent
  })

  const appendFoundingEvents = (input: {
    readonly compoundId: string
    readonly expectedVersion: number
    readonly events: ReadonlyArray<CompoundPartyFounding.Event>
  }) => {
    const { compoundId, events, expectedVersion } = input
    return foundingStream.append({
      id: compoundId,
      events,
      decide: (stored) =>
        Effect.gen(function* () {
          const units = yield* existing(
            sql,
            "cg_units",
            [...stored, ...events].flatMap((e) =>
              e._tag === "MembersFound" ? [e.compoundId, e.communityId] : []
            )
          )
          const { state, version } = yield* checkFoundingAppend({
            compoundId,
            expectedVersion,
            stored,
            events,
            units
          })
          return {
            result: { id: compoundId, version },
            summary: { compound_id: compoundId, community_id: state.communityId, version: state.version }
          }
        }),
      conflict: (actualVersion) =>
        new FoundingConcurrencyConflict({ compoundId, expectedVersion, actualVersion })
    })
  }

  const foundings = (query?: Within) =>
    read(
      Effect.gen(function* () {
        const scope = yield* scoped(query?.within, "f.compound_id")
        const rows = yield* sql<{
          readonly id: string
          readonly event: string
        }>`SELECT f.compound_id AS id, e.event FROM cg_org_foundings f
            JOIN cg_org_founding_events e ON e.compound_id = f.compound_id ${scope.join}
            WHERE ${sql.and(scope.where)} ORDER BY f.compound_id, e.sequence`
        return grouped(rows)
          .map(([, events]) => CompoundPartyFounding.fold(events.map(decodeFoundingEvent)))
          .filter((f): f is Founding => f._tag === "Founding")
          .sort((a, b) => (a.compoundId < b.compoundId ? -1 : a.compoundId > b.compoundId ? 1 : 0))
      })
    )

  // -- awards ----------------------------------------------------------------

  const awardStream = eventStream(sql, {
    events: "cg_org_award_events",
    key: "round_id",
    summary: "cg_org_awards",
    summaryKey: "round_id",
    update: ["version"],
    encode: encodeAwardEvent,
    decode: decodeAwardEvent
  })

  const appendAwardEvents = (input: {
    readonly roundId: string
    readonly unitId: string
    readonly expectedVersion: number
    readonly events: ReadonlyArray<Award.Event>
  }) => {
    const { events, expectedVersion, roundId } = input
    return awardStream.append({
      id: roundId,
      events,
      // a round stays in the unit it was opened for
      lock: ["unit_id"],
      decide: (stored, locked) =>
        Effect.gen(function* () {
          const unitId = typeof locked?.unit_id === "string" ? locked.unit_id : input.unitId
          const units = yield* existing(sql, "cg_units", [unitId])
          const { state, version } = yield* checkAwardAppend({
            roundId,
            unitId,
            expectedVersion,
            stored,
            events,
            units
          })
          return {
            result: { id: roundId, version },
            summary: { round_id: roundId, unit_id: unitId, version: state.version }
          }
        }),
      conflict: (actualVersion) => new AwardConcurrencyConflict({ roundId, expectedVersion, actualVersion })
    })
  }

  const roundsWhere = (scope: { readonly join: Fragment; readonly where: ReadonlyArray<Fragment> }) =>
    Effect.map(
      sql<{
        readonly id: string
        readonly unit_id: string
        readonly event: string
      }>`SELECT w.round_id AS id, w.unit_id, e.event FROM cg_org_awards w
          JOIN cg_org_award_events e ON e.round_id = w.round_id ${scope.join}
          WHERE ${sql.and([...scope.where])} ORDER BY w.round_id, e.sequence`,
      (rows) =>
        grouped(rows).flatMap(([row, events]): ReadonlyArray<UnitRound> => {
          const state = Award.fold(events.map(decodeAwardEvent))
          return state._tag === "Round" ? [{ unitId: unit(row.unit_id), round: state }] : []
        })
    )

  const round = (roundId: string) =>
    read(
      Effect.flatMap(
        roundsWhere({ join: sql.literal(""), where: [sql`w.round_id = ${roundId}`] }),
        ([found]) =>
          found === undefined ? Effect.fail(new RoundNotFound({ roundId })) : Effect.succeed(found)
      )
    )

  const awards = (query?: Within) =>
    read(
      Effect.gen(function* () {
        const scope = yield* scoped(query?.within, "w.unit_id")
        const rounds = yield* roundsWhere(scope)
        return [...rounds].sort((a, b) => (a.round.id < b.round.id ? -1 : a.round.id > b.round.id ? 1 : 0))
      })
    )

  const service: Context.Tag.Service<OrganizationRepository> = {
    putBodies,
    bodies,
    putPosts,
    posts,
    putMemberships,
    memberships,
    putCompounds,
    compounds,
    putPopulations,
    populations,
    putPlacements,
    placements,
    putPeople,
    people,
    putAppraisals,
    appraisals,
    putWeakAndLaxFlags,
    weakAndLaxFlags,
    appendFoundingEvents,
    foundingEvents: (compoundId) => orDie(foundingStream.stored(compoundId)),
    foundings,
    appendAwardEvents,
    awardEvents: (roundId) => orDie(awardStream.stored(roundId)),
    round,
    awards
  }
  return service
})

/**
 * The SQL organisation store as a Layer (needs an `SqlClient`, migrated).
 *
 * @since 0.1.0
 * @category layers
 */
export const layer: Layer.Layer<OrganizationRepository, never, SqlClient.SqlClient> = Layer.effect(
  OrganizationRepository,
  make
)
