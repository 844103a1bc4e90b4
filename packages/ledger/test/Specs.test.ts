/**
 * The shipped ledger specs — 网格台账, 楼栋台账, 网格员台账 / 网格员任职,
 * 微心愿台账 — round-trip the core's records through CSV and XLSX, with the
 * Chinese headers and labels staff expect.
 */
import * as Building from "@civicgrid/core/Building"
import * as Grid from "@civicgrid/core/Grid"
import * as GridCode from "@civicgrid/core/GridCode"
import * as MicroWish from "@civicgrid/core/MicroWish"
import * as Staffing from "@civicgrid/core/Staffing"
import { UnitId } from "@civicgrid/core/Unit"
import { describe, expect, it } from "@effect/vitest"
import * as Arbitrary from "effect/Arbitrary"
import * as DateTime from "effect/DateTime"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as fc from "effect/FastCheck"
import * as Schema from "effect/Schema"
import {
  BuildingLedger,
  Csv,
  GridLedger,
  Ledger,
  MicroWishLedger,
  StaffingLedger,
  Xlsx
} from "../src/index.js"

/** Rows as JSON (DateTimes as ISO, -0 as 0), for comparisons. */
const json = <A, I>(schema: Schema.Schema<A, I, never>, rows: ReadonlyArray<A>): unknown =>
  JSON.parse(JSON.stringify(Schema.encodeSync(Schema.Array(schema))(rows)))

const csvRoundTrip = <A>(spec: Ledger.LedgerSpec<A>, rows: ReadonlyArray<A>): ReadonlyArray<A> =>
  Either.getOrThrowWith(
    Either.flatMap(Csv.write(spec, rows), (text) => Csv.read(spec, text)),
    (e) => new Error(e.message)
  )

const xlsxRoundTrip = <A>(spec: Ledger.LedgerSpec<A>, rows: ReadonlyArray<A>) =>
  Effect.flatMap(Xlsx.write(spec, rows), (bytes) => Xlsx.read(spec, bytes))

const headerLine = (text: string): string => (text.split("\r\n")[0] ?? "").replace("\uFEFF", "")

// -----------------------------------------------------------------------------
// 网格台账
// -----------------------------------------------------------------------------

const COMMUNITY = UnitId.make("c-jinsha")
const gbCode = (seq: number) => Either.getOrThrow(GridCode.encodeGb("530103001001", seq))
const cjCode = (seq: number) => Either.getOrThrow(GridCode.encodeCj("530103001001", seq))

const grids: ReadonlyArray<Grid.Grid> = [
  {
    id: Grid.GridId.make("g-01"),
    name: "第一网格",
    code: gbCode(1),
    kind: "basic",
    communityId: COMMUNITY,
    buildingIds: [UnitId.make("b-1"), UnitId.make("b-2"), UnitId.make("b-3")],
    microGrids: []
  },
  {
    id: Grid.GridId.make("g-02"),
    name: "金沙小学专属网格",
    code: cjCode(2),
    kind: "dedicated",
    dedicatedTo: "school",
    communityId: COMMUNITY,
    buildingIds: []
  }
]

const gridArb: fc.Arbitrary<GridLedger.GridRow> = fc
  .record({
    id: Arbitrary.make(Grid.GridId),
    name: Arbitrary.make(Grid.Grid.fields.name),
    code: fc.option(
      fc.oneof(fc.integer({ min: 1, max: 999 }).map(gbCode), fc.integer({ min: 0, max: 99 }).map(cjCode)),
      { nil: undefined }
    ),
    kind: fc.constantFrom("basic" as const, "dedicated" as const),
    dedicatedTo: fc.option(Arbitrary.make(Grid.DedicatedTo), { nil: undefined }),
    communityId: Arbitrary.make(UnitId),
    buildingIds: fc.array(Arbitrary.make(UnitId), { maxLength: 6 })
  })
  .map(({ code, dedicatedTo, ...rest }) => ({
    ...rest,
    ...(code === undefined ? {} : { code }),
    ...(dedicatedTo === undefined ? {} : { dedicatedTo })
  }))

