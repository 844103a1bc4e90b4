/**
 * The list ledgers — 问题清单台账, 资源清单台账, 任务清单台账 (seed 000's 三张清单) —
 * round-trip the core's problems, resources and tasks through CSV and XLSX;
 * every corrupted cell is reported at its Excel row and column, and nothing is
 * accepted; seed 000's flow goes into one workbook with three sheets and
 * comes back.
 */
import * as Hierarchy from "@civicgrid/core/Hierarchy"
import * as LevelScheme from "@civicgrid/core/LevelScheme"
import { PartyOrgId } from "@civicgrid/core/PartyOrganization"
import * as Planner from "@civicgrid/core/Planner"
import * as ProblemList from "@civicgrid/core/ProblemList"
import * as ResourceList from "@civicgrid/core/ResourceList"
import { PartyMemberClass, PersonId } from "@civicgrid/core/Staffing"
import * as TaskList from "@civicgrid/core/TaskList"
import * as Unit from "@civicgrid/core/Unit"
import { describe, expect, it } from "@effect/vitest"
import * as DateTime from "effect/DateTime"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as fc from "effect/FastCheck"
import * as Schema from "effect/Schema"
import ExcelJS from "exceljs"
import { Csv, Ledger, ProblemLedger, ResourceLedger, TaskLedger, Xlsx } from "../src/index.js"
import { text } from "./fixtures.js"

// -----------------------------------------------------------------------------
// helpers
// -----------------------------------------------------------------------------

const right = <A, E>(e: Either.Either<A, E>): A => {
  if (Either.isLeft(e)) throw new Error(`expected Right, got ${String(e.left)}`)
  return e.right
}

/** Rows as JSON (DateTimes as ISO), for comparisons. */
const json = <A, I>(schema: Schema.Schema<A, I, never>, rows: ReadonlyArray<A>): unknown =>
  JSON.parse(JSON.stringify(Schema.encodeSync(Schema.Array(schema))(rows)))

const csvRoundTrip = <A>(spec: Ledger.LedgerSpec<A>, rows: ReadonlyArray<A>): ReadonlyArray<A> =>
  Either.getOrThrowWith(
    Either.flatMap(Csv.write(spec, rows), (csv) => Csv.read(spec, csv)),
    (e) => new Error(e.message)
  )

const xlsxRoundTrip = <A>(spec: Ledger.LedgerSpec<A>, rows: ReadonlyArray<A>) =>
  Effect.flatMap(Xlsx.write(spec, rows), (bytes) => Xlsx.read(spec, bytes))

const csvLines = (csv: string): ReadonlyArray<string> => csv.replace("\uFEFF", "").split("\r\n")

const DAY = 86_400_000
const at = (iso: string): DateTime.Utc => DateTime.unsafeMake(iso)
const later = (t: DateTime.Utc, ms: number): DateTime.Utc =>
  DateTime.unsafeMake(DateTime.toEpochMillis(t) + ms)

// -----------------------------------------------------------------------------
// generators: fields full of what breaks naive CSV/XLSX code (Chinese, commas,
// quotes, line breaks, leading = + - @, the list separator 、, backslashes)
// -----------------------------------------------------------------------------

/** A trimmed non-empty single-line text (ids, names, tags: `Text.line` refuses line breaks and tabs). */
const idText = (csv: boolean): fc.Arbitrary<string> =>
  text(csv)
    .map((s) => s.replace(/[\t\r\n]/g, " ").trim())
    .filter((s) => s.length > 0)

/** A free text that is not "" (an optional "" reads back as absent — a documented exception). */
const noteText = (csv: boolean): fc.Arbitrary<string> => text(csv).filter((s) => s !== "")

const instant: fc.Arbitrary<DateTime.Utc> = fc
  .integer({ min: Date.UTC(2000, 0, 1), max: Date.UTC(2090, 0, 1) })
  .map((ms) => DateTime.unsafeMake(ms))

const delay: fc.Arbitrary<number> = fc.integer({ min: 0, max: 120 * DAY })

const sourceArb = (csv: boolean): fc.Arbitrary<ProblemList.ProblemSource> =>
  fc.oneof(
    fc
      .option(idText(csv), { nil: undefined })
      .map(
        (id): ProblemList.ProblemSource =>
          id === undefined
            ? { _tag: "HouseholdVisit" }
            : { _tag: "HouseholdVisit", gridWorkerId: PersonId.make(id) }
      ),
    fc
      .option(idText(csv), { nil: undefined })
      .map(
        (id): ProblemList.ProblemSource =>
          id === undefined ? { _tag: "PartyBranch" } : { _tag: "PartyBranch", branchId: PartyOrgId.make(id) }
      ),
    idText(csv).map((caseId): ProblemList.ProblemSource => ({ _tag: "PlatformCase", caseId })),
    fc
      .option(noteText(csv), { nil: undefined })
      .map(
        (note): ProblemList.ProblemSource =>
          note === undefined ? { _tag: "Other" } : { _tag: "Other", note }
      )
  )

