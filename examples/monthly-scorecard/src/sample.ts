/**
 * 示例数据 — the sample district and its case ledger for October 2025,
 * generated deterministically (`scripts/generate.ts` writes them to `data/`).
 *
 * 示范区 has three streets and nine communities of different sizes and
 * performance (two new, small communities stay below the minimum sample).
 * Cases are reported from 22 September to 31 October 2025 — across the
 * National Day holiday (国庆节 1–8 October, with the make-up working days
 * 28 September and 11 October): grid workers patrol and the street assigns on
 * working days only; the hotline and residents report any day, holidays
 * included. Every step's duration is drawn in **working time** on the
 * official calendar, so a case dispatched on 30 September and handled on 9
 * October can well be on time. The ledger is exported on 3 November 2025 at
 * 09:00: later steps are not in it yet.
 *
 * @since 0.1.0
 */
import * as Case from "@civicgrid/core/Case"
import * as CaseCategory from "@civicgrid/core/CaseCategory"
import * as Unit from "@civicgrid/core/Unit"
import * as WorkDuration from "@civicgrid/core/WorkDuration"
import * as WorkingCalendar from "@civicgrid/core/WorkingCalendar"
import type * as Ledger from "@civicgrid/ledger/Ledger"
import * as DateTime from "effect/DateTime"
import * as Either from "effect/Either"
import * as CaseLedger from "./caseLedger.js"
import * as Units from "./units.js"

/**
 * A small deterministic pseudo-random generator (mulberry32).
 *
 * @since 0.1.0
 * @category utils
 */
