/**
 * 联户走访仓库（SQL） — the core's `PeopleRepository` on `@effect/sql`, the
 * same code for SQLite and PostgreSQL. Needs the migrations applied
 * (`Migrations.run`, table notes in `0024_people`), a `HierarchyRepository`
 * (for the access decision) and a `PeopleCipher.Keyring`.
 *
 * - Writes: one transaction that looks up the ids it names, is checked by the
 *   core (`PeopleRepository.checkHouseholdWrite`, `checkEnrolmentWrite`,
 *   `checkHouseholds`, `checkContacts`, `checkVisitIds`) and upserts in
 *   multi-row batches; visits are inserted only.
 * - **Residents are sealed** (`PeopleCipher`, AES-256-GCM, the key id stored
 *   with each ciphertext): no name, ID number or phone is ever written in
 *   plaintext, and no method lists residents.
 * - **Access in the query.** `readMembers` takes the core's decision
 *   (`KeyGroupAccess.decide`) first. Out of scope, unknown or without a
 *   purpose: no registry row is read. Not granted: one `COUNT(DISTINCT …)`
 *   over the enrolments in force of the category in the unit's subtree — no
 *   person leaves the database; small counts are suppressed by the core
 *   (`KeyGroupAccess.countsAnswer`). Granted: only those enrolments (category,
 *   date, the household's unit in the subtree by the materialised path), their
 *   households and enrolled residents are read and opened, and
 *   `KeyGroupAccess.read` makes the result (masking without the identity
 *   right) and the log entry. The entry is inserted **in the same
 *   transaction** as the read, whatever its outcome; `cg_access_log` refuses
 *   UPDATE and DELETE by trigger.
 * - Proxy services: an append locks the service's state row (`FOR UPDATE` on
 *   PostgreSQL), checks the expected version and the whole history with the
 *   core (`PeopleRepository.checkServiceAppend`, `ProxyService.replay`),
 *   inserts the events and upserts the state in the same transaction. Primary
 *   key (service_id, sequence) makes a racing writer fail; that failure is
 *   reported as `ServiceConcurrencyConflict` with the version it lost to.
 * - Key rotation: `reseal` re-encrypts rows under older keys with the current
 *   one; `keysInUse` says which keys rows are still under (see `PeopleCipher`).
 *
 * @since 0.1.0
 */
import type { Actor } from "@civicgrid/core/Actor"
import * as ContactDuty from "@civicgrid/core/ContactDuty"
import { UnitNotFound } from "@civicgrid/core/Hierarchy"
import { HierarchyRepository } from "@civicgrid/core/HierarchyRepository"
import * as Household from "@civicgrid/core/Household"
import * as KeyGroup from "@civicgrid/core/KeyGroup"
import * as KeyGroupAccess from "@civicgrid/core/KeyGroupAccess"
import {
  byId,
  checkContacts,
  checkEnrolmentWrite,
  checkHouseholds,
  checkHouseholdWrite,
  checkServiceAppend,
  checkUnits,
  checkVisitIds,
  householdUnits,
  type LinkQuery,
  lastById,
  lastLinks,
  orderLinks,
  orderLog,
  PeopleRepository,
  type PlanQuery,
  type ReadContext,
  ServiceConcurrencyConflict,
  ServiceNotFound,
  type ServiceQuery,
  type Settings,
  settingsOf,
  type VisitQuery
} from "@civicgrid/core/PeopleRepository"
import * as ProxyService from "@civicgrid/core/ProxyService"
import * as Resident from "@civicgrid/core/Resident"
import type { StorageUnavailable } from "@civicgrid/core/Storage"
import * as Visit from "@civicgrid/core/Visit"
import * as VisitPlan from "@civicgrid/core/VisitPlan"
import * as SqlClient from "@effect/sql/SqlClient"
import type { SqlError } from "@effect/sql/SqlError"
import type { Fragment } from "@effect/sql/Statement"
import type * as Context from "effect/Context"
import * as DateTime from "effect/DateTime"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Layer from "effect/Layer"
import * as Predicate from "effect/Predicate"
import { eventStream } from "./internal/eventStream.js"
import {
  chunk,
  existing,
  forUpdate,
  fromJson,
  inSubtree,
  isUniqueViolation,
  num,
  orDie,
  pathOf,
  storeOps,
  toJson
} from "./internal/support.js"
import * as Cipher from "./PeopleCipher.js"