/** Problems built with `ProblemList.make` and moved through the status transitions. */
const problemArb = (csv: boolean): fc.Arbitrary<ProblemList.Problem> =>
  fc
    .record({
      id: idText(csv),
      unitId: idText(csv),
      gridId: fc.option(idText(csv), { nil: undefined }),
      categoryId: fc.oneof(fc.constantFrom(...ProblemList.defaultCategories.map((c) => c.id)), idText(csv)),
      source: sourceArb(csv),
      description: idText(csv),
      reportedAt: instant,
      tags: fc.array(idText(csv), { maxLength: 4 }),
      demand: fc.integer({ min: 1, max: 500 }),
      caseIds: fc.array(idText(csv), { maxLength: 3 }),
      step: fc.constantFrom(...(["open", "planned", "resolved", "closed", "unplanned"] as const)),
      taskId: idText(csv),
      plannedAfter: delay,
      doneAfter: delay,
      note: fc.option(noteText(csv), { nil: undefined }),
      reason: idText(csv)
    })
    .map((f) => {
      const open = ProblemList.make({
        id: f.id,
        unitId: f.unitId,
        ...(f.gridId === undefined ? {} : { gridId: f.gridId }),
        categoryId: f.categoryId,
        source: f.source,
        description: f.description,
        reportedAt: f.reportedAt,
        tags: f.tags,
        demand: f.demand,
        caseIds: f.caseIds
      })
      const plannedAt = later(f.reportedAt, f.plannedAfter)
      const doneAt = later(plannedAt, f.doneAfter)
      const planned = () => right(ProblemList.plan(open, { taskId: f.taskId, at: plannedAt }))
      const steps: Record<typeof f.step, () => ProblemList.Problem> = {
        open: () => open,
        planned,
        resolved: () =>
          right(
            ProblemList.resolve(planned(), { at: doneAt, ...(f.note === undefined ? {} : { note: f.note }) })
          ),
        closed: () => right(ProblemList.close(open, { at: doneAt, reason: f.reason })),
        unplanned: () => right(ProblemList.unplan(planned()))
      }
      return steps[f.step]()
    })

const providerArb = (csv: boolean): fc.Arbitrary<ResourceList.Provider> =>
  fc.oneof(
    fc.record({
      kind: fc.constantFrom("co-building-unit" as const, "social-organization" as const),
      name: idText(csv)
    }),
    fc
      .record({
        name: idText(csv),
        partyMemberClass: fc.constantFrom(...PartyMemberClass.literals),
        personId: fc.option(idText(csv), { nil: undefined })
      })
      .map(
        ({ personId, ...rest }): ResourceList.Provider => ({
          kind: "party-member",
          ...rest,
          ...(personId === undefined ? {} : { personId: PersonId.make(personId) })
        })
      ),
    fc.record({ name: idText(csv), personId: fc.option(idText(csv), { nil: undefined }) }).map(
      ({ name, personId }): ResourceList.Provider => ({
        kind: "volunteer",
        name,
        ...(personId === undefined ? {} : { personId: PersonId.make(personId) })
      })
    )
  )

/** Resources built with `ResourceList.make`. */
const resourceArb = (csv: boolean): fc.Arbitrary<ResourceList.Resource> =>
  fc
    .record({
      id: idText(csv),
      name: idText(csv),
      kind: fc.constantFrom(...ResourceList.ResourceKind.literals),
      tags: fc.array(idText(csv), { maxLength: 4 }),
      scope: fc.array(idText(csv), { maxLength: 3 }),
      capacity: fc.nat({ max: 10_000 }),
      provider: providerArb(csv),
      window: fc.option(fc.tuple(instant, delay), { nil: undefined }),
      description: fc.option(noteText(csv), { nil: undefined })
    })
    .map(({ window, description, ...f }) =>
      ResourceList.make({
        ...f,
        ...(window === undefined
          ? {}
          : { availability: { from: window[0], to: later(window[0], window[1]) } }),
        ...(description === undefined ? {} : { description })
      })
    )

/** Tasks built with `TaskList.make` and moved through the status transitions. */
const taskArb = (csv: boolean): fc.Arbitrary<TaskList.Task> =>
  fc
    .record({
      id: idText(csv),
      problemId: idText(csv),
      title: idText(csv),
      workCode: fc.option(idText(csv), { nil: undefined }),
      resourceIds: fc.array(idText(csv), { maxLength: 3 }),
      owner: fc.oneof(idText(csv).map(TaskList.unitOwner), idText(csv).map(TaskList.departmentOwner)),
      deadline: instant,
      supervision: fc.option(
        fc.record({
          unitId: idText(csv).map((id) => Unit.UnitId.make(id)),
          level: fc.constantFrom(...TaskList.SupervisionLevel.literals),
          since: instant,
          note: fc.option(noteText(csv), { nil: undefined })
        }),
        { nil: undefined }
      ),
      step: fc.constantFrom(
        ...(["pending", "in-progress", "done", "cancelled", "cancelled-in-progress"] as const)
      ),
      startedAt: instant,
      doneAfter: delay,
      reason: idText(csv)
    })
    .map((f) => {
      const supervision: TaskList.Supervision | undefined =
        f.supervision === undefined
          ? undefined
          : {
              unitId: f.supervision.unitId,
              level: f.supervision.level,
              since: f.supervision.since,
              ...(f.supervision.note === undefined ? {} : { note: f.supervision.note })
            }
      const pending = TaskList.make({
        id: f.id,
        problemId: f.problemId,
        title: f.title,
        ...(f.workCode === undefined ? {} : { workCode: f.workCode }),
        resourceIds: f.resourceIds,
        owner: f.owner,
        deadline: f.deadline,
        ...(supervision === undefined ? {} : { supervision })
      })
      const started = () => right(TaskList.start(pending, { at: f.startedAt }))
      const doneAt = later(f.startedAt, f.doneAfter)
      const steps: Record<typeof f.step, () => TaskList.Task> = {
        pending: () => pending,
        "in-progress": started,
        done: () => right(TaskList.complete(started(), { at: doneAt })),
        cancelled: () => right(TaskList.cancel(pending, { at: doneAt, reason: f.reason })),
        "cancelled-in-progress": () => right(TaskList.cancel(started(), { at: doneAt, reason: f.reason }))
      }
      return steps[f.step]()
    })

