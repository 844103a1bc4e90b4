/**
 * 组织与岗位台账 — the ledgers of bodies, posts, party memberships (双报到),
 * compounds and staff by stairwell: Schema-generated rows export and import
 * back through CSV and XLSX; a street's sheets kept the way staff keep them
 * (a title row, kinds and bodies by name, dates typed every way and stored by
 * Excel as dates, 是/否) load and pass the core's rules — the community
 * experience report's 大党委 (第一书记 from the street leadership, the 党总支
 * secretary as 书记, 兼职委员 from 公安, 城管, 市场监管 and a co-building unit)
 * and 17 compound branches, the Pingyi street report's 57 unmanaged compounds
 * under 兜底 — and every refusal names the Excel row, the column letter and
 * the header: bad cells at import, and the core's violations (organisation
 * rules, membership rules, role placements) at the rows they concern.
 */
import * as Body from "@civicgrid/core/Body"
import * as Compound from "@civicgrid/core/Compound"
import * as Membership from "@civicgrid/core/Membership"
import * as OrganizationMetrics from "@civicgrid/core/OrganizationMetrics"
import * as OrganizationRules from "@civicgrid/core/OrganizationRules"
import * as Post from "@civicgrid/core/Post"
import * as RoleTable from "@civicgrid/core/RoleTable"
import { UnitId } from "@civicgrid/core/Unit"
import { LocalDate } from "@civicgrid/core/WorkingCalendar"
import { describe, expect, it } from "@effect/vitest"
import * as Arbitrary from "effect/Arbitrary"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as fc from "effect/FastCheck"
import * as Schema from "effect/Schema"
import ExcelJS from "exceljs"
import {
  BodyLedger,
  CompoundLedger,
  Csv,
  Ledger,
  type LedgerCheck,
  MembershipLedger,
  OrganizationLedgers,
  PostLedger,
  StairwellStaffLedger,
  Template,
  Xlsx
} from "../src/index.js"

// -----------------------------------------------------------------------------
// helpers
// -----------------------------------------------------------------------------

type Cellish = string | number | Date | null

