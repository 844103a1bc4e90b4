/**
 * 一张图 — the grids of the principal's unit (their GeoJSON boundaries from the API) drawn with ECharts,
 * without map tiles, and the open cases with a position (`GET /map/cases`, one request) as points coloured by
 * their light. Loaded lazily: ECharts is in this chunk only.
 */

import { ScatterChart } from "echarts/charts"
import { GeoComponent, TooltipComponent } from "echarts/components"
import * as echarts from "echarts/core"
import { CanvasRenderer } from "echarts/renderers"
import { useEffect, useRef, useState } from "preact/hooks"
import { call } from "./api.js"
import { lightName, t } from "./i18n.js"
import type { Session } from "./session.js"

echarts.use([ScatterChart, GeoComponent, TooltipComponent, CanvasRenderer])

const colours: Record<string, string> = {
  green: "#2e7d32",
  yellow: "#f9a825",
  red: "#c62828",
  none: "#607d8b"
}

interface Point {
  readonly caseId: string
  readonly light: string
  readonly position: readonly [number, number]
}

export const MapView = ({ session }: { readonly session: Session }) => {
  const ref = useRef<HTMLDivElement>(null)
  const [state, setState] = useState<{ readonly grids: number; readonly points: number } | string | null>(
    null
  )
  useEffect(() => {
    const unitId = session.unitId
    if (unitId === null) return
    let chart: echarts.ECharts | undefined
    const load = async () => {
      const grids = await call(session.token, (c) => c.grids.within({ path: { unitId } }))
      if (!grids.ok) return setState(grids.error.message)
      const features = grids.value.flatMap((g) =>
        g.boundary === undefined
          ? []
          : [{ type: "Feature" as const, properties: { name: g.name }, geometry: g.boundary }]
      )
      // the open cases in scope with their light and position, in one request
      const found = await call(session.token, (c) => c.map.cases({ urlParams: {} }))
      const points: Array<Point> = []
      if (found.ok) {
        for (const item of found.value.items) {
          if (item.position !== null) {
            points.push({ caseId: item.caseId, light: item.light ?? "none", position: item.position })
          }
        }
      }
      if (ref.current === null) return
      echarts.registerMap("civicgrid-grids", { type: "FeatureCollection", features } as never)
      chart = echarts.init(ref.current)
      chart.setOption({
        tooltip: { trigger: "item" },
        geo: {
          map: "civicgrid-grids",
          roam: true,
          label: { show: true, fontSize: 10 },
          itemStyle: { areaColor: "#eef3f8", borderColor: "#5b7fa6" }
        },
        series: [
          {
            type: "scatter",
            coordinateSystem: "geo",
            symbolSize: 9,
            data: points.map((p) => ({
              name: `${p.caseId} ${lightName(p.light === "none" ? null : p.light)}`,
              value: [...p.position],
              itemStyle: { color: colours[p.light] ?? colours["none"] }
            }))
          }
        ]
      })
      setState({ grids: features.length, points: points.length })
    }
    void load()
    return () => chart?.dispose()
  }, [session.token, session.unitId])
  return (
    <div class="page" data-testid="map">
      <section class="card">
        <h2>{t("一张图", "Map")}</h2>
        {typeof state === "string" ? (
          <p class="error">{state}</p>
        ) : state === null ? (
          <p>{t("加载中…", "Loading…")}</p>
        ) : (
          <p data-testid="map-summary">
            {t(
              `网格 ${state.grids} 个，案件点位 ${state.points} 个`,
              `${state.grids} grids, ${state.points} case points`
            )}
          </p>
        )}
        <div ref={ref} class="map" />
      </section>
    </div>
  )
}