// -----------------------------------------------------------------------------
// corruptions: one bad cell per row, reported at exactly that row and column
// -----------------------------------------------------------------------------

interface Corruption<A> {
  readonly field: string
  readonly cell: string
  readonly rule: Ledger.RowRule
  /** Whether the cell is bad for this row (some cells are bad only for some rows). */
  readonly applies?: (row: A) => boolean
}

interface Hit<A> {
  readonly index: number
  readonly corruption: Corruption<A>
}

/** Rows, and one corruption in each of some of them. */
const corruptedArb = <A>(rows: fc.Arbitrary<A>, corruptions: ReadonlyArray<Corruption<A>>) =>
  fc.array(rows, { minLength: 1, maxLength: 8 }).chain((items) =>
    fc
      .uniqueArray(fc.nat({ max: items.length - 1 }), { minLength: 1, maxLength: items.length })
      .chain((indices) =>
        fc.tuple(
          ...indices.map((index) => {
            const item = items[index]
            const applicable = corruptions.filter(
              (c) => item !== undefined && (c.applies === undefined || c.applies(item))
            )
            return fc.constantFrom(...applicable).map((corruption): Hit<A> => ({ index, corruption }))
          })
        )
      )
      .map((hits) => ({ items, hits }))
  )

const positionOf = (table: Ledger.Table, field: string): number => {
  const position = table.columns.findIndex((c) => c.field === field)
  if (position < 0) throw new Error(`no column ${field}`)
  return position
}

const corrupt = <A>(table: Ledger.Table, hits: ReadonlyArray<Hit<A>>): Ledger.Table => {
  const rows = table.rows.map((row) => row.slice())
  for (const { index, corruption } of hits) {
    const row = rows[index]
    if (row !== undefined) row[positionOf(table, corruption.field)] = corruption.cell
  }
  return { ...table, rows }
}

/** `row|column|header|field|rule`: the Excel row (header = row 1) and the column of each bad cell. */
const expected = <A>(table: Ledger.Table, hits: ReadonlyArray<Hit<A>>): ReadonlyArray<string> =>
  hits
    .map(({ index, corruption }) => {
      const position = positionOf(table, corruption.field)
      const header = table.header[position] ?? ""
      return `${index + 2}|${Ledger.columnLetter(position)}|${header}|${corruption.field}|${corruption.rule}`
    })
    .sort()

const reported = (error: Ledger.LedgerImportError): ReadonlyArray<string> =>
  error.rowProblems.map((p) => `${p.row}|${p.column}|${p.header}|${p.field}|${p.rule}`).sort()

const problemCorruptions: ReadonlyArray<Corruption<ProblemList.Problem>> = [
  { field: "id", cell: "", rule: "required" },
  { field: "id", cell: "P\t1", rule: "invalid" },
  { field: "unitId", cell: "", rule: "required" },
  { field: "gridId", cell: "g\t1", rule: "invalid" },
  { field: "categoryId", cell: "", rule: "required" },
  { field: "categoryId", cell: "物\t业", rule: "invalid" },
  { field: "sourceKind", cell: "电话投诉", rule: "type" },
  { field: "sourceKind", cell: "", rule: "required" },
  {
    field: "sourceDetail",
    cell: "编\t号",
    rule: "invalid",
    applies: (p) => p.source._tag === "HouseholdVisit" || p.source._tag === "PartyBranch"
  },
  { field: "sourceDetail", cell: "", rule: "required", applies: (p) => p.source._tag === "PlatformCase" },
  { field: "description", cell: "", rule: "required" },
  { field: "reportedAt", cell: "2024-13-45", rule: "type" },
  { field: "reportedAt", cell: "", rule: "required" },
  { field: "tags", cell: "维修、助\t老", rule: "invalid" },
  { field: "demand", cell: "abc", rule: "type" },
  { field: "demand", cell: "0", rule: "invalid" },
  { field: "demand", cell: "1.5", rule: "invalid" },
  { field: "demand", cell: "", rule: "required" },
  { field: "status", cell: "已完成", rule: "type" },
  { field: "caseIds", cell: "C\t1", rule: "invalid" },
  { field: "taskId", cell: "T\t1", rule: "invalid" },
  { field: "plannedAt", cell: "昨天", rule: "type" },
  { field: "closedAt", cell: "2024/2/30", rule: "type" },
  { field: "closedReason", cell: "理".repeat(2001), rule: "invalid" }
]

