/**
 * 联户走访示范数据 — deterministic demo people data for the demo district
 * (`District`): for each community a few hundred households at its buildings
 * (size, tags), some residents, key-group enrolments in a realistic share
 * (高龄独居, 空巢, 残疾, 低保/困难) naming the enrolled resident (with fictitious
 * phone and ID numbers, for masking to hide), contacts (网格员 per grid, 楼栋长 per
 * building, 党员中心户 with 1–5 key households each), a visit plan for every
 * key household whose due dates fall around `today` on the working calendar
 * (some due today, some overdue), visits recorded through `Visit.record`,
 * and a few proxy services (代办) in different states.
 *
 * The data passes `ContactDuty.check` with `ContactDuty.defaultRules`.
 *
 * @since 0.1.0
 */
import * as ContactDuty from "@civicgrid/core/ContactDuty"
import * as Household from "@civicgrid/core/Household"
import * as KeyGroup from "@civicgrid/core/KeyGroup"
import * as ProxyService from "@civicgrid/core/ProxyService"
import * as Resident from "@civicgrid/core/Resident"
import * as Visit from "@civicgrid/core/Visit"
import * as VisitPlan from "@civicgrid/core/VisitPlan"
import * as WorkingCalendar from "@civicgrid/core/WorkingCalendar"
import * as DateTime from "effect/DateTime"
import * as Either from "effect/Either"
import * as Option from "effect/Option"
import * as Schema from "effect/Schema"
import type * as District from "./District.js"
import { random } from "./internal/random.js"

/**
 * 示范联户数据 — what `generate` makes, in the order a store takes it.
 *
 * @since 0.1.0
 * @category models
 */
export interface DemoPeople {
  readonly households: ReadonlyArray<Household.Household>
  readonly residents: ReadonlyArray<Resident.Resident>
  readonly enrolments: ReadonlyArray<KeyGroup.Enrolment>
  readonly contacts: ReadonlyArray<ContactDuty.Contact>
  readonly links: ReadonlyArray<ContactDuty.Link>
  readonly plans: ReadonlyArray<VisitPlan.VisitPlan>
  readonly visits: ReadonlyArray<Visit.Visit>
  /** 代办 — each service's commands in order (accept first), for `PeopleRepository.handleService`. */
  readonly services: ReadonlyArray<ReadonlyArray<ProxyService.ProxyServiceCommand>>
}

/**
 * 生成选项.
 *
 * @since 0.1.0
 * @category models
 */
export interface Options {
  /** 今天 — the local date plans are due around (the seed's date on `calendar`). */
  readonly today: WorkingCalendar.LocalDate
  /** 日历 — the working calendar due dates are computed on. */
  readonly calendar: WorkingCalendar.WorkingCalendar
  /** 随机种子 (default 2025). */
  readonly seed?: number
}

const decodeHouseholds = Schema.decodeUnknownSync(Schema.Array(Household.Household))
const decodeResidents = Schema.decodeUnknownSync(Schema.Array(Resident.Resident))
const decodeEnrolments = Schema.decodeUnknownSync(Schema.Array(KeyGroup.Enrolment))
const decodeContacts = Schema.decodeUnknownSync(Schema.Array(ContactDuty.Contact))
const decodeLinks = Schema.decodeUnknownSync(Schema.Array(ContactDuty.Link))
const decodeRecordVisit = Schema.decodeUnknownSync(Visit.RecordVisit)
const decodeCommand = Schema.decodeUnknownSync(
  Schema.Union(ProxyService.Accept, ProxyService.Submit, ProxyService.Complete, ProxyService.Cancel)
)

const DAY_MS = 86_400_000

