import * as CaseCategory from "@civicgrid/core/CaseCategory"
import * as CaseRepository from "@civicgrid/core/CaseRepository"
import * as CaseService from "@civicgrid/core/CaseService"
import * as DepartmentRepository from "@civicgrid/core/DepartmentRepository"
import { type Grid, GridId } from "@civicgrid/core/Grid"
import * as HierarchyRepository from "@civicgrid/core/HierarchyRepository"
import * as LevelScheme from "@civicgrid/core/LevelScheme"
import * as PointLocation from "@civicgrid/core/PointLocation"
import * as TimeLimit from "@civicgrid/core/TimeLimit"
import { UnitId } from "@civicgrid/core/Unit"
import * as WorkingCalendar from "@civicgrid/core/WorkingCalendar"
import * as Open311 from "@civicgrid/http/Open311"
import * as HttpApi from "@effect/platform/HttpApi"
import * as HttpApiBuilder from "@effect/platform/HttpApiBuilder"
import * as HttpServer from "@effect/platform/HttpServer"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import { district, rows } from "../getting-started/hierarchy.js"

// 金沙第一网格 — a basic grid of 金沙社区 with its boundary, so a report's lat/long finds its grid.
export const grids: ReadonlyArray<Grid> = [
  {
    id: GridId.make("jinsha-01"),
    name: "金沙第一网格",
    kind: "basic",
    communityId: UnitId.make("jinsha"),
    buildingIds: [UnitId.make("jinsha-yuan-3"), UnitId.make("jinsha-12")],
    boundary: {
      type: "Polygon",
      coordinates: [
        [
          [102.72, 25.06],
          [102.73, 25.06],
          [102.73, 25.07],
          [102.72, 25.07],
          [102.72, 25.06]
        ]
      ]
    }
  }
]

export const config: Open311.Config = {
  // jurisdiction_id: the district the endpoint serves
  jurisdiction: { unitId: "panlong", id: "panlong.km.example.cn" },
  // services: one per 小类 of the catalogue (the standard 部件/事件 classes, with their attributes)
  catalogue: CaseCategory.Standard,
  // routing: lat/long → grid → community (社区自循环 owns the case first); no extra routing rules here
  routing: { hierarchy: district, rules: [], grids, gridIndex: PointLocation.make(grids) },
  discovery: { contact: "盘龙区城市运行管理中心 12345", type: "test" }
}

// api_key → client, in memory (kept as SHA-256 hashes). `SqlApiKeys` of @civicgrid/sql keeps them in SQL,
// hashed with the server's token secret (see access-and-privacy.md).
export const layerApiKeys = Open311.layerApiKeysMemory([
  ["fms-key-2025", { id: "fms", name: "FixMyStreet 盘龙" }]
])

// What a report runs through (`CaseService.report`, the same use case as the REST API): the case store
// (expected_datetime is the current step's deadline, so give it time limits), the hierarchy (saved
// once), and the case settings, which route a lat/long with the same grids.
export const layerStore = Layer.mergeAll(
  CaseRepository.layerMemory({
    units: rows,
    timeLimits: { policy: TimeLimit.defaultPolicy, calendar: WorkingCalendar.china() }
  }),
  CaseService.layerSettings({ grids: Effect.succeed({ grids, gridIndex: PointLocation.make(grids) }) }),
  // the departments cases are dispatched to (Open311 publishes them by name)
  DepartmentRepository.layerMemory,
  Layer.effectDiscard(
    Effect.orDie(
      Effect.flatMap(HierarchyRepository.HierarchyRepository, (h) => h.save(LevelScheme.FiveLevel, rows))
    )
  )
).pipe(Layer.provideMerge(HierarchyRepository.layerMemory))

// Open311 is an `HttpRouter` mounted at /open311/v2 next to an HttpApi's routes. Here the HttpApi is
// empty and the whole thing becomes a web handler, `(Request) => Promise<Response>`, which any
// fetch-style runtime can serve. In a civicgrid server, provide `Open311.layer(config)` to
// `Server.layer()` instead (packages/demo/src/App.ts does).
export const makeWebHandler = () =>
  HttpApiBuilder.toWebHandler(
    Layer.mergeAll(
      Open311.layer(config),
      HttpApiBuilder.api(HttpApi.make("open311")),
      HttpServer.layerContext
    ).pipe(Layer.provide(layerApiKeys), Layer.provideMerge(layerStore))
  )