const resourceCorruptions: ReadonlyArray<Corruption<ResourceList.Resource>> = [
  { field: "id", cell: "", rule: "required" },
  { field: "name", cell: "名\t称", rule: "invalid" },
  { field: "kind", cell: "房屋", rule: "type" },
  { field: "providerKind", cell: "企业", rule: "type" },
  { field: "providerName", cell: "", rule: "required" },
  { field: "partyMemberClass", cell: "普通", rule: "type" },
  {
    field: "partyMemberClass",
    cell: "骨干",
    rule: "invalid",
    applies: (r) => r.provider.kind !== "party-member"
  },
  {
    field: "partyMemberClass",
    cell: "",
    rule: "required",
    applies: (r) => r.provider.kind === "party-member"
  },
  { field: "personId", cell: "p\t1", rule: "invalid" },
  {
    field: "personId",
    cell: "p-1",
    rule: "invalid",
    applies: (r) => r.provider.kind === "co-building-unit" || r.provider.kind === "social-organization"
  },
  { field: "tags", cell: "维\t修", rule: "invalid" },
  { field: "scope", cell: "c\t1", rule: "invalid" },
  { field: "capacity", cell: "-1", rule: "invalid" },
  { field: "capacity", cell: "2.5", rule: "invalid" },
  { field: "capacity", cell: "很多", rule: "type" },
  { field: "availableFrom", cell: "明天", rule: "type" },
  { field: "availableTo", cell: "", rule: "required", applies: (r) => r.availability !== undefined },
  { field: "availableFrom", cell: "", rule: "required", applies: (r) => r.availability !== undefined }
]

const taskCorruptions: ReadonlyArray<Corruption<TaskList.Task>> = [
  { field: "id", cell: "", rule: "required" },
  { field: "problemId", cell: "P\t1", rule: "invalid" },
  { field: "title", cell: "", rule: "required" },
  { field: "workCode", cell: "w\t1", rule: "invalid" },
  { field: "resourceIds", cell: "R-1、R\t2", rule: "invalid" },
  { field: "ownerKind", cell: "街道", rule: "type" },
  { field: "ownerId", cell: "", rule: "required" },
  { field: "deadline", cell: "2024-02-30", rule: "type" },
  { field: "deadline", cell: "", rule: "required" },
  { field: "supervised", cell: "也许", rule: "type" },
  { field: "supervised", cell: "", rule: "required" },
  { field: "supervisionUnitId", cell: "s-1", rule: "invalid", applies: (t) => t.supervision === undefined },
  { field: "supervisionLevel", cell: "", rule: "required", applies: (t) => t.supervision !== undefined },
  { field: "supervisionLevel", cell: "省督办", rule: "type" },
  { field: "supervisedAt", cell: "上周", rule: "type" },
  { field: "status", cell: "待解决", rule: "type" },
  { field: "startedAt", cell: "x", rule: "type" },
  { field: "timeliness", cell: "准时", rule: "type" },
  { field: "overdue", cell: "也许", rule: "type" },
  { field: "cancelReason", cell: "原".repeat(2001), rule: "invalid" }
]

const ASOF = at("2030-01-01T00:00:00Z")

/**
 * The property tests every list ledger passes: CSV and XLSX export → import
 * give back the generated rows exactly, and one corrupted cell in each of some
 * rows is reported at exactly that Excel row (header = row 1), column and
 * field, with nothing accepted.
 */
const ledgerProperties = <A, I>(options: {
  readonly noun: string
  readonly spec: Ledger.LedgerSpec<A>
  readonly schema: Schema.Schema<A, I, never>
  readonly rows: (csv: boolean) => fc.Arbitrary<A>
  readonly corruptions: ReadonlyArray<Corruption<A>>
}) => {
  const { corruptions, noun, rows, schema, spec } = options
  it.prop(
    `CSV round trip: export then import gives back every generated ${noun} exactly`,
    [fc.array(rows(true), { maxLength: 8 })],
    ([items]) => {
      expect(json(schema, csvRoundTrip(spec, items))).toEqual(json(schema, items))
    },
    { fastCheck: { numRuns: 60 } }
  )

  it.effect.prop(
    `XLSX round trip: export then import gives back every generated ${noun} exactly`,
    [fc.array(rows(false), { maxLength: 8 })],
    ([items]) =>
      Effect.gen(function* () {
        const back = yield* xlsxRoundTrip(spec, items)
        expect(json(schema, back)).toEqual(json(schema, items))
      }),
    { fastCheck: { numRuns: 15 } }
  )

  it.prop(
    `validated import (CSV): a corrupted cell of a ${noun} is reported at its Excel row, column and field; nothing is accepted`,
    [corruptedArb(rows(true), corruptions)],
    ([{ items, hits }]) => {
      const table = right(Ledger.toTable(spec, items))
      const out = Csv.read(spec, Csv.stringifyTable(corrupt(table, hits)))
      expect(Either.isLeft(out) && out.left._tag).toBe("LedgerImportError")
      if (Either.isLeft(out) && out.left._tag === "LedgerImportError") {
        expect(out.left.headerProblems).toEqual([])
        expect(reported(out.left)).toEqual(expected(table, hits))
      }
    },
    { fastCheck: { numRuns: 60 } }
  )

  it.effect.prop(
    `validated import (XLSX): a corrupted cell of a ${noun} is reported at its Excel row, column and field; nothing is accepted`,
    [corruptedArb(rows(false), corruptions)],
    ([{ items, hits }]) =>
      Effect.gen(function* () {
        const table = right(Ledger.toTable(spec, items))
        const error = yield* Effect.flip(Xlsx.read(spec, yield* Xlsx.writeTables([corrupt(table, hits)])))
        expect(error._tag).toBe("LedgerImportError")
        if (error._tag === "LedgerImportError") {
          expect(error.headerProblems).toEqual([])
          expect(reported(error)).toEqual(expected(table, hits))
        }
      }),
    { fastCheck: { numRuns: 15 } }
  )
}