/** The ISO date `days` after `date` (negative: before). */
const plusDays = (date: string, days: number): string =>
  new Date(Date.parse(`${date}T00:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10)

/** An instant on `date` at 10:30 Beijing time plus `minutes`. */
const instantOn = (date: string, minutes = 0): string =>
  new Date(Date.parse(`${date}T02:30:00Z`) + minutes * 60_000).toISOString()

const surnames = [
  "王",
  "李",
  "张",
  "刘",
  "陈",
  "杨",
  "赵",
  "黄",
  "周",
  "吴",
  "徐",
  "孙",
  "胡",
  "朱",
  "高",
  "林"
]
const givenNames = [
  "建国",
  "秀英",
  "桂兰",
  "志强",
  "玉兰",
  "国华",
  "淑珍",
  "明",
  "丽",
  "伟",
  "芳",
  "军",
  "敏",
  "静"
]

/** Key groups and the share of households enrolled in each. */
const keyShares: ReadonlyArray<readonly [KeyGroup.CategoryId, number, string]> = [
  [KeyGroup.CategoryId.make("elderly-alone"), 0.04, "80岁以上独居"],
  [KeyGroup.CategoryId.make("empty-nest"), 0.03, "子女均在外地"],
  [KeyGroup.CategoryId.make("disability"), 0.025, "持残疾人证"],
  [KeyGroup.CategoryId.make("low-income"), 0.03, "享受最低生活保障"]
]

/**
 * Fictitious contact details of the `serial`-th demo resident born in
 * `birthYear`: a mobile number and an ID number with a valid check character
 * (GB 11643) in the demo district's county (530103) — no real person's.
 */
const contactDetails = (
  serial: number,
  birthYear: number
): { readonly phone: string; readonly idNumber: string } => {
  const month = String(1 + (serial % 12)).padStart(2, "0")
  const day = String(1 + (serial % 28)).padStart(2, "0")
  const first17 = `530103${birthYear}${month}${day}${String(serial % 1000).padStart(3, "0")}`
  return {
    phone: `13${String(((serial + 1) * 7_919_993) % 1_000_000_000).padStart(9, "0")}`,
    idNumber: `${first17}${Resident.idCheckCharacter(first17)}`
  }
}

/**
 * A start date from which the plan interval `every` falls due on `due`
 * (`VisitPlan.dueAfter` on the calendar): the latest day before `due` that
 * does, else `due` less the interval's approximate days.
 */
const startFor = (
  calendar: WorkingCalendar.WorkingCalendar,
  every: KeyGroup.VisitInterval,
  due: string
): string => {
  for (let back = 1; back <= 400; back++) {
    const from = plusDays(due, -back)
    const d = VisitPlan.dueAfter(calendar, every, WorkingCalendar.LocalDate.make(from))
    if (Either.isRight(d) && d.right === due) return from
    if (Either.isRight(d) && d.right < due) break
  }
  return plusDays(due, -Math.round(KeyGroup.approximateDays(every)))
}

/**
 * 生成 — the demo people data of a district, the same for the same district,
 * date and seed.
 *
 * @since 0.1.0
 * @category constructors
 */
export const generate = (district: District.DemoDistrict, options: Options): DemoPeople => {
  const rnd = random(options.seed ?? 2025)
  const pick = <A>(items: ReadonlyArray<A>): A => items[Math.floor(rnd() * items.length)] as A
  const today = options.today
  const gridOf = new Map<string, string>()
  for (const g of district.grids) for (const b of g.buildingIds) gridOf.set(b, g.id)
  const workerOf = new Map<string, string>()
  for (const a of district.assignments)
    if (a.role === "full-time-worker" && "gridId" in a.target && !workerOf.has(a.target.gridId))
      workerOf.set(a.target.gridId, a.personId)

  const households: Array<unknown> = []
  const residents: Array<unknown> = []
  const enrolments: Array<unknown> = []
  const contacts: Array<unknown> = []
  const links: Array<unknown> = []
  const keyOf = new Map<string, Array<KeyGroup.CategoryId>>()
  const householdsOf = new Map<string, Array<{ id: string; buildingId: string; communityId: string }>>()

  for (const community of district.units) {
    if (community.level !== "community") continue
    const buildings = district.buildings.filter((b) => b.communityId === community.id && b.households > 0)
    if (buildings.length === 0) continue
    const target = 200 + Math.floor(rnd() * 150)
    const per = Math.max(1, Math.ceil(target / buildings.length))
    const inCommunity: Array<{ id: string; buildingId: string; communityId: string }> = []
    for (const b of buildings) {
      const n = Math.min(b.households, per)
      const gridId = gridOf.get(b.id)
      for (let j = 0; j < n; j++) {
        const door = `${1 + Math.floor(j / 12)}单元${1 + Math.floor((j % 12) / 2)}0${1 + (j % 2)}`
        const id = `hh-${b.id}-${j + 1}`
        const cats = keyShares.filter(([, share]) => rnd() < share)
        const elderlyAlone = cats.some(([c]) => c === "elderly-alone")
        const size = elderlyAlone ? 1 : 1 + Math.floor(rnd() * 5)
        const tags: Array<string> = []
        if (cats.some(([c]) => c === "low-income")) tags.push("低保")
        if (rnd() < 0.08) tags.push("党员户")
        if (rnd() < 0.1) tags.push("出租")
        else if (rnd() < 0.04) tags.push("流动")
        households.push({
          id,
          communityId: community.id,
          ...(gridId === undefined ? {} : { gridId }),
          place: { _tag: "AtBuilding", buildingId: b.id, door },
          label: `${b.name}${door}`,
          size,
          tags
        })
        inCommunity.push({ id, buildingId: b.id, communityId: community.id })
        const residentId = `rs-${id}-1`
        if (cats.length > 0 || rnd() < 0.2) {
          const name = `${pick(surnames)}${pick(givenNames)}`
          const birthYear = elderlyAlone ? 1930 + Math.floor(rnd() * 15) : 1945 + Math.floor(rnd() * 55)
          residents.push({
            id: residentId,
            householdId: id,
            name,
            birthYear,
            relation: "户主",
            // a key-group member's contact details (fictitious): what masking hides from a role without the right
            ...(cats.length > 0 ? contactDetails(residents.length, birthYear) : {})
          })
        }
        for (const [categoryId, , reason] of cats)
          enrolments.push({
            id: `en-${id}-${categoryId}`,
            categoryId,
            householdId: id,
            residentId,
            since: plusDays(today, -(30 + Math.floor(rnd() * 700))),
            reason,
            enrolledBy: `cs-${community.id}`
          })
        if (cats.length > 0)
          keyOf.set(
            id,
            cats.map(([c]) => c)
          )
      }
    }
    householdsOf.set(community.id, inCommunity)

    // 网格员: one contact per staffed grid, linked to every household of the grid
    const communityGrids = district.grids.filter((g) => g.communityId === community.id)
    for (const g of communityGrids) {
      const worker = workerOf.get(g.id)
      contacts.push({
        id: `ct-gw-${g.id}`,
        kind: "grid-worker",
        duty: "households",
        label: `${g.name}网格员`,
        communityId: community.id,
        gridId: g.id,
        ...(worker === undefined ? {} : { actorId: worker })
      })
    }
    // 楼栋长: one per building, linked to its households (also those of no grid)
    for (const b of buildings) {
      contacts.push({
        id: `ct-bl-${b.id}`,
        kind: "building-leader",
        duty: "households",
        label: `${b.name}楼栋长`,
        communityId: community.id,
        ...(gridOf.has(b.id) ? { gridId: gridOf.get(b.id) } : {})
      })
    }
    for (const h of inCommunity) {
      links.push({ contactId: `ct-bl-${h.buildingId}`, householdId: h.id })
      const gridId = gridOf.get(h.buildingId)
      if (gridId !== undefined) links.push({ contactId: `ct-gw-${gridId}`, householdId: h.id })
    }
    // 党员中心户: each linked to 1–5 key households of the community
    const key = inCommunity.filter((h) => keyOf.has(h.id))
    let k = 0
    for (let i = 0; i < key.length; k++) {
      const take = Math.min(key.length - i, 2 + Math.floor(rnd() * 4))
      const id = `ct-pm-${community.id}-${k + 1}`
      contacts.push({
        id,
        kind: "party-member-household",
        duty: "key-households",
        label: `${community.name}党员中心户${k + 1}号`,
        communityId: community.id
      })
      for (const h of key.slice(i, i + take)) links.push({ contactId: id, householdId: h.id })
      i += take
    }
  }

  const hs = decodeHouseholds(households)
  const es = decodeEnrolments(enrolments)
  const cs = decodeContacts(contacts)
  const gridsById = new Map(district.grids.map((g) => [g.id, g]))
  const building = new Map(district.buildings.map((b) => [b.id, b]))

  // 走访计划: every key household, due around today — the first two of each grid worker due today
  // and overdue, the rest spread from three weeks overdue to not yet due
  const plans: Array<VisitPlan.VisitPlan> = []
  const visits: Array<Visit.Visit> = []
  const perContact = new Map<string, number>()
  for (const h of hs) {
    if (!keyOf.has(h.id)) continue
    const buildingId = h.place._tag === "AtBuilding" ? h.place.buildingId : h.place.unitId
    const contactId = ContactDuty.ContactId.make(
      h.gridId !== undefined && workerOf.has(h.gridId) ? `ct-gw-${h.gridId}` : `ct-bl-${buildingId}`
    )
    const base = VisitPlan.fromEnrolments(
      KeyGroup.defaultCatalogue,
      es,
      h.id,
      VisitPlan.VisitPlanId.make(`vp-${h.id}`),
      today,
      contactId
    )
    if (Option.isNone(base)) continue
    const every = base.value.every
    const nth = perContact.get(contactId) ?? 0
    perContact.set(contactId, nth + 1)
    const room = Math.max(1, Math.min(25, Math.floor(KeyGroup.approximateDays(every)) - 1))
    const r = rnd()
    const offset =
      nth === 0
        ? 0
        : nth === 1
          ? -(1 + Math.floor(rnd() * 10))
          : r < 0.15
            ? 0
            : r < 0.4
              ? -(1 + Math.floor(rnd() * 20))
              : 1 + Math.floor(rnd() * room)
    const due = plusDays(today, offset)
    const from = startFor(options.calendar, every, due)
    const visited = from < today && rnd() < 0.6
    const plan: VisitPlan.VisitPlan = {
      ...base.value,
      startsOn: WorkingCalendar.LocalDate.make(visited ? plusDays(from, -90) : from)
    }
    plans.push(plan)
    if (!visited) continue
    const grid = h.gridId === undefined ? undefined : gridsById.get(h.gridId)
    const worker = h.gridId === undefined ? undefined : workerOf.get(h.gridId)
    if (grid === undefined || worker === undefined) continue
    const location = building.get(buildingId)?.location
    const method = location === undefined ? "phone" : rnd() < 0.8 ? "home" : "phone"
    const command = decodeRecordVisit({
      _tag: "RecordVisit",
      id: `vs-${h.id}-${from}`,
      householdId: h.id,
      planId: plan.id,
      visitor: { id: worker, role: "grid-worker", unitId: h.communityId },
      at: instantOn(from),
      ...(method === "home" && location !== undefined ? { position: location } : {}),
      method,
      findings: method === "home" ? "入户走访，身体状况良好，生活正常" : "电话回访，无特殊需求",
      followUps: [],
      recordedAt: instantOn(from, 45)
    })
    const visit = Visit.record(command, {
      household: h,
      visitorGrids: [grid],
      contactActorIds: [command.visitor.id],
      plan,
      calendar: options.calendar
    })
    visits.push(Either.getOrThrowWith(visit, (refused) => refused))
  }

  // 代办: a few per community, in every state, accepted on a visit where there is one
  const services: Array<ReadonlyArray<ProxyService.ProxyServiceCommand>> = []
  const visitOf = new Map<string, Visit.Visit>(visits.map((v) => [v.householdId, v]))
  const matters = ["代办高龄津贴申请", "代办残疾人证年审", "代办医保报销", "代办低保年审材料", "代领药品"]
  const offices = ["街道便民服务中心", "区残联", "区医保局窗口"]
  for (const [communityId, inCommunity] of householdsOf) {
    const served = inCommunity.filter((h) => keyOf.has(h.id) && visitOf.has(h.id)).slice(0, 4)
    served.forEach((h, i) => {
      const visit = visitOf.get(h.id)
      if (visit === undefined) return
      const serviceId = `ps-${h.id}`
      const actor = visit.visitor
      const day = DateTime.formatIso(visit.at).slice(0, 10)
      const accepted = decodeCommand({
        _tag: "Accept",
        serviceId,
        actor,
        at: instantOn(day, 60),
        householdId: h.id,
        householdUnitId: h.buildingId,
        communityId,
        matter: pick(matters),
        source: "visit",
        visitId: visit.id
      })
      const submit = decodeCommand({
        _tag: "Submit",
        serviceId,
        actor,
        at: instantOn(plusDays(day, 1)),
        office: pick(offices)
      })
      const end =
        i === 1
          ? decodeCommand({
              _tag: "Complete",
              serviceId,
              actor,
              at: instantOn(plusDays(day, 3)),
              result: "已办结，材料已送回居民"
            })
          : decodeCommand({
              _tag: "Cancel",
              serviceId,
              actor,
              at: instantOn(plusDays(day, 2)),
              reason: "居民家属已自行办理"
            })
      // accepted only; submitted; completed; cancelled
      services.push(i === 0 ? [accepted] : i === 2 ? [accepted, submit] : [accepted, submit, end])
    })
  }

  return {
    households: hs,
    residents: decodeResidents(residents),
    enrolments: es,
    contacts: cs,
    links: decodeLinks(links),
    plans,
    visits,
    services
  }
}
