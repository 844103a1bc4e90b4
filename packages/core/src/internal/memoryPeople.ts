/**
 * The in-memory `PeopleRepository`: maps in one `Ref`, swapped whole by every
 * write; units and subtrees come from the `HierarchyRepository`. Member reads
 * are `KeyGroupAccess.read` over the whole registry, the log entry appended
 * in the same `Ref.modify`.
 *
 * @since 0.1.0
 */
import type * as Context from "effect/Context"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Option from "effect/Option"
import * as Ref from "effect/Ref"
import type * as ContactDuty from "../ContactDuty.js"
import * as Hierarchy from "../Hierarchy.js"
import { HierarchyRepository } from "../HierarchyRepository.js"
import * as Household from "../Household.js"
import * as KeyGroup from "../KeyGroup.js"
import * as KeyGroupAccess from "../KeyGroupAccess.js"
import {
  byId,
  checkContacts,
  checkEnrolmentWrite,
  checkHouseholds,
  checkHouseholdWrite,
  checkServiceAppend,
  checkUnits,
  checkVisitIds,
  lastById,
  lastLinks,
  linkKey,
  orderLinks,
  orderLog,
  type PeopleRepository,
  type ServiceAppended,
  type ServiceConcurrencyConflict,
  ServiceNotFound,
  type SettingsInForce
} from "../PeopleRepository.js"
import * as ProxyService from "../ProxyService.js"
import type * as Resident from "../Resident.js"
import type { StorageUnavailable } from "../Storage.js"
import type * as Visit from "../Visit.js"
import type * as VisitPlan from "../VisitPlan.js"

type ServiceAppendError =
  | ServiceConcurrencyConflict
  | ProxyService.ProxyServiceReplayError
  | Hierarchy.UnitNotFound

interface State {
  readonly households: ReadonlyMap<string, Household.Household>
  readonly residents: ReadonlyMap<string, Resident.Resident>
  readonly enrolments: ReadonlyMap<string, KeyGroup.Enrolment>
  readonly contacts: ReadonlyMap<string, ContactDuty.Contact>
  readonly links: ReadonlyMap<string, ContactDuty.Link>
  readonly plans: ReadonlyMap<string, VisitPlan.VisitPlan>
  readonly visits: ReadonlyMap<string, Visit.Visit>
  readonly serviceEvents: ReadonlyMap<string, ReadonlyArray<ProxyService.ProxyServiceEvent>>
  readonly services: ReadonlyMap<string, ProxyService.ProxyService>
  readonly log: ReadonlyArray<KeyGroupAccess.AccessLogEntry>
}

const upsert = <A>(
  map: ReadonlyMap<string, A>,
  items: ReadonlyArray<A>,
  key: (a: A) => string
): ReadonlyMap<string, A> => {
  const next = new Map(map)
  for (const item of items) next.set(key(item), item)
  return next
}

const notFound = (unitId: string) => new Hierarchy.UnitNotFound({ unitId })

/**
 * Builds the in-memory people store (empty).
 *
 * @since 0.1.0
 * @category internal
 */
