/**
 * A small people registry for the people suites, in the fixed district of
 * `Hierarchies.district()` (d1 → s1, s2 → s1c1 … → s1c1b1 …): households at
 * buildings, residents with a name, ID number and phone, enrolments, contacts,
 * links, a plan and a visit — and helpers to decide proxy-service commands.
 */
import { type Actor, ActorId, type Role } from "@civicgrid/core/Actor"
import * as ContactDuty from "@civicgrid/core/ContactDuty"
import * as Household from "@civicgrid/core/Household"
import * as KeyGroup from "@civicgrid/core/KeyGroup"
import * as KeyGroupAccess from "@civicgrid/core/KeyGroupAccess"
import * as ProxyService from "@civicgrid/core/ProxyService"
import * as Resident from "@civicgrid/core/Resident"
import { UnitId } from "@civicgrid/core/Unit"
import * as Visit from "@civicgrid/core/Visit"
import * as VisitPlan from "@civicgrid/core/VisitPlan"
import { LocalDate } from "@civicgrid/core/WorkingCalendar"
import * as DateTime from "effect/DateTime"
import * as Either from "effect/Either"

export const DATE = LocalDate.make("2024-09-10")
export const at = (hours: number): DateTime.Utc =>
  DateTime.unsafeMake(Date.UTC(2024, 8, 10, 1) + hours * 3_600_000)

export const actor = (id: string, role: Role, unitId: string): Actor => ({
  id: ActorId.make(id),
  role,
  unitId: UnitId.make(unitId)
})

export const staff = actor("cs-1", "community-staff", "s1c1")
export const gridWorker = actor("gw-1", "grid-worker", "s1c1")

export const household = (id: string, building: string, door = id): Household.Household => ({
  id: Household.HouseholdId.make(id),
  communityId: UnitId.make(building.slice(0, 4)),
  place: { _tag: "AtBuilding", buildingId: UnitId.make(building), door },
  label: `${building} ${door}`,
  size: 2,
  tags: ["公租房"]
})

/** Plaintexts the store must never hold as such. */
export const secrets = { name: "林永洪", idNumber: "11010519491231002X", phone: "13812345678" } as const

export const resident = (id: string, householdId: string, n = 0): Resident.Resident => ({
  id: Resident.ResidentId.make(id),
  householdId: Household.HouseholdId.make(householdId),
  name: n === 0 ? secrets.name : `居民${n}`,
  idNumber:
    n === 0
      ? secrets.idNumber
      : `1101051950010${String(1000 + n).slice(-4)}${Resident.idCheckCharacter(`1101051950010${String(1000 + n).slice(-4)}`)}`,
  phone: n === 0 ? secrets.phone : `1391234${String(1000 + n).slice(-4)}`,
  birthYear: 1949,
  relation: "户主"
})

export const enrol = (
  id: string,
  householdId: string,
  category: string,
  options: { readonly residentId?: string; readonly since?: string; readonly until?: string } = {}
): KeyGroup.Enrolment => ({
  id: KeyGroup.EnrolmentId.make(id),
  categoryId: KeyGroup.CategoryId.make(category),
  householdId: Household.HouseholdId.make(householdId),
  ...(options.residentId === undefined ? {} : { residentId: Resident.ResidentId.make(options.residentId) }),
  since: LocalDate.make(options.since ?? "2024-01-01"),
  ...(options.until === undefined ? {} : { until: LocalDate.make(options.until) }),
  reason: "登记",
  enrolledBy: staff.id
})

export const households = [
  household("h1", "s1c1b1", "101"),
  household("h2", "s1c1b2", "201"),
  household("h3", "s2c1b1", "301"),
  household("h4", "s1c2b1", "401")
]

export const residents = [resident("r1", "h1"), resident("r3", "h3", 3)]