const encodeHousehold = toJson(Household.Household)
const decodeHousehold = fromJson(Household.Household)
const encodeResident = toJson(Resident.Resident)
const decodeResident = fromJson(Resident.Resident)
const encodeEnrolment = toJson(KeyGroup.Enrolment)
const decodeEnrolment = fromJson(KeyGroup.Enrolment)
const encodeContact = toJson(ContactDuty.Contact)
const decodeContact = fromJson(ContactDuty.Contact)
const encodeLink = toJson(ContactDuty.Link)
const decodeLink = fromJson(ContactDuty.Link)
const encodePlan = toJson(VisitPlan.VisitPlan)
const decodePlan = fromJson(VisitPlan.VisitPlan)
const encodeVisit = toJson(Visit.Visit)
const decodeVisit = fromJson(Visit.Visit)
const encodeEvent = toJson(ProxyService.ProxyServiceEvent)
const decodeEvent = fromJson(ProxyService.ProxyServiceEvent)
const encodeService = toJson(ProxyService.ProxyService)
const decodeService = fromJson(ProxyService.ProxyService)
const encodeLog = toJson(KeyGroupAccess.AccessLogEntry)
const decodeLog = fromJson(KeyGroupAccess.AccessLogEntry)

const isSqlError = (u: unknown): u is SqlError => Predicate.isTagged(u, "SqlError")

const notFound = (unitId: string) => new UnitNotFound({ unitId })

const millis = (at: DateTime.Utc): number => DateTime.toEpochMillis(at)

/**
 * Options: the keyring residents are sealed with, and the key-group
 * categories, access policy and contact-duty rules (`PeopleRepository.Settings`).
 *
 * @since 0.1.0
 * @category models
 */
export interface Options extends Settings {
  readonly keyring: Cipher.Keyring
}

/** Opens a sealed resident row (a row that does not open is a defect naming the key). */
const openResident = (keyring: Cipher.Keyring, row: { readonly id: string; readonly sealed: string }) =>
  Either.match(Cipher.open(keyring, row.sealed, row.id), {
    onLeft: (e) => Effect.die(e),
    onRight: (text) => Effect.succeed(decodeResident(text))
  })

/**
 * Builds the SQL people store.
 *
 * @since 0.1.0
 * @category constructors
 */