export const random = (seed: number): (() => number) => {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

/**
 * 社区画像 — a community's share of the cases and how well it works
 * (`quality` 0–1: the lower, the more late handling, rework, slow filing and
 * dissatisfied residents).
 *
 * @since 0.1.0
 * @category models
 */
export interface CommunityProfile {
  readonly id: string
  readonly name: string
  readonly streetId: string
  readonly weight: number
  readonly quality: number
}

const COUNTY = "530103"

/**
 * The streets of 示范区 (synthetic codes under county 530103).
 *
 * @since 0.1.0
 * @category constants
 */
export const streets: ReadonlyArray<{ readonly id: string; readonly name: string; readonly code: string }> = [
  { id: "s-001", name: "金星街道", code: `${COUNTY}001000` },
  { id: "s-002", name: "青云街道", code: `${COUNTY}002000` },
  { id: "s-003", name: "阿子营街道", code: `${COUNTY}003000` }
]

/**
 * The communities of 示范区 with their profiles.
 *
 * @since 0.1.0
 * @category constants
 */
export const communities: ReadonlyArray<CommunityProfile> = [
  { id: "c-001-001", name: "金星社区", streetId: "s-001", weight: 14, quality: 0.85 },
  { id: "c-001-002", name: "金康社区", streetId: "s-001", weight: 12, quality: 0.6 },
  { id: "c-001-003", name: "金尚社区", streetId: "s-001", weight: 11, quality: 0.3 },
  { id: "c-001-004", name: "金辰社区", streetId: "s-001", weight: 2.5, quality: 0.7 },
  { id: "c-002-001", name: "青云社区", streetId: "s-002", weight: 13, quality: 1 },
  { id: "c-002-002", name: "白塔社区", streetId: "s-002", weight: 11, quality: 0.55 },
  { id: "c-002-003", name: "青苑社区", streetId: "s-002", weight: 2, quality: 0.9 },
  { id: "c-003-001", name: "甸头社区", streetId: "s-003", weight: 11, quality: 0.1 },
  { id: "c-003-002", name: "阿子营社区", streetId: "s-003", weight: 11, quality: 0.75 }
]

/**
 * 示范区单位 — the sample hierarchy: 区 → 街道 → 社区.
 *
 * @since 0.1.0
 * @category constants
 */
export const units: ReadonlyArray<Unit.Unit> = [
  Unit.make({ id: "d-530103", parentId: null, level: "district", name: "示范区", code: `${COUNTY}000000` }),
  ...streets.map((s) =>
    Unit.make({ id: s.id, parentId: "d-530103", level: "street", name: s.name, code: s.code })
  ),
  ...communities.map((c, i) => {
    const street = streets.find((s) => s.id === c.streetId)
    const sequence = communities.slice(0, i + 1).filter((x) => x.streetId === c.streetId).length
    return Unit.make({
      id: c.id,
      parentId: c.streetId,
      level: "community",
      name: c.name,
      code: `${(street?.code ?? `${COUNTY}000000`).slice(0, 9)}${String(sequence).padStart(3, "0")}`
    })
  })
]

/** Common community matters (小类 ids of the standard catalogue), with how often they come. */
const categoryMix: Weighted<string> = [
  ["SJ-0102", 10], // 暴露垃圾
  ["SJ-0113", 8], // 垃圾满溢
  ["SJ-0507", 8], // 非机动车乱停放
  ["SJ-0506", 6], // 机动车乱停放
  ["SJ-0502", 6], // 占道经营
  ["SJ-0201", 6], // 非法小广告
  ["SJ-0508", 5], // 乱堆物料
  ["SJ-0509", 3], // 商业噪声
  ["SJ-0301", 3], // 施工扰民
  ["SJ-0404", 3], // 下水道堵塞或破损 (紧急)
  ["SJ-0406", 2], // 道路积水 (紧急)
  ["BJ-0102", 4], // 污水井盖
  ["BJ-0112", 5], // 路灯
  ["BJ-0303", 4], // 垃圾箱
  ["BJ-0402", 3], // 行道树
  ["BJ-0211", 3], // 非机动车停放架 (无主管部门: 社区处置)
  ["BJ-0501", 2] // 宣传栏 (无主管部门: 社区处置)
]

/**
 * Options of the generator: how many cases (default 480), the seed, the
 * first and last report dates (local, default 2025-09-22 … 2025-10-31) and
 * when the ledger is exported (steps after it are left out; default
 * 2025-11-03 09:00 +08:00).
 *
 * @since 0.1.0
 * @category models
 */
export interface SampleOptions {
  readonly count?: number
  readonly seed?: number
  readonly from?: string
  readonly to?: string
  readonly exportedAt?: DateTime.Utc
}

const MINUTE = 60_000
const DAY = 86_400_000
const OFFSET = 8 * 60 * MINUTE

type Weighted<A> = readonly [readonly [A, number], ...Array<readonly [A, number]>]

const pickWeighted = <A>(rnd: () => number, items: Weighted<A>): A => {
  const total = items.reduce((s, [, w]) => s + w, 0)
  let x = rnd() * total
  for (const [item, w] of items) {
    x -= w
    if (x < 0) return item
  }
  return items[0][0]
}

/**
 * 生成案件 — the sample's case rows, sorted by report time, with ids
 * `AJ<yyyymmdd><nnn>` (the n-th case reported that day). Pure and
 * deterministic: the same options give the same rows.
 *
 * @since 0.1.0
 * @category constructors
 */
export const generateCases = (options: SampleOptions = {}): ReadonlyArray<CaseLedger.CaseRow> => {
  const rnd = random(options.seed ?? 202510)
  const count = options.count ?? 480
  const calendar = WorkingCalendar.china()
  const from = Date.parse(`${options.from ?? "2025-09-22"}T00:00:00Z`)
  const to = Date.parse(`${options.to ?? "2025-10-31"}T00:00:00Z`)
  const exportedAt = (options.exportedAt ?? DateTime.unsafeMake(Date.parse("2025-11-03T01:00:00Z")))
    .epochMillis
  const days: Array<string> = []
  const workingDays: Array<string> = []
  for (let d = from; d <= to; d += DAY) {
    const date = new Date(d).toISOString().slice(0, 10)
    days.push(date)
    const working = WorkingCalendar.isWorkingDay(calendar, WorkingCalendar.LocalDate.make(date))
    if (Either.isRight(working) && working.right) workingDays.push(date)
  }
  const int = (min: number, max: number): number => min + Math.floor(rnd() * (max - min + 1))
  const pick = (items: ReadonlyArray<string>): string =>
    items[Math.floor(rnd() * items.length)] ?? "2025-10-09"
  /** local wall-clock minutes of a date → an instant */
  const local = (date: string, minutes: number): number =>
    Date.parse(`${date}T00:00:00Z`) - OFFSET + minutes * MINUTE
  /** `start` plus working minutes on the calendar, rounded up to the minute */
  const addWorking = (start: number, minutes: number): number =>
    Either.match(
      WorkDuration.addDuration(calendar, DateTime.unsafeMake(start), WorkDuration.workingHours(minutes / 60)),
      {
        onLeft: () => start + minutes * MINUTE,
        onRight: (t) => Math.ceil(t.epochMillis / MINUTE) * MINUTE
      }
    )
  const minors = new Map(CaseCategory.minors(CaseCategory.Standard).map((m) => [m.id as string, m]))
  const [first, ...rest] = communities.map((c) => [c, c.weight] as const)
  if (first === undefined) return []
  const communityMix: Weighted<CommunityProfile> = [first, ...rest]

  const drafts: Array<{ readonly at: number; readonly row: Omit<CaseLedger.CaseRow, "caseId"> }> = []
  for (let i = 0; i < count; i++) {
    const community = pickWeighted(rnd, communityMix)
    const q = community.quality
    const categoryId = pickWeighted(rnd, categoryMix)
    const category = minors.get(categoryId)
    const baseUrgency = category === undefined ? "normal" : CaseCategory.urgencyOf(category)
    const urgency: CaseCategory.Urgency = baseUrgency === "normal" && rnd() < 0.05 ? "urgent" : baseUrgency
    const source = pickWeighted<Case.Source>(rnd, [
      ["patrol", 45],
      ["hotline", 30],
      ["resident-app", 15],
      ["assigned", 10]
    ])
    // grid workers patrol and the street assigns in working hours; residents call any day
    const reportedAt =
      source === "patrol" || source === "assigned"
        ? local(pick(workingDays), rnd() < 0.5 ? int(510, 710) : int(810, 1040))
        : local(pick(days), int(420, 1320))
    const limit = urgency === "critical" ? 120 : urgency === "urgent" ? 450 : 1350 // working minutes
    const acceptedAt = addWorking(reportedAt, rnd() < 0.02 + 0.2 * (1 - q) ? int(70, 200) : int(5, 50))
    const dispatchedAt = addWorking(acceptedAt, rnd() < 0.02 + 0.05 * (1 - q) ? int(70, 120) : int(5, 40))
    const late = rnd() < 0.03 + 0.35 * (1 - q)
    const handledAt = addWorking(
      dispatchedAt,
      late
        ? int(Math.round(limit * 1.1), Math.round(limit * 2.2))
        : int(Math.round(limit * 0.1), Math.round(limit * 0.9))
    )
    const reworked = rnd() < 0.02 + 0.15 * (1 - q)
    const reworkAt = reworked ? addWorking(handledAt, int(30, 240)) : undefined
    const reworkHandledAt =
      reworkAt === undefined
        ? undefined
        : addWorking(reworkAt, int(Math.round(limit * 0.2), Math.round(limit * 0.8)))
    const closedAt = addWorking(
      reworkHandledAt ?? handledAt,
      rnd() < 0.02 + 0.1 * (1 - q) ? int(480, 900) : int(20, 300)
    )
    const evaluatedAt = addWorking(closedAt, int(60, 900))
    const r = rnd()
    const rating: Case.Rating =
      r < 0.05
        ? "unreachable"
        : r < 0.07 + 0.2 * (1 - q)
          ? "dissatisfied"
          : r < 0.25 + 0.2 * (1 - q)
            ? "basically-satisfied"
            : "satisfied"
    // the ledger holds what happened by the export (the steps come in time order)
    const step = <K extends string>(key: K, t: number | undefined): Partial<Record<K, DateTime.Utc>> =>
      t === undefined || t > exportedAt ? {} : ({ [key]: DateTime.unsafeMake(t) } as Record<K, DateTime.Utc>)
    const row: Omit<CaseLedger.CaseRow, "caseId"> = {
      community: community.name,
      source,
      categoryId: CaseCategory.CategoryId.make(categoryId),
      urgency,
      reportedAt: DateTime.unsafeMake(reportedAt),
      ...step("acceptedAt", acceptedAt),
      ...step("dispatchedAt", dispatchedAt),
      ...step("handledAt", handledAt),
      ...step("reworkAt", reworkAt),
      ...step("reworkHandledAt", reworkHandledAt),
      ...step("closedAt", closedAt),
      ...step("evaluatedAt", evaluatedAt),
      ...(evaluatedAt > exportedAt ? {} : { rating })
    }
    drafts.push({ at: reportedAt, row })
  }
  drafts.sort((a, b) => a.at - b.at)
  const perDay = new Map<string, number>()
  return drafts.map(({ at, row }) => {
    const date = new Date(at + OFFSET).toISOString().slice(0, 10).replaceAll("-", "")
    const n = (perDay.get(date) ?? 0) + 1
    perDay.set(date, n)
    return { caseId: Case.CaseId.make(`AJ${date}${String(n).padStart(3, "0")}`), ...row }
  })
}

/**
 * 示例文件 — the sample's two CSV ledgers (with a BOM): the units and the
 * cases. Left only if the generator produced a row its own ledger rejects (a
 * bug).
 *
 * @since 0.1.0
 * @category constructors
 */
export const sampleFiles = (
  options: SampleOptions = {}
): Either.Either<
  { readonly units: string; readonly cases: string },
  Ledger.LedgerExportError | Units.DistrictError
> =>
  Either.gen(function* () {
    const unitsCsv = yield* Units.write(units)
    const district = yield* Units.read(unitsCsv)
    const cases = yield* CaseLedger.write({ district }, generateCases(options))
    return { units: unitsCsv, cases }
  })