const csvOf = (rows: ReadonlyArray<ReadonlyArray<Cellish>>): string =>
  rows
    .map((r) =>
      r
        .map((c) => (c === null ? "" : String(c)))
        .map((c) => (/[",\r\n]/.test(c) ? `"${c.replaceAll('"', '""')}"` : c))
        .join(",")
    )
    .join("\r\n")

const xlsxOf = async (name: string, rows: ReadonlyArray<ReadonlyArray<Cellish>>): Promise<Uint8Array> => {
  const workbook = new ExcelJS.Workbook()
  const ws = workbook.addWorksheet(name)
  for (const row of rows) ws.addRow([...row])
  return new Uint8Array(await workbook.xlsx.writeBuffer())
}

const importError = (e: unknown): Ledger.LedgerImportError => {
  if (e instanceof Ledger.LedgerImportError) return e
  throw new Error(`expected a LedgerImportError, got ${String(e)}`)
}

const readCsv = <A>(spec: Ledger.LedgerSpec<A>, rows: ReadonlyArray<ReadonlyArray<Cellish>>) =>
  Either.getOrThrowWith(Csv.readReport(spec, csvOf(rows)), (e) => new Error(e.message))

const refusedCsv = <A>(spec: Ledger.LedgerSpec<A>, rows: ReadonlyArray<ReadonlyArray<Cellish>>) =>
  importError(Either.flip(Csv.readReport(spec, csvOf(rows))).pipe(Either.getOrThrow))

const failedCheck = <A>(
  result: Either.Either<A, LedgerCheck.LedgerCheckFailed>
): LedgerCheck.LedgerCheckFailed =>
  Either.flip(result).pipe(Either.getOrThrowWith(() => new Error("expected the check to fail")))

// -----------------------------------------------------------------------------
// round trips with Schema-derived rows
// -----------------------------------------------------------------------------

const json = <A, I>(schema: Schema.Schema<A, I, never>, rows: ReadonlyArray<A>): unknown =>
  JSON.parse(JSON.stringify(Schema.encodeSync(Schema.Array(Schema.typeSchema(schema)))(rows)))

const roundTrip = <A, I>(name: string, spec: Ledger.LedgerSpec<A>, schema: Schema.Schema<A, I, never>) => {
  const rows = fc.array(Arbitrary.make(schema), { maxLength: 6 })
  it.prop(`${name}: rows → CSV → rows`, [rows], ([xs]) => {
    const back = Either.getOrThrowWith(
      Either.flatMap(Csv.write(spec, xs), (text) => Csv.read(spec, text)),
      (e) => new Error(e.message)
    )
    expect(json(schema, back)).toEqual(json(schema, xs))
  })
  it.effect.prop(
    `${name}: rows → XLSX → rows`,
    [rows],
    ([xs]) =>
      Effect.gen(function* () {
        const bytes = yield* Xlsx.write(spec, xs)
        const back = yield* Xlsx.read(spec, bytes)
        expect(json(schema, back)).toEqual(json(schema, xs))
      }),
    { fastCheck: { numRuns: 25 } }
  )
}

describe("organisation ledgers — export with unit names", () => {
  it.effect(
    "a compound ledger exported with the units' paths reads back: no name column beside 小区 (its 小区名称 is the ledger's own)",
    () =>
      Effect.gen(function* () {
        const units: Ledger.UnitResolver = {
          resolve: (text) => ({ _tag: "Found", id: text }),
          label: (id) => `金星街道/${id}`
        }
        const compound: Compound.Compound = {
          id: UnitId.make("cp1"),
          communityId: UnitId.make("c1"),
          name: "一号小区",
          management: { _tag: "Unmanaged", takenOverBy: UnitId.make("c1") }
        }
        const text = yield* Csv.write(CompoundLedger.spec, [compound], { units })
        const header = text
          .replace(/^\uFEFF/, "")
          .split(/\r?\n/)[0]
          ?.split(",")
        expect(header).toEqual([
          "小区",
          "所属社区",
          "所属社区名称",
          "小区名称",
          "户数",
          "管理方式",
          "管理机构",
          "兜底单位",
          "兜底单位名称"
        ])
        expect(yield* Csv.read(CompoundLedger.spec, new TextEncoder().encode(text), { units })).toEqual([
          compound
        ])
      })
  )
})

describe("organisation ledgers — export → import gives the rows back", () => {
  roundTrip("组织台账", BodyLedger.spec, BodyLedger.rowSchema())
  roundTrip("岗位台账", PostLedger.spec, PostLedger.rowSchema())
  roundTrip("党员双报到台账", MembershipLedger.spec, MembershipLedger.rowSchema())
  roundTrip("小区管理台账", CompoundLedger.spec, CompoundLedger.rowSchema())
  roundTrip(
    "楼道力量台账",
    StairwellStaffLedger.spec,
    StairwellStaffLedger.rowSchema([...RoleTable.defaults, ...RoleTable.localRoles])
  )

  it.prop(
    "every default kind, post, mode, relation and placement is written by its Chinese name and read back",
    [
      fc.constantFrom(...Body.defaultKinds.map((k) => k.id)),
      fc.constantFrom(...Post.defaultKinds.map((k) => k.id)),
      fc.constantFrom(...RoleTable.Placement.literals)
    ],
    ([bodyKind, postKind, placement]) => {
      const body = Body.make({ id: "b1", kind: bodyKind, name: "某机构", unitId: "c-1" })
      const table = Either.getOrThrow(Ledger.toTable(BodyLedger.spec, [body]))
      const cell = table.rows[0]?.[1]
      expect(cell).toBe(Body.defaultKinds.find((k) => k.id === bodyKind)?.zh)
      expect(
        Either.getOrThrow(Csv.read(BodyLedger.spec, Either.getOrThrow(Csv.write(BodyLedger.spec, [body]))))
      ).toEqual([body])
      const post = Post.make({ id: "p1", bodyId: "b1", kind: postKind, holder: "h", since: "2024-01-01" })
      const postCell = Either.getOrThrow(Ledger.toTable(PostLedger.spec, [post])).rows[0]?.[2]
      expect(postCell).toBe(Post.defaultKinds.find((k) => k.id === postKind)?.zh)
      const staff = StairwellStaffLedger.spec
      const row = { personId: "p", role: "stairwell-leader", placement, targetId: "t" }
      const decoded = Schema.decodeUnknownSync(
        Schema.typeSchema(StairwellStaffLedger.rowSchema([...RoleTable.defaults, ...RoleTable.localRoles]))
      )(row)
      const placementCell = Either.getOrThrow(Ledger.toTable(staff, [decoded])).rows[0]?.[3]
      expect(placementCell).toBe(StairwellStaffLedger.placementNames[placement])
    }
  )
})

// -----------------------------------------------------------------------------
// a street's sheets, as staff keep them
// -----------------------------------------------------------------------------

const bodyHeader = [
  "机构编号",
  "机构类别",
  "机构名称",
  "所属单元",
  "对应党组织",
  "职能条线",
  "成立日期",
  "撤销日期"
]

/** 金星街道 (s-1), 金星社区 (c-1): the community experience report's 大党委 and its partners. */
const bodySheet: ReadonlyArray<ReadonlyArray<Cellish>> = [
  ["金星街道组织台账（2024年6月）"],
  bodyHeader,
  ["s1-lead", "街道领导班子", "金星街道领导班子", "s-1", "", "", "", ""],
  ["s1-ps", "职能部门", "金星派出所", "s-1", "", "公安", "", ""],
  ["s1-um", "部门", "城管中队", "s-1", "", "城管", "", ""],
  ["s1-mr", "职能部门", "市场监管所", "s-1", "", "市场监管", "", ""],
  ["cb-1", "共建单位", "市直机关工委", "d-1", "", "", "", ""],
  ["c1-party", "党总支", "金星社区党总支", "c-1", "po-c1", "", "2021/3/1", ""],
  ["c1-big", "大党委", "金星社区大党委", "c-1", "", "", "2022年7月1日", ""],
  ["c1-rc", "居委会", "金星社区居委会", "c-1", "", "", "", ""],
  ["c1-ws", "服务站", "金星社区服务站", "c-1", "", "", "", ""],
  ["c1-grid", "网格服务站", "金星社区网格服务站", "c-1", "", "", "", ""],
  ["c1-med", "调委会", "金星社区人民调解委员会", "c-1", "", "", "", ""],
  ["pc-1", "物业公司", "山城物业", "c-1", "", "", "", ""],
  ["oc-2", "业委会", "二号院业委会", "cp-2", "", "", "", ""],
  ["填表人：张三", "", "", "审核人：李四"]
]

const postHeader = [
  "岗位编号",
  "所在机构",
  "岗位",
  "任职人编号",
  "任职起始",
  "任职终止",
  "是否兼任",
  "所在网格",
  "派出单位"
]

const postRows: ReadonlyArray<ReadonlyArray<Cellish>> = [
  postHeader,
  ["big-1", "金星社区大党委", "第一书记", "zhang", "2022/7/1", "", "是", "", "金星街道领导班子"],
  ["big-2", "金星社区大党委", "书记", "li", "2022年7月1日", "", "是", "", ""],
  ["big-3", "金星社区大党委", "兼职委员", "wang", "2022-07-01", "", "是", "", "金星派出所"],
  ["big-4", "金星社区大党委", "兼职委员", "zhao", "2022-07-01", "", "是", "", "城管中队"],
  ["big-5", "金星社区大党委", "兼职委员", "qian", "2022-07-01", "", "是", "", "市场监管所"],
  ["big-6", "金星社区大党委", "兼职委员", "sun", "2022-07-01", "", "是", "", "市直机关工委"],
  ["br-1", "金星社区党总支", "书记", "li", "2021-03-01", "", "", "", ""],
  ["rc-1", "金星社区居委会", "主任", "li", "2021-03-01", "", "是", "", ""],
  ["rc-2", "金星社区居委会", "委员", "zhou", "2021-03-01", "", "否", "", ""],
  ["ws-1", "金星社区服务站", "站长", "wu", "2021-03-01", "", "", "", ""],
  ["gs-1", "金星社区网格服务站", "网格长", "zhou", "2021-03-01", "", "是", "g-1", ""],
  ["ws-2", "金星社区服务站", "法律顾问", "chen", "2023-01-01", "2025-12-31", "", "", ""],
  ["med-1", "金星社区人民调解委员会", "调解员", "m1", "2021-03-01", "", "", "", ""],
  ["med-2", "金星社区人民调解委员会", "人民调解员", "m2", "2021-03-01", "", "", "", ""],
  ["med-3", "金星社区人民调解委员会", "调解员", "m3", "２０２１－０３－０１", "", "", "", ""]
]

const compoundHeader = ["小区", "所属社区", "小区名称", "户数", "管理方式", "管理机构", "兜底单位"]

/** Two managed compounds and the Pingyi street report's 57 unmanaged ones under 兜底. */
const compoundRows: ReadonlyArray<ReadonlyArray<Cellish>> = [
  compoundHeader,
  ["cp-1", "c-1", "金星城一期", 612, "专业物业", "山城物业", ""],
  ["cp-2", "c-1", "二号院", 48, "自管", "二号院业委会", ""],
  ...Array.from({ length: 57 }, (_, i) => [
    `old-${i + 1}`,
    "c-1",
    `老城区${i + 1}号院`,
    20 + i,
    "无人管理",
    "",
    "c-1"
  ])
]

const context: OrganizationLedgers.Context = {
  day: LocalDate.make("2024-06-01"),
  communities: [{ unitId: UnitId.make("c-1"), residents: 2800, streetId: UnitId.make("s-1") }]
}

const loadStreet = (posts: ReadonlyArray<ReadonlyArray<Cellish>> = postRows) => {
  const bodies = readCsv(BodyLedger.spec, bodySheet)
  const postSpec = PostLedger.make({ bodies: bodies.rows })
  const compoundSpec = CompoundLedger.make(bodies.rows)
  const reports: OrganizationLedgers.Reports = {
    bodies,
    posts: readCsv(postSpec, posts),
    compounds: readCsv(compoundSpec, compoundRows),
    specs: { posts: postSpec, compounds: compoundSpec }
  }
  return reports
}

describe("a street's organisation ledgers, as staff keep them", () => {
  it("bodies by kind names, posts by body names and dates typed every way, compounds by mode — pass the core's rules", () => {
    const reports = loadStreet()
    expect(reports.bodies.rowNumbers).toEqual([3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15])
    expect(reports.bodies.skipped.map((s) => s.reason)).toEqual(["footer"])
    const byId = new Map(reports.bodies.rows.map((b) => [b.id, b]))
    expect(byId.get(Body.BodyId.make("c1-big"))?.kind).toBe(Body.kinds.bigPartyCommittee)
    expect(byId.get(Body.BodyId.make("c1-big"))?.since).toBe("2022-07-01")
    expect(byId.get(Body.BodyId.make("s1-mr"))?.sector).toBe(Body.sectors.marketRegulation)
    expect(byId.get(Body.BodyId.make("c1-med"))?.kind).toBe(Body.kinds.mediationCommittee)
    const first = reports.posts.rows[0]
    expect(first).toEqual(
      Post.make({
        id: "big-1",
        bodyId: "c1-big",
        kind: "first-secretary",
        holder: "zhang",
        since: "2022-07-01",
        concurrent: true,
        affiliation: "s1-lead"
      })
    )
    expect(reports.posts.rows.find((p) => p.id === "br-1")?.concurrent).toBe(false)
    expect(reports.posts.rows.find((p) => p.id === "med-2")?.kind).toBe(Post.kinds.mediator)
    expect(reports.posts.rows.find((p) => p.id === "med-3")?.since).toBe("2021-03-01")
    const input = Either.getOrThrowWith(
      OrganizationLedgers.check(reports, context),
      (e) => new Error(e.message)
    )
    expect(OrganizationRules.check(input)).toEqual([])
    const metrics = OrganizationMetrics.compoundManagement(input.compounds)
    expect([metrics.professional, metrics.selfManaged, metrics.takenOver, metrics.unmanaged]).toEqual([
      1, 1, 57, 0
    ])
    // 17 compound branches, one per grid (支部建在网格上): the organisation ledger takes them in
    const branches = Array.from({ length: 17 }, (_, i) => [
      `br-g${i + 1}`,
      "小区党支部",
      `第${i + 1}网格党支部`,
      "c-1",
      "",
      "",
      "",
      ""
    ])
    const more = readCsv(BodyLedger.spec, [...bodySheet.slice(0, -1), ...branches])
    expect(
      OrganizationMetrics.bodiesByKind(more.rows).find((k) => k.kind === Body.kinds.compoundPartyBranch)
        ?.count
    ).toBe(17)
  })

  it.effect("the same sheets as XLSX, dates stored by Excel as dates, after a title row", () =>
    Effect.gen(function* () {
      // exceljs writes a Date's UTC fields as the wall clock: midnight of the day
      const asExcelDate = (cell: Cellish): Cellish =>
        typeof cell === "string" && /^\d{4}-\d{2}-\d{2}$/.test(cell) ? new Date(`${cell}T00:00:00Z`) : cell
      const bodies = yield* Xlsx.readReport(
        BodyLedger.spec,
        yield* Effect.promise(() => xlsxOf("组织台账", bodySheet))
      )
      const postSpec = PostLedger.make({ bodies: bodies.rows })
      const posts = yield* Xlsx.readReport(
        postSpec,
        yield* Effect.promise(() =>
          xlsxOf(
            "岗位台账",
            postRows.map((r) => r.map(asExcelDate))
          )
        )
      )
      expect(posts.rows.find((p) => p.id === "big-3")?.since).toBe("2022-07-01")
      expect(posts.rows.find((p) => p.id === "ws-2")?.until).toBe("2025-12-31")
      const compoundSpec = CompoundLedger.make(bodies.rows)
      const compounds = yield* Xlsx.readReport(
        compoundSpec,
        yield* Effect.promise(() => xlsxOf("小区", compoundRows))
      )
      const input = OrganizationLedgers.check(
        { bodies, posts, compounds, specs: { posts: postSpec, compounds: compoundSpec } },
        context
      )
      expect(Either.isRight(input)).toBe(true)
    })
  )
})

// -----------------------------------------------------------------------------
// refusals: bad cells at import
// -----------------------------------------------------------------------------

describe("organisation ledgers — bad cells are refused at their row and column", () => {
  it("a day that is not a day, an ambiguous body name, a post kind no table holds as a malformed id", () => {
    const bodies = readCsv(BodyLedger.spec, [
      bodyHeader,
      ["rc-a", "居委会", "居委会", "c-1", "", "", "", ""],
      ["rc-b", "居委会", "居委会", "c-2", "", "", "", ""]
    ]).rows
    const error = refusedCsv(PostLedger.make({ bodies }), [
      postHeader,
      ["p-1", "rc-a", "主任", "li", "2024-02-30", "", "", "", ""],
      ["p-2", "居委会", "主任", "wu", "2024-01-01", "", "", "", ""],
      ["p-3", "rc-b", "主任", "zh", "2024-01-01", "", "也许", "", ""]
    ])
    expect(error.rowProblems.map((p) => [p.row, p.column, p.header, p.rule])).toEqual([
      [2, "E", "任职起始", "invalid"],
      [3, "B", "所在机构", "invalid"],
      [4, "G", "是否兼任", "type"]
    ])
    expect(error.rowProblems[1]?.message).toMatch(/^机构名称「居委会」不明确，可指 rc-a（c-1）、rc-b（c-2）/)
    expect(error.message).toMatch(/^台账「岗位台账」导入失败/)
  })

  it("a compound whose mode and bodies disagree is refused at the cell concerned", () => {
    const error = refusedCsv(CompoundLedger.spec, [
      compoundHeader,
      ["cp-1", "c-1", "一期", 100, "专业物业", "", ""],
      ["cp-2", "c-1", "二期", 100, "无人管理", "pc-1", ""],
      ["cp-3", "c-1", "三期", 100, "自管", "oc-1", "c-1"],
      ["cp-4", "c-1", "四期", 100, "物业托管", "", ""],
      ["cp-5", "c-1", "五期", 100, "无人管理", "", "c-1"]
    ])
    expect(error.rowProblems.map((p) => [p.row, p.column, p.header, p.rule])).toEqual([
      [2, "F", "管理机构", "required"],
      [3, "F", "管理机构", "invalid"],
      [4, "G", "兜底单位", "invalid"],
      [5, "E", "管理方式", "type"]
    ])
    expect(error.rowProblems[1]?.message).toMatch(/^管理方式为「无人管理」时不填管理机构/)
    expect(error.rowProblems[2]?.message).toMatch(/^只有无人管理的小区填写兜底单位/)
    expect(error.rowProblems[3]?.message).toContain("专业物业、自管、无人管理")
  })

  it("a placement no staff would write lists the placements", () => {
    const error = refusedCsv(StairwellStaffLedger.spec, [
      ["人员编号", "姓名", "角色", "任职层级", "任职对象", "任职起始"],
      ["p-1", "王芳", "楼道长", "阳台", "b-3-2", ""]
    ])
    expect(error.rowProblems[0]).toMatchObject({ row: 2, column: "D", header: "任职层级", rule: "invalid" })
    expect(error.rowProblems[0]?.message).toContain("行政单元、网格、微网格、楼栋、单元楼道")
  })
})

// -----------------------------------------------------------------------------
// refusals: the core's rules at their rows
// -----------------------------------------------------------------------------

describe("organisation ledgers — the core's violations at their rows", () => {
  it("大党委: a 第一书记 sent by a co-building unit, no member from 市场监管, a grid leader outside the 两委", () => {
    const posts = postRows
      .filter((r) => r[0] !== "big-5")
      .map((r) =>
        r[0] === "big-1"
          ? ["big-1", "金星社区大党委", "第一书记", "zhang", "2022/7/1", "", "是", "", "市直机关工委"]
          : r[0] === "gs-1"
            ? ["gs-1", "金星社区网格服务站", "网格长", "liu", "2021-03-01", "", "", "g-1", ""]
            : r
      )
    const reports = loadStreet(posts)
    const error = failedCheck(OrganizationLedgers.check(reports, context))
    expect(error.located.map((v) => [v.sheet, v.row, v.column, v.header, v.rule])).toEqual([
      ["岗位台账", 2, "I", "派出单位", "big-party-committee/first-secretary-not-from-street"],
      ["岗位台账", 11, "D", "任职人编号", "grid-leader-in-two-committees/not-two-committees"],
      ["组织台账", 9, "C", "机构名称", "big-party-committee/sector-missing"]
    ])
    expect(error.located[2]?.message).toMatch(
      /^大党委组成：大党委 c1-big 没有来自 market-regulation 的兼职委员/
    )
    expect(error.unlocated).toEqual([])
    expect(error.badRows("岗位台账")).toEqual([2, 11])
    expect(error.message).toMatch(/^台账核查未通过 .*3 处违规.*「岗位台账」第 2 行 I 列「派出单位」/)
  })

  it("columns in another order: the letter is the file's own", () => {
    const order = [2, 0, 1, 3, 4, 5, 6, 7, 8]
    const posts = postRows.map((r) => order.map((i) => r[i] ?? ""))
    const shuffled = posts.map((r, i) =>
      i > 0 && r[1] === "gs-1"
        ? [r[0] ?? "", "gs-1", "金星社区网格服务站", "liu", "2021-03-01", "", "", "g-1", ""]
        : r
    )
    const error = failedCheck(OrganizationLedgers.check(loadStreet(shuffled), context))
    expect(error.located.map((v) => [v.row, v.column, v.header])).toEqual([[12, "D", "任职人编号"]])
    const holderFirst = postRows.map((r) => [r[3] ?? "", ...r.filter((_, i) => i !== 3)])
    const moved = holderFirst.map((r) => (r[1] === "gs-1" ? ["liu", ...r.slice(1)] : r))
    const again = failedCheck(OrganizationLedgers.check(loadStreet(moved), context))
    expect(again.located.map((v) => [v.row, v.column, v.header])).toEqual([[12, "A", "任职人编号"]])
  })

  it("integrity and 议行分离: an unknown kind, a temporary branch without its end, two 书记 at once, one person in committee and station", () => {
    const bodies = readCsv(BodyLedger.spec, [
      ...bodySheet.slice(0, -1),
      ["tmp-1", "临时党支部", "防汛临时党支部", "c-1", "", "", "2024-05-01", ""],
      ["x-1", "居委", "某居委", "c-1", "", "", "", ""]
    ])
    const postSpec = PostLedger.make({ bodies: bodies.rows })
    const posts = readCsv(postSpec, [
      ...postRows,
      ["br-2", "金星社区党总支", "书记", "he", "2024-01-01", "", "", "", ""],
      ["ws-9", "金星社区服务站", "委员", "zhou", "2024-01-01", "", "", "", ""],
      ["x-9", "金星社区老年协会", "理事", "gu", "2024-01-01", "", "", "", ""]
    ])
    const error = failedCheck(
      OrganizationLedgers.check({ bodies, posts, specs: { posts: postSpec } }, context)
    )
    const shown = error.located.map((v) => [v.sheet, v.row, v.header, v.rule])
    expect(shown).toEqual([
      ["岗位台账", 8, "任职起始", "integrity/single-post-overlap"],
      ["岗位台账", 10, "任职人编号", "deliberation-execution-separation/holds-both"],
      ["岗位台账", 17, "任职起始", "integrity/single-post-overlap"],
      ["岗位台账", 18, "任职人编号", "deliberation-execution-separation/holds-both"],
      ["岗位台账", 19, "所在机构", "integrity/unknown-body"],
      ["组织台账", 16, "撤销日期", "integrity/temporary-without-end"],
      ["组织台账", 17, "机构类别", "integrity/unknown-body-kind"]
    ])
  })

  it("a violation no row holds is reported without one; compounds without arrangement at 管理方式", () => {
    const reports = loadStreet(postRows.filter((r) => !String(r[0]).startsWith("med-")))
    const bodies = reports.bodies
    const compoundSpec = CompoundLedger.make(bodies.rows)
    const compounds = readCsv(compoundSpec, [
      compoundHeader,
      ["cp-1", "c-1", "一期", 612, "", "", ""],
      ["cp-2", "c-1", "二号院", 48, "无人管理", "", ""],
      ["cp-3", "c-1", "三期", 48, "专业物业", "二号院业委会", ""]
    ])
    const error = failedCheck(
      OrganizationLedgers.check(
        { ...reports, compounds, specs: { ...reports.specs, compounds: compoundSpec } },
        {
          ...context,
          communities: [{ unitId: UnitId.make("c-1"), residents: 3200, streetId: UnitId.make("s-1") }]
        }
      )
    )
    expect(error.located.map((v) => [v.sheet, v.row, v.column, v.header, v.rule])).toEqual([
      ["小区管理台账", 2, "E", "管理方式", "compound-management/no-arrangement"],
      ["小区管理台账", 3, "G", "兜底单位", "compound-management/not-taken-over"],
      ["小区管理台账", 4, "F", "管理机构", "compound-management/manager-wrong-kind"]
    ])
    expect(error.unlocated.map((v) => v.rule)).toEqual(["mediators-by-population/too-few"])
    expect(error.unlocated[0]?.message).toMatch(/^调解员按人口配备：c-1 仅有 0 人，应不少于 5 人/)
  })

  it.prop(
    "every violation the core finds is located at rows holding the ids it names, or reported without a row",
    [fc.subarray(postRows.slice(1).map((r) => String(r[0])))],
    ([kept]) => {
      const reports = loadStreet([
        postRows[0] ?? [],
        ...postRows.slice(1).filter((r) => kept.includes(String(r[0])))
      ])
      const violations = OrganizationRules.check(OrganizationLedgers.inputOf(reports, context))
      const located = OrganizationLedgers.locate(reports, violations)
      expect(located.map((l) => l.violation)).toEqual(violations)
      const result = OrganizationLedgers.check(reports, context)
      expect(Either.isRight(result)).toBe(violations.length === 0)
      for (const { violation, rows } of located) {
        for (const row of rows) {
          const number = row.sheet === "岗位台账" ? reports.posts.rowNumbers : reports.bodies.rowNumbers
          const index = number.indexOf(row.row)
          expect(index).toBeGreaterThanOrEqual(0)
          const id = row.sheet === "岗位台账" ? reports.posts.rows[index]?.id : reports.bodies.rows[index]?.id
          expect([...violation.postIds, ...violation.bodyIds]).toContain(id)
          expect(row.column).not.toBe("")
        }
      }
    }
  )
})

// -----------------------------------------------------------------------------
// 双报到 and staff by stairwell
// -----------------------------------------------------------------------------

describe("MembershipLedger 党员双报到台账", () => {
  const header = ["党员编号", "所在党组织", "关系类别", "原单位党组织", "起始日期", "终止日期"]
  const bodies = readCsv(BodyLedger.spec, [
    bodyHeader,
    ["br-g1", "小区党支部", "第一网格党支部", "c-1", "", "", "", ""],
    ["org-tax", "社区党支部", "税务局机关党支部", "d-1", "", "", "", ""]
  ]).rows

  it("an in-service member keeps the relation at work and reports where they live (names or ids)", () => {
    const spec = MembershipLedger.make(bodies)
    const report = readCsv(spec, [
      header,
      ["pm-1", "税务局机关党支部", "组织关系", "", "2020-01-01", ""],
      ["pm-1", "第一网格党支部", "报到", "org-tax", "2023/3/5", ""]
    ])
    const rows = Either.getOrThrowWith(MembershipLedger.check(report, spec), (e) => new Error(e.message))
    expect(rows.map((m) => [m.bodyId, m.kind, m.homeBodyId])).toEqual([
      ["org-tax", "relation", undefined],
      ["br-g1", "reported", "org-tax"]
    ])
  })

  it("two relations at once, a report without its home and a report to the home branch are shown at their rows", () => {
    const spec = MembershipLedger.make(bodies)
    const report = readCsv(spec, [
      header,
      ["pm-1", "org-tax", "组织关系", "", "2020-01-01", ""],
      ["pm-1", "br-g1", "组织关系", "", "2023-01-01", ""],
      ["pm-2", "br-g1", "报到", "", "2023-01-01", ""],
      ["pm-3", "org-tax", "报到", "税务局机关党支部", "2023-01-01", ""],
      ["pm-4", "org-tax", "组织关系", "", "2023-01-01", "2022-12-31"]
    ])
    const error = failedCheck(MembershipLedger.check(report, spec))
    expect(error.located.map((v) => [v.row, v.column, v.header, v.rule])).toEqual([
      [2, "B", "所在党组织", "several-relations"],
      [3, "B", "所在党组织", "several-relations"],
      [4, "D", "原单位党组织", "reported-without-home"],
      [5, "D", "原单位党组织", "report-to-home"],
      [6, "F", "终止日期", "term-reversed"]
    ])
    expect(error.located[2]?.message).toMatch(/^党员 pm-2 报到未注明原单位党组织/)
  })
})

describe("MembershipLedger — every breach the core finds is shown at its rows", () => {
  const day = fc.integer({ min: 0, max: 6 }).map((d) => `2024-0${1 + d}-01`)
  const membership = fc.record({
    personId: fc.constantFrom("pm-1", "pm-2", "pm-3"),
    bodyId: fc.constantFrom("br-1", "br-2", "org-1"),
    kind: fc.constantFrom("relation" as const, "reported" as const),
    homeBodyId: fc.option(fc.constantFrom("br-1", "org-1"), { nil: undefined }),
    since: day,
    until: fc.option(day, { nil: undefined })
  })

  it.prop(
    "rows → CSV → check: located exactly at the rows of the breaches, none unlocated",
    [fc.array(membership, { maxLength: 8 })],
    ([drawn]) => {
      const rows = drawn.map((m) =>
        Schema.decodeUnknownSync(Schema.typeSchema(MembershipLedger.rowSchema()))(
          Object.fromEntries(Object.entries(m).filter(([, v]) => v !== undefined))
        )
      )
      const report = Either.getOrThrowWith(
        Either.flatMap(Csv.write(MembershipLedger.spec, rows), (text) =>
          Csv.readReport(MembershipLedger.spec, text)
        ),
        (e) => new Error(e.message)
      )
      const violations = Membership.check(report.rows)
      const result = MembershipLedger.check(report)
      expect(Either.isLeft(result)).toBe(violations.length > 0)
      if (Either.isLeft(result)) {
        expect(result.left.unlocated).toEqual([])
        for (const v of result.left.located) {
          const m = report.rows[report.rowNumbers.indexOf(v.row)]
          expect(violations.some((x) => x.rule === v.rule && x.personId === m?.personId)).toBe(true)
        }
        for (const x of violations) {
          expect(result.left.located.some((v) => v.rule === x.rule)).toBe(true)
        }
      }
    }
  )
})

describe("StairwellStaffLedger 楼道力量台账", () => {
  const header = ["人员编号", "姓名", "角色", "任职层级", "任职对象", "任职起始"]
  const table = [...RoleTable.defaults, ...RoleTable.localRoles]

  it.prop(
    "the check refuses exactly the rows the role table cannot place",
    [
      fc.array(
        fc.record({
          role: fc.constantFrom(
            "stairwell-leader",
            "ten-household-leader",
            "building-leader",
            "grid-leader",
            "mediator",
            "楼组长"
          ),
          placement: fc.constantFrom(...RoleTable.Placement.literals)
        }),
        { maxLength: 8 }
      )
    ],
    ([drawn]) => {
      const rows = drawn.map((d, i) => [
        `p-${i}`,
        "",
        d.role,
        StairwellStaffLedger.placementNames[d.placement],
        `t-${i}`,
        ""
      ])
      const report = readCsv(StairwellStaffLedger.spec, [header, ...rows])
      const refused = drawn
        .map((d, i) => ({
          row: i + 2,
          ok: Either.isRight(RoleTable.place(table, "staffing", d.role, d.placement))
        }))
        .filter((r) => !r.ok)
        .map((r) => r.row)
      const result = StairwellStaffLedger.check(table, report)
      expect(Either.isLeft(result) ? result.left.badRows("楼道力量台账") : []).toEqual(refused)
    }
  )

  it("楼道长 at stairwells, 十户长 at micro-grids, a 楼栋长 at a building: the role table places them", () => {
    const report = readCsv(StairwellStaffLedger.spec, [
      header,
      ["p-1", "王芳", "楼道长", "单元", "b-3-2", "2024/3/1"],
      ["p-2", "李强", "十户长", "微网格", "mg-7", ""],
      ["p-3", "赵敏", "楼栋长", "楼栋", "b-3", ""],
      ["p-4", "孙丽", "调解员", "社区", "c-1", ""]
    ])
    const rows = Either.getOrThrowWith(StairwellStaffLedger.check(table, report), (e) => new Error(e.message))
    expect(rows.map((r) => [r.role, r.placement, r.targetId, r.since])).toEqual([
      ["stairwell-leader", "stairwell", "b-3-2", "2024-03-01"],
      ["ten-household-leader", "micro-grid", "mg-7", undefined],
      ["building-leader", "building", "b-3", undefined],
      ["mediator", "unit", "c-1", undefined]
    ])
  })

  it("a role the table does not hold, and roles placed where they cannot serve, at their rows", () => {
    const report = readCsv(StairwellStaffLedger.spec, [
      header,
      ["p-1", "王芳", "楼道长", "网格", "g-1", ""],
      ["p-2", "李强", "楼组长", "单元", "b-3-2", ""],
      ["p-3", "赵敏", "专职网格员", "单元楼道", "b-3-2", ""]
    ])
    const error = failedCheck(StairwellStaffLedger.check(table, report))
    expect(error.located.map((v) => [v.row, v.column, v.header, v.rule])).toEqual([
      [2, "D", "任职层级", "placement-refused"],
      [3, "C", "角色", "unknown-role"],
      [4, "D", "任职层级", "placement-refused"]
    ])
    expect(error.located[0]?.message).toMatch(/^staffing 角色 stairwell-leader 不能任职于 grid/)
    // without the local roles, 楼道长 is unknown: the table decides, not the ledger
    const bare = failedCheck(
      StairwellStaffLedger.check(
        RoleTable.defaults,
        readCsv(StairwellStaffLedger.make(RoleTable.defaults), [
          header,
          ["p-1", "王芳", "stairwell-leader", "单元", "b-3-2", ""]
        ])
      )
    )
    expect(bare.located.map((v) => [v.row, v.header, v.rule])).toEqual([[2, "角色", "unknown-role"]])
  })
})

// keep the core's management modes and the ledger's labels in step
describe("CompoundLedger labels", () => {
  it("writes each mode by the core's Chinese name", () => {
    const compounds: ReadonlyArray<Compound.Compound> = [
      {
        id: UnitId.make("a"),
        communityId: UnitId.make("c"),
        name: "甲",
        management: { _tag: "Professional", propertyCompanyId: Body.BodyId.make("pc") }
      },
      {
        id: UnitId.make("b"),
        communityId: UnitId.make("c"),
        name: "乙",
        management: { _tag: "SelfManaged", bodyId: Body.BodyId.make("oc") }
      },
      {
        id: UnitId.make("d"),
        communityId: UnitId.make("c"),
        name: "丙",
        management: { _tag: "Unmanaged", takenOverBy: UnitId.make("c") }
      }
    ]
    const table = Either.getOrThrow(Ledger.toTable(CompoundLedger.spec, compounds))
    expect(table.rows.map((r) => [r[4], r[5], r[6]])).toEqual([
      [Compound.modeNames.Professional, "pc", null],
      [Compound.modeNames.SelfManaged, "oc", null],
      [Compound.modeNames.Unmanaged, null, "c"]
    ])
  })
})

describe("templates of the organisation ledgers", () => {
  it("offer the kinds, posts, modes, relations, roles and placements by their Chinese names", () => {
    const values = (spec: Ledger.LedgerKind, header: string) =>
      Template.guide(spec, { notes: [], columns: {} }).find((g) => g.header === header)
    expect(values(BodyLedger.spec, "机构类别")?.values).toEqual(Body.defaultKinds.map((k) => k.zh))
    expect(values(BodyLedger.spec, "职能条线")?.values).toEqual(["公安", "城管", "市场监管"])
    expect(values(PostLedger.spec, "岗位")?.values).toContain("兼职委员")
    expect(values(CompoundLedger.spec, "管理方式")).toMatchObject({
      values: ["专业物业", "自管", "无人管理"],
      closed: true
    })
    expect(values(MembershipLedger.spec, "关系类别")).toMatchObject({
      values: ["组织关系", "报到"],
      closed: true
    })
    expect(values(StairwellStaffLedger.spec, "角色")?.values).toEqual(
      expect.arrayContaining(["楼道长", "十户长", "楼栋长", "网格长"])
    )
    expect(values(StairwellStaffLedger.spec, "任职层级")?.values).toEqual([
      "行政单元",
      "网格",
      "微网格",
      "楼栋",
      "单元楼道"
    ])
  })

  it.effect("a filled-in template imports back", () =>
    Effect.gen(function* () {
      const bytes = yield* Template.write(StairwellStaffLedger.spec, { notes: [], columns: {} }, { rows: 5 })
      const workbook = new ExcelJS.Workbook()
      yield* Effect.promise(() => workbook.xlsx.load(bytes.buffer as ArrayBuffer))
      const sheet = workbook.getWorksheet("楼道力量台账")
      sheet?.addRow(["p-1", "王芳", "楼道长", "单元楼道", "b-3-2", "2024-03-01"])
      const filled = new Uint8Array(yield* Effect.promise(() => workbook.xlsx.writeBuffer()))
      const rows = yield* Xlsx.read(StairwellStaffLedger.spec, filled)
      expect(rows.map((r) => [r.role, r.placement, r.since])).toEqual([
        ["stairwell-leader", "stairwell", "2024-03-01"]
      ])
    })
  )
})