export const make = (
  options: Options
): Effect.Effect<Context.Tag.Service<PeopleRepository>, never, SqlClient.SqlClient | HierarchyRepository> =>
  Effect.gen(function* () {
    const sql = yield* SqlClient.SqlClient
    const hierarchies = yield* HierarchyRepository
    const settings = settingsOf(options)
    const { catalogue, policy } = settings
    const keyring = options.keyring

    const { each, write, read, scoped } = storeOps(sql)

    const docs = <A>(rows: ReadonlyArray<{ readonly doc: string }>, decode: (text: string) => A) =>
      rows.map((r) => decode(r.doc))

    // -- households, residents, enrolments ------------------------------------

    const putHouseholds = (households: ReadonlyArray<Household.Household>) =>
      write(
        Effect.gen(function* () {
          const units = yield* existing(sql, "cg_units", householdUnits(households))
          const places = [...new Set(households.map(Household.unitOf))]
          const stored = yield* Effect.forEach(
            chunk(places),
            (batch) =>
              sql<{ readonly doc: string }>`SELECT doc FROM cg_households WHERE ${sql.in("unit_id", batch)}`,
            { concurrency: 1 }
          )
          yield* checkHouseholdWrite(households, units, notFound, docs(stored.flat(), decodeHousehold))
          yield* each(
            households.map((h) => ({
              id: h.id,
              community_id: h.communityId,
              grid_id: h.gridId ?? null,
              unit_id: Household.unitOf(h),
              doc: encodeHousehold(h)
            })),
            (batch) => sql`INSERT INTO cg_households ${sql.insert(batch)} ON CONFLICT (id) DO UPDATE SET
                community_id = excluded.community_id, grid_id = excluded.grid_id, unit_id = excluded.unit_id,
                doc = excluded.doc`
          )
        })
      )

    const households = (query?: { readonly within?: string }) =>
      read(
        Effect.gen(function* () {
          const scope = yield* scoped(query?.within, "h.unit_id")
          const rows = yield* sql<{ readonly doc: string }>`SELECT h.doc FROM cg_households h ${scope.join}
              WHERE ${sql.and(scope.where)}`
          return byId(docs(rows, decodeHousehold))
        })
      )

    const putResidents = (residents: ReadonlyArray<Resident.Resident>) =>
      write(
        Effect.gen(function* () {
          const known = yield* existing(
            sql,
            "cg_households",
            residents.map((r) => r.householdId)
          )
          yield* checkHouseholds(
            residents.map((r) => r.householdId),
            known
          )
          yield* each(
            lastById(residents).map((r) => {
              const { keyId, sealed } = Cipher.seal(keyring, encodeResident(r), r.id)
              return { id: r.id, household_id: r.householdId, key_id: keyId, sealed }
            }),
            (batch) => sql`INSERT INTO cg_residents ${sql.insert(batch)} ON CONFLICT (id) DO UPDATE SET
                household_id = excluded.household_id, key_id = excluded.key_id, sealed = excluded.sealed`
          )
        })
      )

    const putEnrolments = (enrolments: ReadonlyArray<KeyGroup.Enrolment>) =>
      write(
        Effect.gen(function* () {
          const known = yield* existing(
            sql,
            "cg_households",
            enrolments.map((e) => e.householdId)
          )
          const stored = yield* Effect.forEach(
            chunk([...new Set(enrolments.map((e) => e.householdId))]),
            (batch) =>
              sql<{
                readonly doc: string
              }>`SELECT doc FROM cg_enrolments WHERE ${sql.in("household_id", batch)}`,
            { concurrency: 1 }
          )
          yield* checkEnrolmentWrite(catalogue, enrolments, known, docs(stored.flat(), decodeEnrolment))
          yield* each(
            enrolments.map((e) => ({
              id: e.id,
              category_id: e.categoryId,
              household_id: e.householdId,
              resident_id: e.residentId ?? null,
              since: e.since,
              until: e.until ?? null,
              doc: encodeEnrolment(e)
            })),
            (batch) => sql`INSERT INTO cg_enrolments ${sql.insert(batch)} ON CONFLICT (id) DO UPDATE SET
                category_id = excluded.category_id, household_id = excluded.household_id,
                resident_id = excluded.resident_id, since = excluded.since, until = excluded.until,
                doc = excluded.doc`
          )
        })
      )

    const keyHouseholds = (query: { readonly within?: string; readonly date: string }) =>
      read(
        Effect.gen(function* () {
          const scope = yield* scoped(query.within, "h.unit_id")
          const rows = yield* sql<{ readonly id: string }>`SELECT DISTINCT e.household_id AS id
              FROM cg_enrolments e JOIN cg_households h ON h.id = e.household_id ${scope.join}
              WHERE ${sql.and([
                sql`e.since <= ${query.date}`,
                sql`(e.until IS NULL OR e.until >= ${query.date})`,
                ...scope.where
              ])}`
          return rows
            .map((r) => Household.HouseholdId.make(r.id))
            .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))
        })
      )

    // -- contacts and links -----------------------------------------------------

    const putContacts = (contacts: ReadonlyArray<ContactDuty.Contact>) =>
      write(
        Effect.gen(function* () {
          const ids = contacts.map((c) => c.communityId)
          yield* checkUnits(ids, yield* existing(sql, "cg_units", ids), notFound)
          yield* each(
            lastById(contacts).map((c) => ({ id: c.id, community_id: c.communityId, doc: encodeContact(c) })),
            (batch) => sql`INSERT INTO cg_contacts ${sql.insert(batch)} ON CONFLICT (id) DO UPDATE SET
                community_id = excluded.community_id, doc = excluded.doc`
          )
        })
      )

    const contacts = (query?: { readonly within?: string }) =>
      read(
        Effect.gen(function* () {
          const scope = yield* scoped(query?.within, "c.community_id")
          const rows = yield* sql<{ readonly doc: string }>`SELECT c.doc FROM cg_contacts c ${scope.join}
              WHERE ${sql.and(scope.where)}`
          return byId(docs(rows, decodeContact))
        })
      )

    const putLinks = (links: ReadonlyArray<ContactDuty.Link>) =>
      write(
        Effect.gen(function* () {
          const contactIds = links.map((l) => l.contactId)
          yield* checkContacts(contactIds, yield* existing(sql, "cg_contacts", contactIds))
          const householdIds = links.map((l) => l.householdId)
          yield* checkHouseholds(householdIds, yield* existing(sql, "cg_households", householdIds))
          yield* each(
            lastLinks(links).map((l) => ({
              contact_id: l.contactId,
              household_id: l.householdId,
              doc: encodeLink(l)
            })),
            (batch) => sql`INSERT INTO cg_contact_links ${sql.insert(batch)}
                ON CONFLICT (contact_id, household_id) DO UPDATE SET doc = excluded.doc`
          )
        })
      )

    /** Rows of `table` (alias `t`, with `household_id`) whose household lies within the query's unit. */
    const byHousehold = (
      table: string,
      column: string,
      query: { readonly within?: string } | undefined,
      extra: ReadonlyArray<Fragment>
    ) =>
      Effect.gen(function* () {
        const scope = yield* scoped(query?.within, "h.unit_id")
        return yield* sql<{ readonly doc: string }>`SELECT t.${sql(column)} AS doc FROM ${sql(table)} t
            JOIN cg_households h ON h.id = t.household_id ${scope.join}
            WHERE ${sql.and([...scope.where, ...extra])}`
      })

    const links = (query?: LinkQuery) =>
      read(
        Effect.map(
          byHousehold(
            "cg_contact_links",
            "doc",
            query,
            query?.contactId === undefined ? [] : [sql`t.contact_id = ${query.contactId}`]
          ),
          (rows) => orderLinks(docs(rows, decodeLink))
        )
      )

    // -- plans and visits -----------------------------------------------------

    const putPlans = (plans: ReadonlyArray<VisitPlan.VisitPlan>) =>
      write(
        Effect.gen(function* () {
          const householdIds = plans.map((p) => p.householdId)
          yield* checkHouseholds(householdIds, yield* existing(sql, "cg_households", householdIds))
          const contactIds = plans.flatMap((p) => (p.contactId === undefined ? [] : [p.contactId]))
          yield* checkContacts(contactIds, yield* existing(sql, "cg_contacts", contactIds))
          yield* each(
            lastById(plans).map((p) => ({
              id: p.id,
              household_id: p.householdId,
              contact_id: p.contactId ?? null,
              doc: encodePlan(p)
            })),
            (batch) => sql`INSERT INTO cg_visit_plans ${sql.insert(batch)} ON CONFLICT (id) DO UPDATE SET
                household_id = excluded.household_id, contact_id = excluded.contact_id, doc = excluded.doc`
          )
        })
      )

    const plans = (query?: PlanQuery) =>
      read(
        Effect.map(
          byHousehold(
            "cg_visit_plans",
            "doc",
            query,
            query?.contactId === undefined ? [] : [sql`t.contact_id = ${query.contactId}`]
          ),
          (rows) => byId(docs(rows, decodePlan))
        )
      )

    const recordVisits = (visits: ReadonlyArray<Visit.Visit>) =>
      orDie(
        sql
          .withTransaction(
            Effect.gen(function* () {
              const stored = yield* existing(
                sql,
                "cg_visits",
                visits.map((v) => v.id)
              )
              yield* checkVisitIds(visits, stored)
              const householdIds = visits.map((v) => v.householdId)
              yield* checkHouseholds(householdIds, yield* existing(sql, "cg_households", householdIds))
              yield* each(
                visits.map((v) => ({
                  id: v.id,
                  household_id: v.householdId,
                  visitor_id: v.visitor.id,
                  at: millis(v.at),
                  doc: encodeVisit(v)
                })),
                (batch) => sql`INSERT INTO cg_visits ${sql.insert(batch)}`
              )
            })
          )
          .pipe(
            // a racing writer recorded one of the ids first: the primary key refuses the insert
            Effect.catchIf(
              (e): e is SqlError => isSqlError(e) && isUniqueViolation(e),
              () =>
                Effect.flatMap(
                  existing(
                    sql,
                    "cg_visits",
                    visits.map((v) => v.id)
                  ),
                  (stored) => checkVisitIds(visits, stored)
                )
            )
          )
      )

    const visits = (query?: VisitQuery) =>
      read(
        Effect.map(
          byHousehold("cg_visits", "doc", query, [
            ...(query?.householdId === undefined ? [] : [sql`t.household_id = ${query.householdId}`]),
            ...(query?.visitId === undefined ? [] : [sql`t.id = ${query.visitId}`])
          ]),
          (rows) => byId(docs(rows, decodeVisit))
        )
      )

    // -- proxy services --------------------------------------------------------

    const stream = eventStream(sql, {
      events: "cg_proxy_service_events",
      key: "service_id",
      summary: "cg_proxy_services",
      summaryKey: "id",
      update: ["community_id", "status", "version", "updated_at", "state"],
      encode: encodeEvent,
      decode: decodeEvent,
      columns: (e) => ({ at: millis(e.at) })
    })

    const appendServiceEvents = (input: {
      readonly serviceId: string
      readonly expectedVersion: number
      readonly events: ReadonlyArray<ProxyService.ProxyServiceEvent>
    }) => {
      const { events, expectedVersion, serviceId } = input
      return stream.append({
        id: serviceId,
        events,
        decide: (stored) =>
          Effect.gen(function* () {
            const units = yield* existing(
              sql,
              "cg_units",
              events.flatMap((e) => (e._tag === "Accepted" ? [e.communityId] : []))
            )
            const { state, version } = yield* checkServiceAppend({
              serviceId,
              expectedVersion,
              stored,
              events,
              units,
              notFound
            })
            return {
              result: { serviceId, version },
              summary: ProxyService.isService(state)
                ? {
                    id: serviceId,
                    community_id: state.communityId,
                    status: state.status,
                    version: state.version,
                    updated_at: millis(state.updatedAt),
                    state: encodeService(state)
                  }
                : undefined
            }
          }),
        conflict: (actualVersion) =>
          new ServiceConcurrencyConflict({ serviceId, expectedVersion, actualVersion })
      })
    }

    const serviceEvents = (serviceId: string) => orDie(stream.stored(serviceId))

    const service = (serviceId: string) =>
      orDie(
        Effect.flatMap(
          sql<{ readonly state: string }>`SELECT state FROM cg_proxy_services WHERE id = ${serviceId}`,
          ([row]) =>
            row === undefined
              ? Effect.fail(new ServiceNotFound({ serviceId }))
              : Effect.succeed(decodeService(row.state))
        )
      )

    const services = (query?: ServiceQuery) =>
      read(
        Effect.gen(function* () {
          const scope = yield* scoped(query?.within, "s.community_id")
          const where = [
            ...scope.where,
            ...(query?.status === undefined ? [] : [sql.in("s.status", query.status)])
          ]
          const rows = yield* sql<{ readonly state: string }>`SELECT s.state FROM cg_proxy_services s
              ${scope.join} WHERE ${sql.and(where)}`
          return byId(rows.map((r) => decodeService(r.state)))
        })
      )

    // -- key-group members and the access log -------------------------------

    const readMembers = (principal: Actor, request: KeyGroupAccess.ReadRequest, context: ReadContext) =>
      Effect.gen(function* () {
        const hierarchy = yield* hierarchies.load
        const decision = KeyGroupAccess.decide(policy, catalogue, hierarchy, principal, request)
        const outcome = yield* write(
          Effect.gen(function* () {
            let registry: KeyGroupAccess.Registry = { households: [], residents: [], enrolments: [] }
            let counts: { readonly households: number; readonly residents: number } | undefined
            if (decision._tag !== "Denied") {
              const path = yield* pathOf(sql, request.unitId)
              // the enrolments of the category in force on the date, in households within the unit
              const where =
                path === undefined
                  ? sql`1 = 0`
                  : sql`e.category_id = ${request.categoryId} AND e.since <= ${context.date}
                      AND (e.until IS NULL OR e.until >= ${context.date}) AND ${inSubtree(sql, "u.path", path)}`
              const from = sql`FROM cg_enrolments e JOIN cg_households h ON h.id = e.household_id
                  JOIN cg_units u ON u.id = h.unit_id WHERE ${where}`
              if (decision._tag === "CountsOnly") {
                const [row] = yield* sql<{
                  readonly households: unknown
                  readonly residents: unknown
                }>`SELECT COUNT(DISTINCT e.household_id) AS households, COUNT(DISTINCT e.resident_id) AS residents ${from}`
                counts = { households: num(row?.households ?? 0), residents: num(row?.residents ?? 0) }
              } else {
                const rows = yield* sql<{
                  readonly enrolment: string
                  readonly household: string
                }>`SELECT e.doc AS enrolment, h.doc AS household ${from} ORDER BY e.id`
                const enrolments = rows.map((r) => decodeEnrolment(r.enrolment))
                const residentIds = [
                  ...new Set(enrolments.flatMap((e) => (e.residentId === undefined ? [] : [e.residentId])))
                ]
                const sealed = yield* Effect.forEach(
                  chunk(residentIds),
                  (batch) =>
                    sql<{
                      readonly id: string
                      readonly sealed: string
                    }>`SELECT id, sealed FROM cg_residents WHERE ${sql.in("id", batch)}`,
                  { concurrency: 1 }
                )
                registry = {
                  households: byId(
                    new Map(rows.map((r) => [r.household, decodeHousehold(r.household)])).values()
                  ),
                  residents: byId(yield* Effect.forEach(sealed.flat(), (row) => openResident(keyring, row))),
                  enrolments
                }
              }
            }
            const { log, result } = KeyGroupAccess.read(
              policy,
              catalogue,
              hierarchy,
              principal,
              request,
              registry,
              context
            )
            yield* sql`INSERT INTO cg_access_log ${sql.insert({
              id: log.id,
              at: millis(log.at),
              actor_id: log.actor.id,
              unit_id: log.unitId,
              category_id: log.categoryId,
              action: log.action,
              entry: encodeLog(log)
            })}`
            return counts === undefined
              ? result
              : Either.map(
                  result,
                  (r): KeyGroupAccess.ReadResult =>
                    r._tag === "Counts" ? KeyGroupAccess.countsAnswer(policy, counts) : r
                )
          })
        )
        return yield* outcome
      })

    const accessLog = (query?: { readonly within?: string }) =>
      read(
        Effect.gen(function* () {
          const scope = yield* scoped(query?.within, "l.unit_id")
          const rows = yield* sql<{
            readonly entry: string
          }>`SELECT l.entry FROM cg_access_log l ${scope.join}
              WHERE ${sql.and(scope.where)}`
          return orderLog(rows.map((r) => decodeLog(r.entry)))
        })
      )

    return {
      settings,
      putHouseholds,
      households,
      putResidents,
      putEnrolments,
      keyHouseholds,
      putContacts,
      contacts,
      putLinks,
      links,
      putPlans,
      plans,
      recordVisits,
      visits,
      appendServiceEvents,
      serviceEvents,
      service,
      services,
      readMembers,
      accessLog
    }
  })