// -----------------------------------------------------------------------------
// seed 000: 三张清单
// -----------------------------------------------------------------------------

const u = Unit.make
const seedHierarchy = right(
  Hierarchy.make(LevelScheme.FiveLevel, [
    u({ id: "district", parentId: null, level: "district", name: "某区" }),
    u({ id: "street-a", parentId: "district", level: "street", name: "甲街道" }),
    u({ id: "xx", parentId: "street-a", level: "community", name: "××社区" }),
    u({ id: "city-1", parentId: "xx", level: "compound", name: "××城一期" }),
    u({ id: "city-2", parentId: "xx", level: "compound", name: "××城二期" }),
    u({ id: "binjiang", parentId: "xx", level: "compound", name: "滨江御城" }),
    u({ id: "city-1-b1", parentId: "city-1", level: "building", name: "一期1栋" }),
    u({ id: "binjiang-b1", parentId: "binjiang", level: "building", name: "御城1栋" })
  ])
)

/** 问题清单: 网格员入户走访、小区党支部收集、平台上报案件, across the five categories. */
const seedProblems: ReadonlyArray<ProblemList.Problem> = [
  ProblemList.make({
    id: "P01",
    unitId: "city-1",
    gridId: "g-01",
    categoryId: ProblemList.categoryIds.propertyManagement,
    source: { _tag: "HouseholdVisit", gridWorkerId: PersonId.make("gw-li") },
    description: "小区电瓶车乱停、飞线充电",
    reportedAt: at("2024-03-01T01:00:00Z"),
    tags: ["电动车治理"]
  }),
  ProblemList.make({
    id: "P02",
    unitId: "city-2",
    categoryId: ProblemList.categoryIds.environment,
    source: { _tag: "PartyBranch" },
    description: "楼道杂物乱放，“五乱”治理反弹",
    reportedAt: at("2024-03-02T01:00:00Z"),
    tags: ["志愿清理"],
    demand: 3
  }),
  ProblemList.make({
    id: "P03",
    unitId: "binjiang-b1",
    categoryId: ProblemList.categoryIds.elderlyCare,
    source: { _tag: "HouseholdVisit" },
    description: "空巢老人需要上门慰问",
    reportedAt: at("2024-03-03T01:00:00Z"),
    tags: ["助老"]
  }),
  ProblemList.make({
    id: "P04",
    unitId: "xx",
    categoryId: ProblemList.categoryIds.culture,
    source: { _tag: "PlatformCase", caseId: "C-2024-0117" },
    description: "中秋节“幸福邻里”活动缺场地和文艺节目",
    reportedAt: at("2024-03-04T01:00:00Z"),
    tags: ["场地", "文艺"]
  }),
  ProblemList.make({
    id: "P05",
    unitId: "city-1-b1",
    categoryId: ProblemList.categoryIds.childCare,
    source: { _tag: "Other", note: "=居民来电" },
    description: "青少年需要心理疏导",
    reportedAt: at("2024-03-05T01:00:00Z"),
    tags: ["心理咨询"]
  })
]

/** 资源清单: 共建单位, 社会组织 (近1000平方米用房), 党员 (骨干), 志愿者. */
const seedResources: ReadonlyArray<ResourceList.Resource> = [
  ResourceList.make({
    id: "R-jiguan",
    name: "市直机关党员干部包保联系",
    kind: "service",
    tags: ["志愿清理", "助老"],
    scope: ["xx"],
    capacity: 2,
    provider: { kind: "co-building-unit", name: "结对共建市直机关单位" }
  }),
  ResourceList.make({
    id: "R-volunteers",
    name: "热心居民志愿服务队",
    kind: "service",
    tags: ["志愿清理"],
    scope: ["city-2"],
    capacity: 2,
    provider: { kind: "volunteer", name: "志愿服务队" }
  }),
  ResourceList.make({
    id: "R-shancheng",
    name: "山城社工服务中心",
    kind: "service",
    tags: ["助老", "文艺"],
    scope: ["street-a"],
    capacity: 5,
    provider: { kind: "social-organization", name: "××山城社工服务中心" },
    availability: { from: at("2024-01-01T00:00:00Z"), to: at("2024-12-31T15:59:59Z") }
  }),
  ResourceList.make({
    id: "R-venue",
    name: "社区党群服务中心用房",
    kind: "venue",
    tags: ["场地"],
    scope: ["xx"],
    capacity: 4,
    provider: { kind: "co-building-unit", name: "共驻共建单位" },
    description: "近1000平方米用房"
  }),
  ResourceList.make({
    id: "R-party-core",
    name: "小区党支部骨干党员",
    kind: "skill",
    tags: ["电动车治理"],
    scope: ["city-1"],
    capacity: 3,
    provider: {
      kind: "party-member",
      name: "骨干党员",
      partyMemberClass: "core",
      personId: PersonId.make("pm-1")
    }
  })
]

