/**
 * 一年案件 — a year of cases for the demo district, generated deterministically
 * through the core's decider (`Case.execute`): every event the store receives
 * is one `decide` produced from a command a real actor would give, so the
 * seeded histories obey every rule of the closed loop.
 *
 * The mix is shaped like a street office's year: most cases are accepted,
 * dispatched, handled, verified and closed within their time limits, then
 * evaluated on the return visit (回访); some fail verification and are
 * reworked (返工), some are escalated to the street (街道微循环), some are
 * suspended (挂账) and resumed, some are handled late, a few are rejected or
 * voided as duplicates, grid workers self-handle small matters (琐事不出楼栋),
 * and the last weeks' cases are still open.
 *
 * @since 0.1.0
 */
import type { Actor } from "@civicgrid/core/Actor"
import { ActorId, DepartmentId } from "@civicgrid/core/Actor"
import * as Case from "@civicgrid/core/Case"
import * as CaseCategory from "@civicgrid/core/CaseCategory"
import type { CaseCommand } from "@civicgrid/core/CaseCommand"
import type { CaseEvent } from "@civicgrid/core/CaseEvent"
import type { AppendInput } from "@civicgrid/core/CaseRepository"
import { GridId } from "@civicgrid/core/Grid"
import { UnitId } from "@civicgrid/core/Unit"
import * as WorkingCalendar from "@civicgrid/core/WorkingCalendar"
import * as Arr from "effect/Array"
import * as DateTime from "effect/DateTime"
import * as Either from "effect/Either"
import * as Schema from "effect/Schema"
import type { DemoDistrict } from "./District.js"
import {
  describeViolations,
  integerIn,
  officialYear,
  officialYearLimits,
  optionViolation,
  safeInteger,
  validateWith
} from "./internal/options.js"
import { random } from "./internal/random.js"

// ---------------------------------------------------------------------------
// options
// ---------------------------------------------------------------------------

/**
 * 案件选项 — how many cases, in which year, from which seed.
 *
 * @since 0.1.0
 * @category models
 */
export interface Options {
  /** 案件数 — 0 to 200,000 (default 3,000), spread over the year's working days. */
  readonly count?: number
  /** 年份 — a year the official working calendar knows (`WorkingCalendar.officialYears()`; default 2025). */
  readonly year?: number
  /** 随机种子 — any safe integer (default 311). */
  readonly seed?: number
}

/**
 * The defaults of `Options`.
 *
 * @since 0.1.0
 * @category models
 */
export const defaults = { count: 3000, year: 2025, seed: 311 } as const

/**
 * The limits `validate` checks: the case count, and the years of the official
 * working calendar.
 *
 * @since 0.1.0
 * @category models
 */
export const limits = {
  count: { min: 0, max: 200_000 },
  year: officialYearLimits
} as const

/**
 * 选项名 — the options `validate` checks.
 *
 * @since 0.1.0
 * @category schemas
 */
export const OptionField = Schema.Literal("count", "year", "seed")

/**
 * @since 0.1.0
 * @category models
 */
export type OptionField = typeof OptionField.Type

/**
 * 选项问题 — one bad option: its field, the rule it breaks, the value given.
 *
 * @since 0.1.0
 * @category schemas
 */
export const OptionViolation = optionViolation(OptionField)

/**
 * @since 0.1.0
 * @category models
 */
export interface OptionViolation extends Schema.Schema.Type<typeof OptionViolation> {}

/**
 * 案件选项无效 — the case options break a rule; every bad field is named with
 * its rule.
 *
 * @since 0.1.0
 * @category errors
 */
export class InvalidCaseOptions extends Schema.TaggedError<InvalidCaseOptions>()("InvalidCaseOptions", {
  violations: Schema.NonEmptyArray(OptionViolation)
}) {
  override get message(): string {
    return `案件选项无效 invalid case options: ${describeViolations(this.violations)}`
  }
}

/**
 * Validates options: every bad field with the rule it breaks.
 *
 * @since 0.1.0
 * @category validation
 */
export const validate = (options: Options): Either.Either<Options, InvalidCaseOptions> =>
  validateWith(
    options,
    [
      ["count", integerIn(limits.count.min, limits.count.max)],
      ["year", officialYear],
      ["seed", safeInteger]
    ],
    (violations) => new InvalidCaseOptions({ violations })
  )

// ---------------------------------------------------------------------------
// actors
// ---------------------------------------------------------------------------