describe("GridLedger — 网格台账", () => {
  it("exports grids with Chinese headers, kind labels, codes as text and building ids joined", () => {
    const text = Either.getOrThrow(Csv.write(GridLedger.spec, grids))
    expect(headerLine(text)).toBe("网格编号,网格名称,网格编码,网格类型,专属对象,所属社区,覆盖楼栋")
    expect(text.split("\r\n")[1]).toBe("g-01,第一网格,530103001001001,基础网格,,c-jinsha,b-1、b-2、b-3")
    expect(text.split("\r\n")[2]).toBe("g-02,金沙小学专属网格,53010300100102,专属网格,学校,c-jinsha,")
  })

  it("imports the grids back (without micro-grids and boundaries)", () => {
    const back = csvRoundTrip(GridLedger.spec, grids)
    expect(json(GridLedger.GridRow, back)).toEqual(json(GridLedger.GridRow, grids))
  })

  it("a bad grid code is reported with the GridCode rule's message", () => {
    const text =
      "网格编号,网格名称,网格编码,网格类型,所属社区,覆盖楼栋\r\ng-01,第一网格,12345,基础网格,c-1,\r\n"
    const out = Csv.read(GridLedger.spec, text)
    expect(Either.isLeft(out) && out.left._tag === "LedgerImportError" && out.left.rowProblems).toMatchObject(
      [{ row: 2, column: "C", header: "网格编码", field: "code", rule: "invalid" }]
    )
  })

  it.prop("CSV round trip of generated grids", [fc.array(gridArb, { maxLength: 10 })], ([rows]) => {
    expect(json(GridLedger.GridRow, csvRoundTrip(GridLedger.spec, rows))).toEqual(
      json(GridLedger.GridRow, rows)
    )
  })

  it.effect("XLSX round trip", () =>
    Effect.map(xlsxRoundTrip(GridLedger.spec, grids), (back) =>
      expect(json(GridLedger.GridRow, back)).toEqual(json(GridLedger.GridRow, grids))
    )
  )
})

// -----------------------------------------------------------------------------
// 楼栋台账
// -----------------------------------------------------------------------------

const buildings: ReadonlyArray<Building.Building> = [
  {
    id: UnitId.make("b-1"),
    name: "1号楼",
    communityId: COMMUNITY,
    compoundId: UnitId.make("x-jinsha-1"),
    households: 96,
    partyMemberHouseholds: 12,
    location: [102.7123, 25.0456]
  },
  { id: UnitId.make("b-2"), name: "2号楼", communityId: COMMUNITY, households: 0 }
]

describe("BuildingLedger — 楼栋台账", () => {
  it("exports buildings with households and 经纬度 as lon,lat", () => {
    const text = Either.getOrThrow(Csv.write(BuildingLedger.spec, buildings))
    expect(headerLine(text)).toBe("楼栋编号,楼栋名称,所属社区,所属小区,户数,党员户数,经纬度")
    expect(text.split("\r\n")[1]).toBe('b-1,1号楼,c-jinsha,x-jinsha-1,96,12,"102.7123,25.0456"')
  })

  it.prop(
    "CSV round trip of generated buildings",
    [fc.array(Arbitrary.make(Building.Building), { maxLength: 10 })],
    ([rows]) => {
      expect(json(Building.Building, csvRoundTrip(BuildingLedger.spec, rows))).toEqual(
        json(Building.Building, rows)
      )
    }
  )

  it.effect("XLSX round trip", () =>
    Effect.map(xlsxRoundTrip(BuildingLedger.spec, buildings), (back) =>
      expect(json(Building.Building, back)).toEqual(json(Building.Building, buildings))
    )
  )
})

// -----------------------------------------------------------------------------
// 网格员台账
// -----------------------------------------------------------------------------

const people: ReadonlyArray<Staffing.Person> = [
  Staffing.makePerson({
    id: "p-1",
    name: "李网格",
    partyMember: true,
    partyMemberClass: "core",
    phone: "13800001234"
  }),
  Staffing.makePerson({ id: "p-2", name: "王楼长", partyMember: false })
]

const assignments: ReadonlyArray<Staffing.Assignment> = [
  Staffing.assign("p-1", "full-time-worker", { grid: "g-01" }),
  Staffing.assign("p-2", "building-leader", { building: "b-1" }),
  Staffing.assign("p-3", "inspector", { unit: "d-panlong" })
]