/** The plan, then the lists move: problems planned, tasks run (one late, one supervised, one cancelled). */
const seedFlow = () => {
  const plan = right(
    Planner.plan({ hierarchy: seedHierarchy, problems: seedProblems, resources: seedResources })
  )
  const plannedAt = at("2024-03-10T00:00:00Z")
  const tasks = plan.tasks.map((t) => {
    switch (t.id) {
      case "T-P01":
        return right(
          TaskList.complete(right(TaskList.start(t, { at: at("2024-03-11T00:00:00Z") })), {
            at: at("2024-03-20T00:00:00Z")
          })
        )
      case "T-P02":
        return right(
          TaskList.complete(right(TaskList.start(t, { at: at("2024-03-11T00:00:00Z") })), {
            at: at("2024-04-05T00:00:00Z")
          })
        )
      case "T-P03":
        return right(
          TaskList.supervise(t, {
            unitId: "street-a",
            level: "street",
            at: at("2024-04-03T00:00:00Z"),
            note: "大党委联席会议定，限期整改"
          })
        )
      default:
        return right(TaskList.cancel(t, { at: at("2024-03-12T00:00:00Z"), reason: "活动改期" }))
    }
  })
  const problems = seedProblems.map((p) => {
    const task = tasks.find((t) => t.problemId === p.id)
    if (task === undefined) return p
    const planned = right(ProblemList.plan(p, { taskId: task.id, at: plannedAt }))
    if (task.status === "done") return right(ProblemList.resolve(planned, { at: at("2024-04-06T00:00:00Z") }))
    if (task.status === "cancelled") return right(ProblemList.unplan(planned))
    return planned
  })
  return { problems, resources: seedResources, tasks, now: at("2024-04-10T00:00:00Z") }
}

// -----------------------------------------------------------------------------
// 问题清单台账
// -----------------------------------------------------------------------------

describe("ProblemLedger — 问题清单台账", () => {
  it("exports one row per problem with Chinese headers, category names, 来源 labels and the case id in 来源编号/说明", () => {
    const lines = csvLines(right(Csv.write(ProblemLedger.spec, seedProblems)))
    expect(lines[0]).toBe(
      "问题编号,所属单元,所属网格,问题类别,来源,来源编号/说明,问题描述,上报时间,所需能力,需求量,状态,关联案件," +
        "任务编号,列入任务时间,解决时间,解决情况,不予解决时间,不予解决原因"
    )
    expect(lines[1]).toBe(
      "P01,city-1,g-01,物业管理,入户走访,gw-li,小区电瓶车乱停、飞线充电,2024-03-01 09:00:00,电动车治理,1,待解决,,,,,,,"
    )
    expect(lines[4]).toBe(
      "P04,xx,,文化娱乐,平台案件,C-2024-0117,中秋节“幸福邻里”活动缺场地和文艺节目,2024-03-04 09:00:00,场地、文艺,1,待解决,C-2024-0117,,,,,,"
    )
    expect(lines[5]).toContain(",其他,'=居民来电,")
  })

  ledgerProperties({
    noun: "problem",
    spec: ProblemLedger.spec,
    schema: ProblemList.Problem,
    rows: problemArb,
    corruptions: problemCorruptions
  })
  it("来源编号/说明 must fit 来源: a platform case needs its case id, a household visit a person id", () => {
    const csv = [
      "问题编号,所属单元,问题类别,来源,来源编号/说明,问题描述,上报时间,所需能力,需求量,状态,关联案件",
      "P1,xx,环境整治,平台案件,,楼道杂物,2024-03-01 09:00,,1,待解决,",
      "P2,xx,environment,HouseholdVisit,gw-1,楼道杂物,2024/3/1 9:00,,1,open,",
      'P3,xx,物业管理,入户走访,"gw\t2",楼道杂物,2024年3月1日,,1,待解决,'
    ].join("\r\n")
    const out = Csv.read(ProblemLedger.spec, csv)
    expect(Either.isLeft(out) && out.left._tag === "LedgerImportError" && out.left.rowProblems).toMatchObject(
      [
        { row: 2, column: "E", header: "来源编号/说明", field: "sourceDetail", rule: "required" },
        { row: 4, column: "E", header: "来源编号/说明", field: "sourceDetail", rule: "invalid" }
      ]
    )
  })

  it("import reads the category by name or id, and 来源 and 状态 by label or value", () => {
    const csv = [
      "问题编号,所属单元,问题类别,来源,问题描述,上报时间,所需能力,需求量,状态,关联案件",
      "P1,xx,环境整治,党支部收集,楼道杂物,2024-03-01 09:00,志愿清理,2,待解决,",
      "P2,xx,environment,PartyBranch,楼道杂物,2024-03-01 09:00,志愿清理,2,open,"
    ].join("\r\n")
    const [p1, p2] = right(Csv.read(ProblemLedger.spec, csv))
    expect(p1).toEqual(p2 === undefined ? undefined : { ...p2, id: "P1" })
    expect(p1?.categoryId).toBe("environment")
    expect(p1?.source).toEqual({ _tag: "PartyBranch" })
  })

  it("withCategories names local categories; a name shared by two categories is not used as a label", () => {
    const table = right(
      ProblemList.extendCategories(ProblemList.defaultCategories, [
        { id: ProblemList.ProblemCategoryId.make("parking"), name: "停车管理", nameEn: "parking" },
        { id: ProblemList.ProblemCategoryId.make("parking-2"), name: "物业管理", nameEn: "parking again" }
      ])
    )
    expect(ProblemLedger.categoryLabels(table)).toEqual({
      environment: "环境整治",
      culture: "文化娱乐",
      "elderly-care": "养老服务",
      "child-care": "儿童关爱",
      parking: "停车管理"
    })
    const spec = ProblemLedger.withCategories(table)
    const p = ProblemList.make({
      id: "P9",
      unitId: "xx",
      categoryId: "parking",
      source: { _tag: "HouseholdVisit" },
      description: "小区停车难",
      reportedAt: at("2024-03-01T01:00:00Z")
    })
    const csv = right(Csv.write(spec, [p]))
    expect(csvLines(csv)[1]).toContain(",停车管理,入户走访,")
    expect(right(Csv.read(spec, csv))).toEqual([p])
  })
})