/**
 * 演示角色 — the fixed demo actors (also the principals of the demo tokens).
 *
 * @since 0.1.0
 * @category constructors
 */
export const actors = {
  communityStaff: (communityId: string): Actor => ({
    id: ActorId.make(`cs-${communityId}`),
    role: "community-staff",
    unitId: UnitId.make(communityId)
  }),
  streetStaff: (streetId: string): Actor => ({
    id: ActorId.make(`ss-${streetId}`),
    role: "street-staff",
    unitId: UnitId.make(streetId)
  }),
  department: (districtId: string, departmentId: string): Actor => ({
    id: ActorId.make(`dept-${departmentId}`),
    role: "department",
    unitId: UnitId.make(districtId),
    departmentId: DepartmentId.make(departmentId)
  }),
  hotline: (districtId: string): Actor => ({
    id: ActorId.make("hotline-12345"),
    role: "hotline",
    unitId: UnitId.make(districtId)
  }),
  /** 示范居民 — the demo resident: reports some resident-app cases from their home building. */
  resident: (buildingId: string): Actor => ({
    id: ActorId.make("r-demo"),
    role: "resident",
    unitId: UnitId.make(buildingId)
  })
}

/**
 * 演示身份 — who the demo tokens stand for: the demo resident's home (the
 * first building a grid covers), and the full-time grid worker of the first
 * staffed grid with that grid's community.
 *
 * @since 0.1.0
 * @category getters
 */
export const demoHomes = (
  district: DemoDistrict
): { readonly residentHome: string; readonly gridWorker: string; readonly gridWorkerCommunity: string } => {
  const gridOf = new Map<string, string>()
  for (const g of district.grids) for (const b of g.buildingIds) gridOf.set(b, g.id)
  const residentHome = district.buildings.find((b) => gridOf.has(b.id))?.id ?? ""
  for (const grid of district.grids) {
    const worker = district.assignments.find(
      (a) => a.role === "full-time-worker" && "gridId" in a.target && a.target.gridId === grid.id
    )
    if (worker !== undefined) {
      return { residentHome, gridWorker: worker.personId, gridWorkerCommunity: grid.communityId }
    }
  }
  return { residentHome, gridWorker: "gw-demo", gridWorkerCommunity: "c-001-001" }
}

// ---------------------------------------------------------------------------
// the generator
// ---------------------------------------------------------------------------

/**
 * 生成结果 — the generated year: the store inputs, and how many cases took
 * each path.
 *
 * @since 0.1.0
 * @category models
 */
export interface GeneratedCases {
  readonly inputs: ReadonlyArray<AppendInput>
  readonly paths: Readonly<Partial<Record<Path, number>>>
}

/**
 * 生成失败 — why `generate` gave no cases: bad options, or a command the
 * decider refused (a bug in the generator).
 *
 * @since 0.1.0
 * @category errors
 */
export type GenerateError = InvalidCaseOptions | Case.CaseRefused

/**
 * 生成一年案件 — generates the year. Pure and deterministic: the same district
 * and options give the same inputs. `onCase` (optional) is called after each
 * case with how many are done, for progress reports.
 *
 * @since 0.1.0
 * @category constructors
 */
export const generate = (
  district: DemoDistrict,
  options: Options = {},
  onCase: (done: number, total: number) => void = () => {}
): Either.Either<GeneratedCases, GenerateError> =>
  Either.flatMap(validate(options), (valid) => generateValid(district, valid, onCase))

const MINUTE = 60_000
const HOUR = 60 * MINUTE
const DAY = 24 * HOUR

const descriptions: Readonly<Record<string, readonly [string, ...Array<string>]>> = {
  component: ["设施损坏，需要维修", "设施缺失，影响通行", "设施松动，存在安全隐患"],
  event: ["居民反映问题，请尽快处理", "巡查发现问题，需要处置", "群众来电反映，影响生活"]
}