describe("StaffingLedger — 网格员台账 / 网格员任职", () => {
  it("people: 是否党员 as 是/否, 党员类别 as 骨干/一般/流动/老年, phones as text", () => {
    const text = Either.getOrThrow(Csv.write(StaffingLedger.person, people))
    expect(headerLine(text)).toBe("人员编号,姓名,是否党员,党员类别,联系电话")
    expect(text.split("\r\n").slice(1, 3)).toEqual(["p-1,李网格,是,骨干,13800001234", "p-2,王楼长,否,,"])
    expect(json(Staffing.Person, csvRoundTrip(StaffingLedger.person, people))).toEqual(
      json(Staffing.Person, people)
    )
  })

  it("PIPL: personWithoutPhone leaves the phone column out", () => {
    const text = Either.getOrThrow(Csv.write(StaffingLedger.personWithoutPhone, people))
    expect(headerLine(text)).toBe("人员编号,姓名,是否党员,党员类别")
    expect(text).not.toContain("13800001234")
  })

  it("assignments: flat rows with role and target labels, read back as Staffing.Assignment", () => {
    const text = Either.getOrThrow(Csv.write(StaffingLedger.assignment, assignments))
    expect(headerLine(text)).toBe("人员编号,角色,任职对象类型,任职对象编号")
    expect(text.split("\r\n").slice(1, 4)).toEqual([
      "p-1,专职网格员,网格,g-01",
      "p-2,楼栋长,楼栋,b-1",
      "p-3,巡查员,单位,d-panlong"
    ])
    expect(csvRoundTrip(StaffingLedger.assignment, assignments)).toEqual(assignments)
  })

  it.prop(
    "CSV round trip of generated people and assignments",
    [
      fc.array(Arbitrary.make(Staffing.Person), { maxLength: 8 }),
      fc.array(Arbitrary.make(Staffing.Assignment), { maxLength: 8 })
    ],
    ([ps, as]) => {
      expect(json(Staffing.Person, csvRoundTrip(StaffingLedger.person, ps))).toEqual(
        json(Staffing.Person, ps)
      )
      expect(json(Staffing.Assignment, csvRoundTrip(StaffingLedger.assignment, as))).toEqual(
        json(Staffing.Assignment, as)
      )
    }
  )

  it.effect("XLSX round trip", () =>
    Effect.gen(function* () {
      expect(json(Staffing.Person, yield* xlsxRoundTrip(StaffingLedger.person, people))).toEqual(
        json(Staffing.Person, people)
      )
      expect(yield* xlsxRoundTrip(StaffingLedger.assignment, assignments)).toEqual(assignments)
    })
  )
})

// -----------------------------------------------------------------------------
// 微心愿台账
// -----------------------------------------------------------------------------

const T0 = Date.UTC(2024, 4, 10, 1, 0)
const at = (minutes: number) => DateTime.unsafeMake(T0 + minutes * 60_000)
const gridWorker = { id: "gw-1", role: "grid-worker", unitId: "c-jinsha" } as const
const staff = { id: "cs-1", role: "community-staff", unitId: "c-jinsha" } as const
const partyMember = { id: "pm-li", role: "street-staff", unitId: "s-qingyun" } as const

const wishStates = (): ReadonlyArray<MicroWish.State> => {
  const Command = Schema.decodeUnknownSync(MicroWish.MicroWishCommand)
  const run = (commands: ReadonlyArray<unknown>): MicroWish.State =>
    commands.reduce<MicroWish.State>((state, raw) => {
      const result = MicroWish.execute(state, Command(raw))
      if (Either.isLeft(result)) throw new Error(result.left.message)
      return result.right.state
    }, MicroWish.initial)
  const post = (wishId: string, title: string) => ({
    _tag: "Post",
    wishId,
    actor: gridWorker,
    at: DateTime.formatIso(at(0)),
    household: { unitId: "h-5-3-201", label: "5号楼3单元 困难家庭" },
    communityId: "c-jinsha",
    title,
    description: "网格走情、爱心敲门时征集",
    estimatedValue: 120,
    categories: ["学习用品"]
  })
  const done = run([
    post("wish-017", "新书包"),
    {
      _tag: "Claim",
      wishId: "wish-017",
      actor: partyMember,
      at: DateTime.formatIso(at(10)),
      claimant: { id: "pm-li", kind: "party-member", label: "党员 李某" }
    },
    {
      _tag: "Fulfil",
      wishId: "wish-017",
      actor: partyMember,
      at: DateTime.formatIso(at(20)),
      evidence: ["photo://017/1.jpg", "receipt://017"]
    },
    { _tag: "Confirm", wishId: "wish-017", actor: staff, at: DateTime.formatIso(at(30)) }
  ])
  const open = run([post("wish-003", "=助听器（需验配）")])
  return [done, open, MicroWish.initial]
}