export const make = (
  settings: SettingsInForce
): Effect.Effect<Context.Tag.Service<PeopleRepository>, never, HierarchyRepository> =>
  Effect.gen(function* () {
    const hierarchies = yield* HierarchyRepository
    const state = yield* Ref.make<State>({
      households: new Map(),
      residents: new Map(),
      enrolments: new Map(),
      contacts: new Map(),
      links: new Map(),
      plans: new Map(),
      visits: new Map(),
      serviceEvents: new Map(),
      services: new Map(),
      log: []
    })

    const knownUnits = (ids: ReadonlyArray<string>): Effect.Effect<ReadonlySet<string>> =>
      Effect.match(hierarchies.load, {
        onFailure: () => new Set<string>(),
        onSuccess: (h) => new Set(ids.filter((id) => Hierarchy.has(h, id)))
      })

    const write = <E>(f: (s: State) => Either.Either<State, E>): Effect.Effect<void, E> =>
      Effect.flatten(
        Ref.modify(state, (s): readonly [Either.Either<void, E>, State] =>
          Either.match(f(s), {
            onLeft: (e) => [Either.left(e), s],
            onRight: (next) => [Either.void, next]
          })
        )
      )

    const scopeOf = (
      within: string | undefined
    ): Effect.Effect<Option.Option<ReadonlySet<string>>, Hierarchy.UnitNotFound | StorageUnavailable> =>
      within === undefined
        ? Effect.succeedNone
        : Effect.map(hierarchies.subtreeIds(within), (ids) => Option.some(new Set<string>(ids)))

    const inScope = (scope: Option.Option<ReadonlySet<string>>, unitId: string | undefined): boolean =>
      Option.match(scope, { onNone: () => true, onSome: (s) => unitId !== undefined && s.has(unitId) })

    /** Whether a household lies in the scope (by its unit). */
    const householdIn = (
      s: State,
      scope: Option.Option<ReadonlySet<string>>,
      householdId: string
    ): boolean => {
      const h = s.households.get(householdId)
      return h !== undefined && inScope(scope, Household.unitOf(h))
    }

    const list = <A>(
      within: string | undefined,
      f: (s: State, scope: Option.Option<ReadonlySet<string>>) => A
    ): Effect.Effect<A, Hierarchy.UnitNotFound | StorageUnavailable> =>
      Effect.flatMap(scopeOf(within), (scope) => Effect.map(Ref.get(state), (s) => f(s, scope)))

    return {
      settings,
      putHouseholds: (households) =>
        Effect.flatMap(
          knownUnits(households.flatMap((h) => [h.communityId, Household.unitOf(h)])),
          (units) => {
            const places = new Set<string>(households.map(Household.unitOf))
            return write((s) =>
              Either.map(
                checkHouseholdWrite(
                  households,
                  units,
                  notFound,
                  [...s.households.values()].filter((h) => places.has(Household.unitOf(h)))
                ),
                () => ({
                  ...s,
                  households: upsert(s.households, households, (h) => h.id)
                })
              )
            )
          }
        ),
      households: (query) =>
        list(query?.within, (s, scope) =>
          byId([...s.households.values()].filter((h) => inScope(scope, Household.unitOf(h))))
        ),
      putResidents: (residents) =>
        write((s) =>
          Either.map(
            checkHouseholds(
              residents.map((r) => r.householdId),
              new Set(s.households.keys())
            ),
            () => ({ ...s, residents: upsert(s.residents, residents, (r) => r.id) })
          )
        ),
      putEnrolments: (enrolments) =>
        write((s) =>
          Either.map(
            checkEnrolmentWrite(
              settings.catalogue,
              enrolments,
              new Set(s.households.keys()),
              [...s.enrolments.values()].filter((e) =>
                enrolments.some((x) => x.householdId === e.householdId)
              )
            ),
            () => ({
              ...s,
              enrolments: upsert(s.enrolments, enrolments, (e) => e.id)
            })
          )
        ),
      keyHouseholds: (query) =>
        list(query.within, (s, scope) =>
          [
            ...new Set(
              [...s.enrolments.values()]
                .filter((e) => KeyGroup.isActive(e, query.date) && householdIn(s, scope, e.householdId))
                .map((e) => e.householdId)
            )
          ].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))
        ),
      putContacts: (contacts) =>
        Effect.flatMap(knownUnits(contacts.map((c) => c.communityId)), (units) =>
          write((s) =>
            Either.map(
              checkUnits(
                contacts.map((c) => c.communityId),
                units,
                notFound
              ),
              () => ({ ...s, contacts: upsert(s.contacts, lastById(contacts), (c) => c.id) })
            )
          )
        ),
      contacts: (query) =>
        list(query?.within, (s, scope) =>
          byId([...s.contacts.values()].filter((c) => inScope(scope, c.communityId)))
        ),
      putLinks: (links) =>
        write((s) =>
          Either.flatMap(
            checkContacts(
              links.map((l) => l.contactId),
              new Set(s.contacts.keys())
            ),
            () =>
              Either.map(
                checkHouseholds(
                  links.map((l) => l.householdId),
                  new Set(s.households.keys())
                ),
                () => ({ ...s, links: upsert(s.links, lastLinks(links), linkKey) })
              )
          )
        ),
      links: (query) =>
        list(query?.within, (s, scope) =>
          orderLinks(
            [...s.links.values()].filter(
              (l) =>
                householdIn(s, scope, l.householdId) &&
                (query?.contactId === undefined || l.contactId === query.contactId)
            )
          )
        ),
      putPlans: (plans) =>
        write((s) =>
          Either.flatMap(
            checkHouseholds(
              plans.map((p) => p.householdId),
              new Set(s.households.keys())
            ),
            () =>
              Either.map(
                checkContacts(
                  plans.flatMap((p) => (p.contactId === undefined ? [] : [p.contactId])),
                  new Set(s.contacts.keys())
                ),
                () => ({ ...s, plans: upsert(s.plans, plans, (p) => p.id) })
              )
          )
        ),
      plans: (query) =>
        list(query?.within, (s, scope) =>
          byId(
            [...s.plans.values()].filter(
              (p) =>
                householdIn(s, scope, p.householdId) &&
                (query?.contactId === undefined || p.contactId === query.contactId)
            )
          )
        ),
      recordVisits: (visits) =>
        write((s) => {
          const stored = new Set([...s.visits.keys()].filter((id) => visits.some((v) => v.id === id)))
          return Either.flatMap(checkVisitIds(visits, stored), () =>
            Either.map(
              checkHouseholds(
                visits.map((v) => v.householdId),
                new Set(s.households.keys())
              ),
              () => ({ ...s, visits: upsert(s.visits, visits, (v) => v.id) })
            )
          )
        }),
      visits: (query) =>
        list(query?.within, (s, scope) =>
          byId(
            [...s.visits.values()].filter(
              (v) =>
                householdIn(s, scope, v.householdId) &&
                (query?.householdId === undefined || v.householdId === query.householdId) &&
                (query?.visitId === undefined || v.id === query.visitId)
            )
          )
        ),
      appendServiceEvents: ({ events, expectedVersion, serviceId }) =>
        Effect.flatMap(
          knownUnits(events.flatMap((e) => (e._tag === "Accepted" ? [e.communityId] : []))),
          (units) =>
            Effect.flatten(
              Ref.modify(state, (s): readonly [Either.Either<ServiceAppended, ServiceAppendError>, State] => {
                const result = checkServiceAppend({
                  serviceId,
                  expectedVersion,
                  stored: s.serviceEvents.get(serviceId) ?? [],
                  events,
                  units,
                  notFound
                })
                if (Either.isLeft(result)) return [Either.left(result.left), s] as const
                const { state: service, version } = result.right
                const appended: ServiceAppended = { serviceId, version }
                if (!ProxyService.isService(service) || events.length === 0)
                  return [Either.right(appended), s] as const
                const serviceEvents = new Map(s.serviceEvents)
                serviceEvents.set(serviceId, [...(s.serviceEvents.get(serviceId) ?? []), ...events])
                const services = new Map(s.services)
                services.set(serviceId, service)
                return [Either.right(appended), { ...s, serviceEvents, services }] as const
              })
            )
        ),
      serviceEvents: (serviceId) => Effect.map(Ref.get(state), (s) => s.serviceEvents.get(serviceId) ?? []),
      service: (serviceId) =>
        Effect.flatMap(Ref.get(state), (s) => {
          const found = s.services.get(serviceId)
          return found === undefined ? Effect.fail(new ServiceNotFound({ serviceId })) : Effect.succeed(found)
        }),
      services: (query) =>
        list(query?.within, (s, scope) =>
          byId(
            [...s.services.values()].filter(
              (v) =>
                inScope(scope, v.communityId) &&
                (query?.status === undefined || query.status.includes(v.status))
            )
          )
        ),
      readMembers: (principal, request, context) =>
        Effect.flatMap(hierarchies.load, (hierarchy) =>
          Effect.flatten(
            Ref.modify(
              state,
              (
                s
              ): readonly [Effect.Effect<KeyGroupAccess.ReadResult, KeyGroupAccess.AccessDenied>, State] => {
                const { log, result } = KeyGroupAccess.read(
                  settings.policy,
                  settings.catalogue,
                  hierarchy,
                  principal,
                  request,
                  {
                    households: byId(s.households.values()),
                    residents: byId(s.residents.values()),
                    enrolments: byId(s.enrolments.values())
                  },
                  context
                )
                if (s.log.some((e) => e.id === log.id))
                  return [Effect.dieMessage(`access log id ${log.id} is already used`), s] as const
                return [result, { ...s, log: [...s.log, log] }] as const
              }
            )
          )
        ),
      accessLog: (query) =>
        list(query?.within, (s, scope) => orderLog(s.log.filter((e) => inScope(scope, e.unitId))))
    }
  })