// -----------------------------------------------------------------------------
// 资源清单台账
// -----------------------------------------------------------------------------

describe("ResourceLedger — 资源清单台账", () => {
  it("exports one row per resource: provider in plain cells, 党员类别 in Chinese, the window as two dates", () => {
    const lines = csvLines(right(Csv.write(ResourceLedger.spec, seedResources)))
    expect(lines[0]).toBe(
      "资源编号,资源名称,资源类型,提供方类型,提供方名称,党员类别,人员编号,能力标签,服务范围,容量,可用开始,可用结束,说明"
    )
    expect(lines[1]).toBe(
      "R-jiguan,市直机关党员干部包保联系,服务,共建单位,结对共建市直机关单位,,,助老、志愿清理,xx,2,,,"
    )
    expect(lines[3]).toBe(
      "R-shancheng,山城社工服务中心,服务,社会组织,××山城社工服务中心,,,助老、文艺,street-a,5,2024-01-01 08:00:00,2024-12-31 23:59:59,"
    )
    expect(lines[5]).toBe(
      "R-party-core,小区党支部骨干党员,技能,党员,骨干党员,骨干,pm-1,电动车治理,city-1,3,,,"
    )
  })

  ledgerProperties({
    noun: "resource",
    spec: ResourceLedger.spec,
    schema: ResourceList.Resource,
    rows: resourceArb,
    corruptions: resourceCorruptions
  })
  it("provider cells must fit 提供方类型: 党员类别 only (and always) for party members, 人员编号 not for organisations", () => {
    const header =
      "资源编号,资源名称,资源类型,提供方类型,提供方名称,党员类别,人员编号,能力标签,服务范围,容量,可用开始,可用结束"
    const csv = [
      header,
      "R1,维修,技能,党员,张某,,,维修,xx,1,,",
      "R2,维修,技能,共建单位,某公司,骨干,p-2,维修,xx,1,,",
      "R3,维修,技能,志愿者,李某,,p-3,维修,xx,1,2024-03-01,"
    ].join("\r\n")
    const out = Csv.read(ResourceLedger.spec, csv)
    expect(Either.isLeft(out) && out.left._tag === "LedgerImportError" && out.left.rowProblems).toMatchObject(
      [
        { row: 2, column: "F", header: "党员类别", rule: "required" },
        { row: 3, column: "F", header: "党员类别", rule: "invalid" },
        { row: 3, column: "G", header: "人员编号", rule: "invalid" },
        { row: 4, column: "L", header: "可用结束", rule: "required" }
      ]
    )
  })
})

// -----------------------------------------------------------------------------
// 任务清单台账
// -----------------------------------------------------------------------------