/** Generated rows, with dates kept to 1970–2100 (Excel and the ledger's date text need four-digit years). */
const clamp = (d: DateTime.Utc): DateTime.Utc =>
  DateTime.unsafeMake(Date.UTC(1970, 0, 1) + (Math.abs(DateTime.toEpochMillis(d)) % (130 * 365 * 86_400_000)))
const wishRowArb: fc.Arbitrary<MicroWishLedger.MicroWishRow> = Arbitrary.make(MicroWishLedger.MicroWishRow)
  .map((r) => ({
    ...r,
    postedAt: clamp(r.postedAt),
    claimedAt: r.claimedAt === null ? null : clamp(r.claimedAt),
    fulfilledAt: r.fulfilledAt === null ? null : clamp(r.fulfilledAt),
    confirmedAt: r.confirmedAt === null ? null : clamp(r.confirmedAt),
    updatedAt: clamp(r.updatedAt)
  }))
  // import trims every cell and drops empty list items (a documented exception to the round trip)
  .map((r): unknown =>
    Object.fromEntries(
      Object.entries(r).map(([k, v]) => [
        k,
        typeof v === "string"
          ? v.trim()
          : Array.isArray(v)
            ? v.map((x: unknown) => (typeof x === "string" ? x.trim() : x)).filter((x: unknown) => x !== "")
            : v
      ])
    )
  )
  .filter(Schema.is(MicroWishLedger.MicroWishRow))

describe("MicroWishLedger — 微心愿台账", () => {
  it("exports the current state of each wish, sorted by id, with 状态 and 认领人类别 in Chinese", () => {
    const rows = MicroWishLedger.fromStates(wishStates())
    expect(rows.map((r) => r.id)).toEqual(["wish-003", "wish-017"])
    const text = Either.getOrThrow(Csv.write(MicroWishLedger.spec, rows))
    expect(headerLine(text)).toBe(
      "心愿编号,状态,所属社区,户/楼栋编号,困难户,心愿名称,心愿描述,预估价值（元）,心愿类别,认领人编号,认领人类别,认领人," +
        "发布时间,认领时间,实现时间,确认时间,佐证材料,撤回/取消原因,最后更新"
    )
    const [, open, done] = text.split("\r\n")
    expect(open).toContain("wish-003,已发布,")
    expect(open).toContain(",'=助听器（需验配）,")
    expect(done).toContain("wish-017,已确认,c-jinsha,h-5-3-201,5号楼3单元 困难家庭,新书包,")
    expect(done).toContain(",pm-li,在职党员,党员 李某,2024-05-10 09:00:00,2024-05-10 09:10:00,")
    expect(done).toContain("photo://017/1.jpg、receipt://017")
  })

  it("imports back; the claimant columns must be filled together (rule 'row')", () => {
    const rows = MicroWishLedger.fromStates(wishStates())
    expect(json(MicroWishLedger.MicroWishRow, csvRoundTrip(MicroWishLedger.spec, rows))).toEqual(
      json(MicroWishLedger.MicroWishRow, rows)
    )
    const table = Either.getOrThrow(Ledger.toTable(MicroWishLedger.spec, rows))
    const label = MicroWishLedger.spec.columns.findIndex((c) => c.field === "claimantLabel")
    const broken = {
      ...table,
      rows: table.rows.map((r, i) => (i === 1 ? r.map((c, k) => (k === label ? null : c)) : r))
    }
    const out = Csv.read(MicroWishLedger.spec, Csv.stringifyTable(broken))
    expect(Either.isLeft(out) && out.left._tag === "LedgerImportError" && out.left.rowProblems).toMatchObject(
      [{ row: 3, rule: "row" }]
    )
  })

  it.prop(
    "CSV round trip of generated rows",
    [fc.array(wishRowArb, { maxLength: 6 })],
    ([rows]) => {
      expect(json(MicroWishLedger.MicroWishRow, csvRoundTrip(MicroWishLedger.spec, rows))).toEqual(
        json(MicroWishLedger.MicroWishRow, rows)
      )
    },
    { fastCheck: { numRuns: 50 } }
  )

  it.effect("XLSX round trip", () =>
    Effect.gen(function* () {
      const rows = MicroWishLedger.fromStates(wishStates())
      const back = yield* xlsxRoundTrip(MicroWishLedger.spec, rows)
      expect(json(MicroWishLedger.MicroWishRow, back)).toEqual(json(MicroWishLedger.MicroWishRow, rows))
    })
  )
})