export const enrolments = [
  enrol("e1", "h1", "mental-disorder", { residentId: "r1" }),
  enrol("e2", "h3", "mental-disorder", { residentId: "r3" }),
  enrol("e3", "h4", "elderly-alone"),
  enrol("e4", "h2", "mental-disorder", { until: "2024-01-31" }),
  enrol("e5", "h2", "mental-disorder", { since: "2024-02-01" })
]

export const contact = (
  id: string,
  kind: ContactDuty.ContactKind,
  communityId: string,
  actorId?: string
): ContactDuty.Contact => ({
  id: ContactDuty.ContactId.make(id),
  kind,
  duty: kind === "grid-worker" ? "households" : "key-households",
  label: `${ContactDuty.contactKindNames[kind].zh} ${id}`,
  communityId: UnitId.make(communityId),
  ...(actorId === undefined ? {} : { actorId: ActorId.make(actorId) })
})

export const contacts = [
  contact("c-gw", "grid-worker", "s1c1", "gw-1"),
  contact("c-pm", "party-member-household", "s1c1"),
  contact("c-s2", "building-leader", "s2c1")
]

export const link = (contactId: string, householdId: string, since?: string): ContactDuty.Link => ({
  contactId: ContactDuty.ContactId.make(contactId),
  householdId: Household.HouseholdId.make(householdId),
  ...(since === undefined ? {} : { since: LocalDate.make(since) })
})

export const links = [
  link("c-gw", "h1"),
  link("c-gw", "h2", "2024-03-01"),
  link("c-pm", "h1"),
  link("c-s2", "h3")
]

export const plan = (id: string, householdId: string, contactId?: string): VisitPlan.VisitPlan => ({
  id: VisitPlan.VisitPlanId.make(id),
  householdId: Household.HouseholdId.make(householdId),
  ...(contactId === undefined ? {} : { contactId: ContactDuty.ContactId.make(contactId) }),
  every: { amount: 7, unit: "natural-days" },
  startsOn: LocalDate.make("2024-09-02")
})

export const plans = [plan("p1", "h1", "c-gw"), plan("p2", "h3")]

/** A phone visit (no position needed), checked by `Visit.record`. */
export const visit = (
  id: string,
  householdId: string,
  hours: number,
  visitor: Actor = gridWorker
): Visit.Visit => {
  const h = households.find((x) => x.id === householdId) ?? households[0]
  if (h === undefined) throw new Error("no household")
  return Either.getOrThrow(
    Visit.record(
      {
        _tag: "RecordVisit",
        id: Visit.VisitId.make(id),
        householdId: h.id,
        visitor,
        at: at(hours),
        recordedAt: at(hours),
        method: "phone",
        findings: "老人身体尚可",
        followUps: [{ kind: "proxy-service", title: "高龄津贴申领", description: "" }]
      },
      { household: h, visitorGrids: [] }
    )
  )
}

export const execute = (state: ProxyService.State, command: ProxyService.ProxyServiceCommand) =>
  Either.getOrThrow(ProxyService.execute(state, command))

/** The accept a visit's proxy-service follow-up opens. */
export const accept = (serviceId: string, v: Visit.Visit): ProxyService.Accept => {
  const [request] = Visit.followUpRequests(v)
  const h = households.find((x) => x.id === v.householdId)
  if (request === undefined || h === undefined) throw new Error("no follow-up")
  return Visit.toProxyAccept(request, ProxyService.ServiceId.make(serviceId), h)
}

export const request = (
  unitId: string,
  categoryId = "mental-disorder",
  purpose: string | null = "九月份入户走访"
): KeyGroupAccess.ReadRequest => ({
  categoryId: KeyGroup.CategoryId.make(categoryId),
  unitId: UnitId.make(unitId),
  ...(purpose === null ? {} : { purpose })
})

/** A read context with the log id `id`. */
export const context = (id: string, hours = 2) => ({
  date: DATE,
  at: at(hours),
  logId: KeyGroupAccess.AccessLogId.make(id)
})