describe("TaskLedger — 任务清单台账", () => {
  it("exports one row per task: owner and 督办 in plain cells, statuses in Chinese, 是否逾期 at the given date", () => {
    const { tasks, now } = seedFlow()
    const lines = csvLines(right(Csv.write(TaskLedger.specAt(now), tasks)))
    expect(lines[0]).toBe(
      "任务编号,问题编号,任务名称,准入事项编码,资源编号,责任主体类型,责任单位/部门,截止时间,督办,督办单位,督办级别,督办时间,督办说明," +
        "状态,开始办理时间,办结时间,办结时效,是否逾期,取消时间,取消原因"
    )
    expect(lines[1]).toBe(
      "T-P01,P01,小区电瓶车乱停、飞线充电,,R-party-core,属地单元,xx,2024-03-31 09:00:00,否,,,,," +
        "已办结,2024-03-11 08:00:00,2024-03-20 08:00:00,按期办结,否,,"
    )
    expect(lines[2]).toContain(",已办结,2024-03-11 08:00:00,2024-04-05 08:00:00,逾期办结,是,,")
    expect(lines[3]).toContain(
      ",是,street-a,街道督办,2024-04-03 08:00:00,大党委联席会议定，限期整改,待办,,,,是,,"
    )
    expect(lines[4]).toContain(",已取消,,,,否,2024-03-12 08:00:00,活动改期")
    expect(csvLines(right(Csv.write(TaskLedger.spec, tasks)))[0]).not.toContain("是否逾期")
  })

  it("是否逾期: open after the deadline or done late", () => {
    const { tasks, now } = seedFlow()
    expect(tasks.map((t) => [t.id, TaskLedger.overdueAt(t, now)])).toEqual([
      ["T-P01", false],
      ["T-P02", true],
      ["T-P03", true],
      ["T-P04", false]
    ])
  })

  ledgerProperties({
    noun: "task",
    spec: TaskLedger.specAt(ASOF),
    schema: TaskList.Task,
    rows: taskArb,
    corruptions: taskCorruptions
  })

  it.prop(
    "CSV round trip without the 是否逾期 column",
    [fc.array(taskArb(true), { maxLength: 8 })],
    ([tasks]) => {
      expect(json(TaskList.Task, csvRoundTrip(TaskLedger.spec, tasks))).toEqual(json(TaskList.Task, tasks))
    },
    { fastCheck: { numRuns: 30 } }
  )
  it("督办 decides the supervision cells: 是 needs 督办单位, 督办级别 and 督办时间; 否 leaves them empty", () => {
    const header =
      "任务编号,问题编号,任务名称,资源编号,责任主体类型,责任单位/部门,截止时间,督办,督办单位,督办级别,督办时间,督办说明,状态"
    const csv = [
      header,
      "T1,P1,整治,R1,职能部门,城管,2024-03-31,是,,区督办,,,待办",
      "T2,P1,整治,R1,属地单元,xx,2024-03-31,否,street-a,,,限期,办理中"
    ].join("\r\n")
    const out = Csv.read(TaskLedger.spec, csv)
    expect(Either.isLeft(out) && out.left._tag === "LedgerImportError" && out.left.rowProblems).toMatchObject(
      [
        { row: 2, column: "I", header: "督办单位", rule: "required" },
        { row: 2, column: "K", header: "督办时间", rule: "required" },
        { row: 3, column: "I", header: "督办单位", rule: "invalid" },
        { row: 3, column: "L", header: "督办说明", rule: "invalid" }
      ]
    )
  })

  it("是否逾期 is read but not trusted: a stale value, or no such column, imports the same tasks", () => {
    const { tasks, now } = seedFlow()
    const spec = TaskLedger.specAt(now)
    const table = right(Ledger.toTable(spec, tasks))
    const position = positionOf(table, "overdue")
    const flipped = {
      ...table,
      rows: table.rows.map((r) => r.map((c, i) => (i === position ? (c === "是" ? "否" : "是") : c)))
    }
    expect(right(Csv.read(spec, Csv.stringifyTable(flipped)))).toEqual(tasks)
    expect(right(Csv.read(spec, right(Csv.write(TaskLedger.spec, tasks))))).toEqual(tasks)
  })
})

// -----------------------------------------------------------------------------
// seed 000: the three lists in one workbook
// -----------------------------------------------------------------------------

describe("三张清单 — seed 000's problems, resources and tasks in one XLSX workbook", () => {
  it.effect("exports the three ledgers as three sheets and reads each back", () =>
    Effect.gen(function* () {
      const { problems, resources, tasks, now } = seedFlow()
      const taskSpec = TaskLedger.specAt(now)
      const bytes = yield* Xlsx.writeTables([
        right(Ledger.toTable(ProblemLedger.spec, problems)),
        right(Ledger.toTable(ResourceLedger.spec, resources)),
        right(Ledger.toTable(taskSpec, tasks))
      ])

      const workbook = new ExcelJS.Workbook()
      const copy = new Uint8Array(bytes.byteLength)
      copy.set(bytes)
      yield* Effect.promise(() => workbook.xlsx.load(copy.buffer))
      expect(workbook.worksheets.map((s) => s.name)).toEqual(["问题清单台账", "资源清单台账", "任务清单台账"])
      const problemSheet = workbook.getWorksheet("问题清单台账")
      expect(problemSheet?.getRow(1).getCell(11).value).toBe("状态")
      expect(problems.map((_, i) => problemSheet?.getRow(i + 2).getCell(11).value)).toEqual([
        "已解决",
        "已解决",
        "已列入任务",
        "待解决",
        "待解决"
      ])

      expect(json(ProblemList.Problem, yield* Xlsx.read(ProblemLedger.spec, bytes))).toEqual(
        json(ProblemList.Problem, problems)
      )
      expect(json(ResourceList.Resource, yield* Xlsx.read(ResourceLedger.spec, bytes))).toEqual(
        json(ResourceList.Resource, resources)
      )
      expect(json(TaskList.Task, yield* Xlsx.read(taskSpec, bytes))).toEqual(json(TaskList.Task, tasks))
      expect(
        json(TaskList.Task, yield* Xlsx.read(TaskLedger.spec, bytes, { unknownColumns: "ignore" }))
      ).toEqual(json(TaskList.Task, tasks))
    })
  )
})
