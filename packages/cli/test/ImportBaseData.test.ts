/**
 * 自带辖区 — `civicgrid import --list units|party-organizations|buildings|
 * grids|staff|assignments|departments` (issue 15): a small district that is
 * not the demo — 青山区, two streets, three communities, Chinese names, parents
 * named by name or path — goes into an empty migrated SQLite database through
 * the real command, in order: units (the level scheme found from the levels
 * used), party organisations, buildings with GCJ-02 positions (`--crs
 * gcj02`, stored within 1e-5° of gcoord's WGS-84), grids from a GeoJSON
 * FeatureCollection (GCJ-02 boundaries) and from a CSV with a 边界(WKT)
 * column, staff, assignments, departments. A file with one bad cell writes
 * nothing and names its row, column, header and rule; a grid covering a
 * building of another community is refused; base data before the units is
 * refused naming the units; every re-import reports unchanged; every kind
 * exports and imports back into a fresh database byte for byte; a unit
 * ledger of another scheme is read with `--scheme`.
 */
import { readFile, writeFile } from "node:fs/promises"
import { join } from "node:path"
import * as GridRepository from "@civicgrid/core/GridRepository"
import * as Hierarchy from "@civicgrid/core/Hierarchy"
import * as HierarchyRepository from "@civicgrid/core/HierarchyRepository"
import * as NodeContext from "@effect/platform-node/NodeContext"
import { describe, expect, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import * as Option from "effect/Option"
import gcoordModule from "gcoord"
import * as DatabaseOption from "../src/DatabaseOption.js"
import * as BaseData from "../src/internal/baseData.js"
import * as LedgerFile from "../src/LedgerFile.js"
import * as Databases from "./support/Databases.js"
import * as TestConsole from "./support/TestConsole.js"

type Gcoord = typeof gcoordModule.default
// gcoord is CommonJS while its declarations say `export default` (as core `Crs` reads it)
const gcoord: Gcoord =
  "transform" in gcoordModule ? (gcoordModule as unknown as Gcoord) : gcoordModule.default

const ok = (args: ReadonlyArray<string>) =>
  Effect.tap(TestConsole.runCli(args), (run) =>
    Effect.sync(() => expect(Exit.isSuccess(run.exit), `civicgrid ${args.join(" ")}\n${run.err}`).toBe(true))
  )

const refused = (args: ReadonlyArray<string>) =>
  Effect.map(TestConsole.runCli(args), (run) => {
    expect(Exit.isFailure(run.exit), `civicgrid ${args.join(" ")} should fail\n${run.out}`).toBe(true)
    return `${run.out}\n${run.err}`
  })

const csv = (rows: ReadonlyArray<ReadonlyArray<string>>): string =>
  rows
    .map((r) => r.map((c) => (/[",\r\n]/.test(c) ? `"${c.replaceAll('"', '""')}"` : c)).join(","))
    .join("\r\n")

/** A fresh database of the dialect (SQLite by default), migrated and empty. */
const emptyOf = (dialect: Databases.Dialect) =>
  Effect.gen(function* () {
    const url = yield* dialect.fresh
    yield* ok(["migrate", "--database", url])
    return url
  })

const emptyDatabase = emptyOf(Databases.sqlite)

const onStore = <A, E>(
  url: string,
  effect: Effect.Effect<A, E, HierarchyRepository.HierarchyRepository | GridRepository.GridRepository>
) =>
  Effect.gen(function* () {
    const database = yield* DatabaseOption.resolve(Option.some(url))
    return yield* effect.pipe(
      Effect.provide(BaseData.layerStores),
      Effect.provide(DatabaseOption.layer(database))
    )
  }).pipe(Effect.provide(NodeContext.layer))

const units = csv([
  ["单元编号", "上级单元", "层级", "单元名称"],
  ["qs", "", "区", "青山区"],
  ["qs-a", "青山区", "街道", "红卫路街道"],
  ["qs-b", "青山区", "街道", "冶金街道"],
  ["qs-a-1", "红卫路街道", "社区", "建设一路社区"],
  ["qs-a-2", "qs-a", "社区", "建设二路社区"],
  ["qs-b-1", "青山区/冶金街道", "社区", "钢花社区"],
  ["qs-a-1-c1", "建设一路社区", "小区", "建一小区"]
])

const party = csv([
  ["党组织编号", "上级党组织", "党组织类别", "党组织名称", "所在单元", "所在网格"],
  ["p", "", "区委", "青山区委", "青山区", ""],
  ["p-a", "p", "街道党工委", "红卫路街道党工委", "红卫路街道", ""],
  ["p-a-1", "p-a", "社区党委", "建设一路社区党委", "建设一路社区", ""],
  ["p-a-1-g1", "p-a-1", "网格党支部", "建设一路第一网格党支部", "建设一路社区", "g-1"]
])

/** GCJ-02 positions, as drawn on a 高德 map. */
const positions: Readonly<Record<string, readonly [number, number]>> = {
  "b-1": [114.385, 30.64],
  "b-2": [114.386, 30.641],
  "b-3": [114.39, 30.645],
  "b-4": [114.42, 30.63]
}

const buildingsHeader = ["楼栋编号", "楼栋名称", "所属社区", "所属小区", "户数", "党员户数", "经纬度"]
const buildingRows = [
  ["b-1", "1栋", "建设一路社区", "建设一路社区/建一小区", "120", "10", "114.385,30.64"],
  ["b-2", "2栋", "红卫路街道/建设一路社区", "", "110", "8", "114.386,30.641"],
  ["b-3", "3栋", "建设二路社区", "", "２５０", "", "114.39,30.645"],
  ["b-4", "钢花1栋", "钢花社区", "", "230", "30", "114.42,30.63"]
]
const buildings = csv([buildingsHeader, ...buildingRows])

const square = (lon: number, lat: number, d: number) => [
  [lon, lat],
  [lon + d, lat],
  [lon + d, lat + d],
  [lon, lat + d],
  [lon, lat]
]

const gridsGeoJson = JSON.stringify({
  type: "FeatureCollection",
  features: [
    {
      type: "Feature",
      properties: {
        网格编号: "g-1",
        网格名称: "建设一路第一网格",
        网格类型: "基础网格",
        所属社区: "建设一路社区",
        覆盖楼栋: ["b-1", "b-2"],
        fill: "#ff0000"
      },
      geometry: { type: "Polygon", coordinates: [square(114.384, 30.639, 0.004)] }
    },
    {
      type: "Feature",
      id: "g-2",
      properties: { name: "建设二路第一网格", kind: "basic", communityId: "qs-a-2", buildingIds: "b-3" },
      geometry: { type: "Polygon", coordinates: [square(114.389, 30.644, 0.003)] }
    }
  ]
})

const wkt = "POLYGON ((114.419 30.629, 114.422 30.629, 114.422 30.632, 114.419 30.632, 114.419 30.629))"
const gridsCsv = csv([
  ["网格编号", "网格名称", "网格类型", "所属社区", "覆盖楼栋", "边界(WKT)"],
  ["g-3", "钢花第一网格", "基础网格", "冶金街道/钢花社区", "b-4", wkt]
])

const staff = csv([
  ["人员编号", "姓名", "是否党员", "党员类别", "联系电话"],
  ["w-1", "张伟", "是", "骨干", "13800000001"],
  ["w-2", "李娜", "否", "", "13800000002"],
  ["w-3", "王芳", "是", "一般", ""]
])

const assignments = csv([
  ["人员编号", "角色", "任职对象类型", "任职对象编号"],
  ["w-1", "专职网格员", "网格", "g-1"],
  ["w-2", "专职网格员", "网格", "g-2"],
  ["w-3", "专职网格员", "网格", "g-3"],
  ["w-1", "楼栋长", "楼栋", "b-1"]
])

const departments = csv([
  ["部门编号", "部门名称", "英文名称", "辖区单元"],
  ["dep-cg", "青山区城管局", "Urban Management Bureau", "青山区"],
  ["dep-sw", "红卫路街道水务站", "Water Station", "红卫路街道"]
])

/** The files of the district, in import order. */
const files: ReadonlyArray<readonly [LedgerFile.Kind, string, string, ReadonlyArray<string>]> = [
  ["units", "行政单元.csv", units, []],
  ["party-organizations", "党组织.csv", party, []],
  ["buildings", "楼栋.csv", buildings, ["--crs", "gcj02"]],
  ["grids", "网格.geojson", gridsGeoJson, ["--crs", "高德"]],
  ["grids", "网格.csv", gridsCsv, ["--crs", "gcj02"]],
  ["staff", "网格员.csv", staff, []],
  ["assignments", "任职.csv", assignments, []],
  ["departments", "部门.csv", departments, []]
]

/** Writes the district's files and imports them all into a fresh empty database. */
const districtOf = (dialect: Databases.Dialect) =>
  Effect.gen(function* () {
    const dir = yield* Databases.tempDir
    const url = yield* emptyOf(dialect)
    const outputs: Array<string> = []
    for (const [kind, name, text, extra] of files) {
      yield* Effect.promise(() => writeFile(join(dir, name), text))
      const run = yield* ok(["import", join(dir, name), "--list", kind, ...extra, "--database", url])
      outputs.push(run.out)
    }
    return { dir, url, outputs }
  })

const district = districtOf(Databases.sqlite)

for (const dialect of Databases.dialects) {
  describe(`civicgrid import: a district's base data 基础数据 (${dialect.name})`, () => {
    it.scoped(
      "a non-demo district imports into an empty migrated database, kind by kind, and re-imports unchanged",
      () =>
        Effect.gen(function* () {
          const { dir, url, outputs } = yield* districtOf(dialect)
          const [u, p, b, g1, g2, s, a, d] = outputs
          expect(u).toContain("已导入 imported 7 行政单元 units")
          expect(u).toContain("7 new, 0 updated, 0 unchanged")
          expect(u).toContain("层级方案 level scheme: 五级治理 (five-level)")
          expect(p).toContain("4 new")
          expect(p).toContain("党组织体系（区级）")
          expect(b).toContain("4 coordinate(s) converted from GCJ02 to WGS-84")
          expect(b).toContain("覆盖检查 coverage")
          expect(b).toContain("4 栋楼未入网格 building(s) in no basic grid")
          expect(g1).toContain("10 coordinate(s) converted")
          expect(g1).toContain("2 new")
          expect(g2).toContain("5 coordinate(s) converted")
          expect(g2).toContain("0 栋楼未入网格")
          expect(g2).toContain("规模检查 size (200–300 户")
          expect(g2).toContain("力量配置检查 staffing")
          expect(s).toContain("3 new")
          expect(a).toContain("4 new")
          expect(d).toContain("2 new")

          const stored = yield* onStore(
            url,
            Effect.gen(function* () {
              const hierarchy = yield* (yield* HierarchyRepository.HierarchyRepository).load
              const store = yield* GridRepository.GridRepository
              const root = Hierarchy.root(hierarchy).id
              return {
                hierarchy,
                buildings: yield* store.buildings(root),
                grids: yield* store.grids(root),
                snapshot: yield* store.snapshot(root),
                party: yield* (yield* HierarchyRepository.HierarchyRepository).loadPartyOrganizations
              }
            })
          )
          expect(Hierarchy.root(stored.hierarchy).name).toBe("青山区")
          expect(Hierarchy.get(stored.hierarchy, "qs-b-1").pipe(Option.map((x) => x.parentId))).toEqual(
            Option.some("qs-b")
          )
          // positions stored in WGS-84: gcoord's conversion of the GCJ-02 ones
          for (const building of stored.buildings) {
            const given = positions[building.id]
            expect(given).toBeDefined()
            const [lon, lat] = gcoord.transform(
              [given?.[0] ?? 0, given?.[1] ?? 0],
              gcoord.GCJ02,
              gcoord.WGS84
            )
            expect(Math.abs((building.location?.[0] ?? 0) - lon)).toBeLessThan(1e-5)
            expect(Math.abs((building.location?.[1] ?? 0) - lat)).toBeLessThan(1e-5)
            expect(Math.abs((building.location?.[0] ?? 0) - (given?.[0] ?? 0))).toBeGreaterThan(1e-3)
          }
          expect(stored.buildings.find((x) => x.id === "b-3")?.households).toBe(250)
          expect(stored.buildings.find((x) => x.id === "b-1")?.compoundId).toBe("qs-a-1-c1")
          // boundaries converted too
          const g3 = stored.grids.find((x) => x.id === "g-3")
          const corner = g3?.boundary?.type === "Polygon" ? g3.boundary.coordinates[0][0] : undefined
          const [lon, lat] = gcoord.transform([114.419, 30.629], gcoord.GCJ02, gcoord.WGS84)
          expect(Math.abs((corner?.[0] ?? 0) - lon)).toBeLessThan(1e-5)
          expect(Math.abs((corner?.[1] ?? 0) - lat)).toBeLessThan(1e-5)
          expect(stored.grids.map((x) => [x.id, x.communityId, x.buildingIds])).toEqual([
            ["g-1", "qs-a-1", ["b-1", "b-2"]],
            ["g-2", "qs-a-2", ["b-3"]],
            ["g-3", "qs-b-1", ["b-4"]]
          ])
          expect(stored.snapshot.assignments.length).toBe(4)
          expect(stored.party.tree.size).toBe(4)

          // every kind again: unchanged, nothing written
          for (const [kind, name, , extra] of files) {
            const again = yield* ok(["import", join(dir, name), "--list", kind, ...extra, "--database", url])
            expect(again.out, kind).toMatch(/ 0 new, 0 updated, \d+ unchanged/)
          }
        }),
      120_000
    )
  })
}

describe("civicgrid import: a district's base data 基础数据", () => {
  it.scoped(
    "a bad cell writes nothing and names row, column, header and rule; a foreign building is refused",
    () =>
      Effect.gen(function* () {
        const dir = yield* Databases.tempDir
        const url = yield* emptyDatabase
        const write = (name: string, text: string) => Effect.promise(() => writeFile(join(dir, name), text))

        // base data before the units: refused, naming the units
        yield* write("楼栋.csv", buildings)
        const early = yield* refused([
          "import",
          join(dir, "楼栋.csv"),
          "--list",
          "buildings",
          "--database",
          url
        ])
        expect(early).toContain("数据库没有行政层级")
        expect(early).toContain("--list units")

        yield* write("行政单元.csv", units)
        yield* ok(["import", join(dir, "行政单元.csv"), "--list", "units", "--database", url])

        // one bad cell among good rows: nothing written
        const bad = csv([
          buildingsHeader,
          ...buildingRows.slice(0, 2),
          ["b-9", "9栋", "钢花社区", "", "很多", "", ""]
        ])
        yield* write("bad.csv", bad)
        const said = yield* refused([
          "import",
          join(dir, "bad.csv"),
          "--list",
          "buildings",
          "--database",
          url
        ])
        expect(said).toContain("第 4 行 E 列「户数」")
        expect(said).toContain("rule type")
        expect(said).toContain("nothing was imported")
        const count = () =>
          onStore(
            url,
            Effect.flatMap(GridRepository.GridRepository, (r) => r.buildings("qs"))
          )
        expect((yield* count()).length).toBe(0)

        // an unknown unit: the core's whole-file check names it
        yield* write(
          "unknown.csv",
          csv([buildingsHeader, ...buildingRows, ["b-8", "8栋", "qs-x", "", "10", "", ""]])
        )
        const unknown = yield* refused([
          "import",
          join(dir, "unknown.csv"),
          "--list",
          "buildings",
          "--database",
          url
        ])
        expect(unknown).toContain("单元不存在")
        expect(unknown).toContain("qs-x")
        expect((yield* count()).length).toBe(0)

        // a duplicate id: refused whole
        yield* write("dup.csv", csv([buildingsHeader, ...buildingRows, buildingRows[0] ?? []]))
        const dup = yield* refused(["import", join(dir, "dup.csv"), "--list", "buildings", "--database", url])
        expect(dup).toContain("标识重复")
        expect((yield* count()).length).toBe(0)

        yield* ok(["import", join(dir, "楼栋.csv"), "--list", "buildings", "--database", url])
        expect((yield* count()).length).toBe(4)

        // a grid of 建设一路社区 covering 钢花社区's building: refused, nothing written
        yield* write(
          "foreign.csv",
          csv([
            ["网格编号", "网格名称", "网格类型", "所属社区", "覆盖楼栋"],
            ["g-1", "第一网格", "基础网格", "建设一路社区", "b-1、b-2"],
            ["g-x", "越界网格", "基础网格", "建设一路社区", "b-4"]
          ])
        )
        const foreign = yield* refused([
          "import",
          join(dir, "foreign.csv"),
          "--list",
          "grids",
          "--database",
          url
        ])
        expect(foreign).toContain("跨社区")
        expect(foreign).toContain("b-4")
        expect(foreign).toContain("nothing was imported")
        const grids = yield* onStore(
          url,
          Effect.flatMap(GridRepository.GridRepository, (r) => r.grids("qs"))
        )
        expect(grids).toEqual([])

        // a bad WKT: its row, column and rule
        yield* write(
          "wkt.csv",
          csv([
            ["网格编号", "网格名称", "网格类型", "所属社区", "覆盖楼栋", "边界(WKT)"],
            ["g-1", "第一网格", "基础网格", "建设一路社区", "b-1、b-2", "POLYGON ((0 0, 1 0, 1 1))"]
          ])
        )
        const badWkt = yield* refused(["import", join(dir, "wkt.csv"), "--list", "grids", "--database", url])
        expect(badWkt).toContain("第 2 行 F 列「边界(WKT)」")
        expect(badWkt).toContain("linear ring")

        // GeoJSON: rows are the features, 1-based; a file that is no FeatureCollection is one line
        const open: {
          readonly features: ReadonlyArray<{
            readonly geometry: { readonly coordinates: Array<Array<unknown>> }
          }>
        } = JSON.parse(gridsGeoJson)
        open.features[1]?.geometry.coordinates[0]?.pop()
        yield* write("open.geojson", JSON.stringify(open))
        const badFeature = yield* refused([
          "import",
          join(dir, "open.geojson"),
          "--list",
          "grids",
          "--database",
          url
        ])
        expect(badFeature).toContain("第 2 行")
        expect(badFeature).toContain("「边界(WKT)」")
        expect(badFeature).toContain("linear ring must be closed")
        yield* write("point.geojson", JSON.stringify({ type: "Feature", properties: {}, geometry: null }))
        const notCollection = yield* refused([
          "import",
          join(dir, "point.geojson"),
          "--list",
          "grids",
          "--database",
          url
        ])
        expect(notCollection).toContain("GeoJSON 文件无效")
        const stillNone = yield* onStore(
          url,
          Effect.flatMap(GridRepository.GridRepository, (r) => r.grids("qs"))
        )
        expect(stillNone).toEqual([])
      }),
    120_000
  )

  it.scoped(
    "every base-data kind exports and imports back into a fresh database byte for byte",
    () =>
      Effect.gen(function* () {
        const { dir, url } = yield* district
        const fresh = yield* emptyDatabase
        for (const kind of LedgerFile.baseKinds) {
          const first = join(dir, `a-${kind}.csv`)
          const again = join(dir, `b-${kind}.csv`)
          yield* ok(["export", first, "--list", kind, "--database", url])
          yield* ok(["import", first, "--list", kind, "--database", fresh])
          yield* ok(["export", again, "--list", kind, "--database", fresh])
          const [x, y] = yield* Effect.promise(() => Promise.all([readFile(first), readFile(again)]))
          expect(y.toString("utf8"), kind).toBe(x.toString("utf8"))
        }
        // grids as GeoJSON: back into the fresh database, unchanged
        const geojson = join(dir, "grids.geojson")
        yield* ok(["export", geojson, "--list", "grids", "--database", url])
        const grids = yield* ok(["import", geojson, "--list", "grids", "--database", fresh])
        expect(grids.out).toContain("0 new, 0 updated, 3 unchanged")
        const xlsx = join(dir, "units.xlsx")
        yield* ok(["export", xlsx, "--list", "units", "--database", url])
        const back = yield* ok(["import", xlsx, "--list", "units", "--database", fresh])
        expect(back.out).toContain("0 new, 0 updated, 7 unchanged")
      }),
    120_000
  )

  it.scoped(
    "a unit ledger of any level scheme: found from its levels, or named with --scheme",
    () =>
      Effect.gen(function* () {
        const dir = yield* Databases.tempDir
        const write = (name: string, text: string) => Effect.promise(() => writeFile(join(dir, name), text))
        // 区/街道/社区/网格: the six-level scheme is the first that names every level
        const grid = yield* emptyDatabase
        yield* write(
          "four.csv",
          csv([
            ["单元编号", "上级单元", "层级", "单元名称"],
            ["d", "", "区", "东湖区"],
            ["s", "d", "街道", "湖滨街道"],
            ["c", "s", "社区", "湖滨社区"],
            ["g", "c", "网格", "湖滨一网格"]
          ])
        )
        const four = yield* ok(["import", join(dir, "four.csv"), "--list", "units", "--database", grid])
        expect(four.out).toContain("层级方案 level scheme: 六级 (six-level)")

        // 区/街道/片区/社区: no preset has 片区 under a 区 — every row's level is named; a scheme file reads it
        const area = yield* emptyDatabase
        const rows = csv([
          ["单元编号", "上级单元", "层级", "单元名称"],
          ["d", "", "区", "东湖区"],
          ["s", "东湖区", "街道", "湖滨街道"],
          ["a", "湖滨街道", "片区", "北片区"],
          ["c", "北片区", "社区", "湖滨社区"]
        ])
        yield* write("area.csv", rows)
        const unknown = yield* refused([
          "import",
          join(dir, "area.csv"),
          "--list",
          "units",
          "--database",
          area
        ])
        expect(unknown).toContain("层级「片区」不在层级方案")
        expect(unknown).toContain("第 4 行 C 列「层级」")
        yield* write(
          "scheme.json",
          JSON.stringify({
            id: "district-street-area-community",
            name: "区—街道—片区—社区",
            levels: [
              { id: "district", name: "区", nameEn: "district", optional: false },
              { id: "street", name: "街道", nameEn: "street", optional: false },
              { id: "area", name: "片区", nameEn: "area", optional: true },
              { id: "community", name: "社区", nameEn: "community", optional: false }
            ]
          })
        )
        const named = yield* ok([
          "import",
          join(dir, "area.csv"),
          "--list",
          "units",
          "--scheme",
          join(dir, "scheme.json"),
          "--database",
          area
        ])
        expect(named.out).toContain("4 new")
        expect(named.out).toContain("区—街道—片区—社区")
        // the stored scheme is used next time, without --scheme
        const again = yield* ok(["import", join(dir, "area.csv"), "--list", "units", "--database", area])
        expect(again.out).toContain("0 new, 0 updated, 4 unchanged")

        // a tree that breaks the hierarchy rules: every violation, nothing written
        yield* write(
          "cycle.csv",
          csv([
            ["单元编号", "上级单元", "层级", "单元名称"],
            ["d", "", "区", "东湖区"],
            ["x", "d", "区", "西湖区"]
          ])
        )
        const cycle = yield* refused([
          "import",
          join(dir, "cycle.csv"),
          "--list",
          "units",
          "--database",
          area
        ])
        expect(cycle).toContain("行政层级无效 units refused")
        expect(cycle).toContain("nothing was imported")
      }),
    120_000
  )
})