const generateValid = (
  district: DemoDistrict,
  options: Options,
  onCase: (done: number, total: number) => void
): Either.Either<GeneratedCases, Case.CaseRefused> => {
  const count = options.count ?? defaults.count
  const year = options.year ?? defaults.year
  const rnd = random(options.seed ?? defaults.seed)
  const pick = <A>(items: readonly [A, ...Array<A>]): A => items[Math.floor(rnd() * items.length)] ?? items[0]
  const calendar = WorkingCalendar.china()

  // working days of the year, in Beijing time
  const workingDays: Array<string> = []
  for (let d = Date.UTC(year, 0, 1); d < Date.UTC(year + 1, 0, 1); d += DAY) {
    const date = new Date(d).toISOString().slice(0, 10)
    const working = WorkingCalendar.isWorkingDay(calendar, WorkingCalendar.LocalDate.make(date))
    if (Either.isRight(working) && working.right) workingDays.push(date)
  }
  /** 09:00 Beijing of a working day + minutes (01:00 UTC). */
  const at = (dayIndex: number, minutes: number): number => {
    const date = workingDays[Math.min(dayIndex, workingDays.length - 1)] ?? `${year}-01-02`
    return Date.parse(`${date}T01:00:00Z`) + minutes * MINUTE
  }

  const streetOf = new Map<string, string>()
  const districtId = district.units.find((u) => u.parentId === null)?.id ?? "d"
  for (const u of district.units)
    if (u.level === "community" && u.parentId !== null) streetOf.set(u.id, u.parentId)
  const gridOf = new Map<string, string>()
  for (const g of district.grids) for (const b of g.buildingIds) gridOf.set(b, g.id)
  const covered = district.buildings.filter((b) => gridOf.has(b.id))
  const minors = CaseCategory.minors(CaseCategory.Standard)
  if (!Arr.isNonEmptyReadonlyArray(covered) || !Arr.isNonEmptyReadonlyArray(minors)) {
    return Either.right({ inputs: [], paths: {} })
  }
  const workerOf = new Map<string, string>()
  for (const a of district.assignments) {
    if (a.role === "full-time-worker" && "gridId" in a.target) workerOf.set(a.target.gridId, a.personId)
  }
  const residentHome = covered[0].id

  const paths: Partial<Record<Path, number>> = {}
  const inputs: Array<AppendInput> = []
  for (let i = 0; i < count; i++) {
    const building = pick(covered)
    const communityId = building.communityId
    const streetId = streetOf.get(communityId) ?? districtId
    const gridId = gridOf.get(building.id) ?? ""
    const category = pick(minors)
    const caseId = Case.CaseId.make(`${year}-${String(i + 1).padStart(5, "0")}`)
    const day = Math.floor((i / count) * workingDays.length)
    let t = at(day, Math.floor(rnd() * 420))
    const next = (minMinutes: number, maxMinutes: number): DateTime.Utc => {
      t += (minMinutes + Math.floor(rnd() * (maxMinutes - minMinutes + 1))) * MINUTE
      return DateTime.unsafeMake(t)
    }
    const community = actors.communityStaff(communityId)
    const street = actors.streetStaff(streetId)
    const worker: Actor = {
      id: ActorId.make(workerOf.get(gridId) ?? `gw-${gridId}`),
      role: "grid-worker",
      unitId: UnitId.make(communityId)
    }
    const recent = day >= workingDays.length - 12
    const roll = rnd()
    const source: Case.Source =
      roll < 0.5 ? "patrol" : roll < 0.75 ? "hotline" : roll < 0.9 ? "resident-app" : "assigned"
    const reporter: Actor =
      source === "patrol"
        ? worker
        : source === "hotline"
          ? actors.hotline(districtId)
          : source === "resident-app"
            ? i % 7 === 0
              ? actors.resident(residentHome)
              : { id: ActorId.make(`r-${building.id}`), role: "resident", unitId: UnitId.make(building.id) }
            : street
    const location = { unitId: UnitId.make(building.id), gridId: GridId.make(gridId) }
    const description = `${building.name}：${category.name}${pick(descriptions[category.family] ?? ["需要处理"])}`
    const meta = () => ({ caseId, at: next(5, 40) })

    let state: Case.State = Case.initial
    const events: Array<CaseEvent> = []
    let refused: Case.CaseRefused | undefined
    const run = (command: CaseCommand): boolean => {
      if (refused !== undefined) return false
      const result = Case.execute(state, command)
      if (Either.isLeft(result)) {
        refused = result.left
        return false
      }
      state = result.right.state
      events.push(...result.right.events)
      return true
    }

    // 琐事不出楼栋 — a grid worker resolves a small matter on the spot
    const path = pathOf(rnd(), recent)
    if (path === "self-handled") {
      run({
        _tag: "SelfHandle",
        caseId,
        actor: worker,
        at: DateTime.unsafeMake(t),
        source: "patrol",
        categoryId: category.id,
        urgency: "normal",
        description,
        location,
        communityId: UnitId.make(communityId),
        tier: "community",
        anonymous: false,
        result: "现场劝导，已处理完毕",
        evidence: [`photo://${caseId}/after.jpg`]
      })
    } else {
      const urgency = rnd() < 0.08 ? "urgent" : "normal"
      run({
        _tag: "Report",
        caseId,
        actor: reporter,
        at: DateTime.unsafeMake(t),
        source,
        categoryId: category.id,
        urgency,
        description,
        location,
        communityId: UnitId.make(communityId),
        tier: "community",
        anonymous: false,
        ...(source === "patrol" || source === "assigned"
          ? {}
          : { contact: { name: "王女士", phone: `138${String(10_000_000 + ((i * 7919) % 89_999_999))}` } })
      })
      if (path === "rejected") {
        run({ _tag: "Reject", ...meta(), actor: community, reason: "不属于受理范围" })
      } else if (path === "voided") {
        run({ _tag: "Accept", ...meta(), actor: community })
        run({ _tag: "Void", ...meta(), actor: community, reason: "duplicate", note: "与已有案件重复" })
      } else if (path !== "open-reported") {
        run({ _tag: "Accept", ...meta(), actor: community })
        let owner: Actor = community
        if (path === "escalated") {
          run({
            _tag: "Escalate",
            ...meta(),
            actor: community,
            toUnitId: UnitId.make(streetId),
            reason: "社区无法解决，提请街道协调"
          })
          owner = street
        }
        const departmentId = category.departmentId
        const byDepartment = departmentId !== undefined && rnd() < 0.6
        const handler: Actor = byDepartment ? actors.department(districtId, departmentId) : owner
        run({
          _tag: "Dispatch",
          ...meta(),
          actor: owner,
          target: byDepartment
            ? { _tag: "Department", departmentId: DepartmentId.make(departmentId) }
            : { _tag: "Unit", unitId: owner.unitId }
        })
        if (path !== "open-dispatched") {
          if (path === "suspended") {
            run({ _tag: "RequestSuspension", ...meta(), actor: handler, reason: "需协调产权单位，暂缓处置" })
            run({ _tag: "ApproveSuspension", ...meta(), actor: owner })
            t += (3 + Math.floor(rnd() * 10)) * DAY
            run({ _tag: "Resume", ...meta(), actor: owner, note: "产权单位已同意维修" })
          }
          if (path === "late") t += (4 + Math.floor(rnd() * 6)) * DAY
          else t += Math.floor(rnd() * 3) * HOUR
          const handle = () =>
            run({
              _tag: "Handle",
              ...meta(),
              actor: handler,
              result: "已处置完毕",
              evidence: [`photo://${caseId}/after-${events.length}.jpg`]
            })
          handle()
          if (path === "reworked") {
            run({ _tag: "Verify", ...meta(), actor: owner, outcome: "fail", note: "现场核查未整改到位" })
            t += Math.floor(rnd() * 4) * HOUR
            handle()
          }
          run({ _tag: "Verify", ...meta(), actor: owner, outcome: "pass" })
          if (!recent || rnd() < 0.5) {
            const r = rnd()
            const rating: Case.Rating =
              r < 0.7
                ? "satisfied"
                : r < 0.88
                  ? "basically-satisfied"
                  : r < 0.95
                    ? "dissatisfied"
                    : "unreachable"
            t += Math.floor(rnd() * 2) * DAY
            run({
              _tag: "Evaluate",
              ...meta(),
              actor: r < 0.5 ? community : actors.hotline(districtId),
              rating
            })
          }
        }
      }
    }
    if (refused !== undefined) return Either.left(refused)
    paths[path] = (paths[path] ?? 0) + 1
    inputs.push({ caseId, expectedVersion: 0, events })
    onCase(i + 1, count)
  }
  return Either.right({ inputs, paths })
}

/**
 * 案件路径 — how a generated case went.
 *
 * @since 0.1.0
 * @category models
 */
export type Path =
  | "closed"
  | "self-handled"
  | "reworked"
  | "escalated"
  | "suspended"
  | "late"
  | "rejected"
  | "voided"
  | "open-reported"
  | "open-dispatched"

const pathOf = (r: number, recent: boolean): Path => {
  if (recent && r < 0.3) return r < 0.1 ? "open-reported" : "open-dispatched"
  if (r < 0.55) return "closed"
  if (r < 0.67) return "self-handled"
  if (r < 0.75) return "reworked"
  if (r < 0.81) return "escalated"
  if (r < 0.85) return "suspended"
  if (r < 0.92) return "late"
  if (r < 0.96) return "rejected"
  return "voided"
}