/**
 * The SQL people store as a Layer (needs an `SqlClient`, migrated, and a `HierarchyRepository`).
 *
 * @since 0.1.0
 * @category layers
 */
export const layer = (
  options: Options
): Layer.Layer<PeopleRepository, never, SqlClient.SqlClient | HierarchyRepository> =>
  Layer.effect(PeopleRepository, make(options))

// -----------------------------------------------------------------------------
// key rotation
// -----------------------------------------------------------------------------

/**
 * 密钥使用情况 — how many residents are sealed under each key id, by key id.
 *
 * @since 0.1.0
 * @category rotation
 */
export const keysInUse: Effect.Effect<
  ReadonlyMap<string, number>,
  StorageUnavailable,
  SqlClient.SqlClient
> = Effect.gen(function* () {
  const sql = yield* SqlClient.SqlClient
  const rows = yield* orDie(
    sql<{ readonly key_id: string; readonly n: unknown }>`SELECT key_id, COUNT(*) AS n FROM cg_residents
          GROUP BY key_id ORDER BY key_id`
  )
  return new Map(rows.map((r) => [r.key_id, num(r.n)]))
})

/**
 * 重新加密 — re-seals every resident under a key other than the keyring's
 * current one with the current key, `batchSize` rows per transaction; returns
 * how many rows it re-sealed. Safe to run while the store serves and to run
 * again (a row already under the current key is left alone).
 *
 * @since 0.1.0
 * @category rotation
 */
export const reseal = (
  keyring: Cipher.Keyring,
  batchSize = 500
): Effect.Effect<number, StorageUnavailable, SqlClient.SqlClient> =>
  Effect.gen(function* () {
    const sql = yield* SqlClient.SqlClient
    const batch = orDie(
      sql.withTransaction(
        Effect.gen(function* () {
          const rows = yield* sql<{ readonly id: string; readonly sealed: string }>`SELECT id, sealed
              FROM cg_residents WHERE key_id <> ${keyring.current} ORDER BY id LIMIT ${batchSize} ${forUpdate(sql)}`
          for (const row of rows) {
            const resident = yield* openResident(keyring, row)
            const { keyId, sealed } = Cipher.seal(keyring, encodeResident(resident), row.id)
            yield* sql`UPDATE cg_residents SET key_id = ${keyId}, sealed = ${sealed} WHERE id = ${row.id}`
          }
          return rows.length
        })
      )
    )
    let total = 0
    for (;;) {
      const n = yield* batch
      total += n
      if (n < batchSize) return total
    }
  })
