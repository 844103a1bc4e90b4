/**
 * 一张图 — the grids of the principal's unit (their GeoJSON boundaries from the API) drawn with ECharts,
 * without map tiles, shaded by the open cases (or the red lights) in each grid, and the open cases with a
 * position (`GET /map/cases`, one request) as points coloured by their light; a click on a point opens the
 * case. Which grid a point lies in is the core's point location (`PointLocation`, the rule that routes a
 * report by its position). Loaded lazily: ECharts is in this chunk only.
 *
 * The chart draws without its entry animation: the points are there as soon as the map is (an animated
 * entry left them at zero size for a second — on a screenshot, or on a wall display that redraws). Once
 * drawn, the map element carries the pixel of every point (`data-points`) and the count of each grid
 * (`data-grid-counts`) for automation.
 */

import { polygonsOf } from "@civicgrid/core/GeoJson"
import type { Grid } from "@civicgrid/core/Grid"
import * as PointLocation from "@civicgrid/core/PointLocation"
import { ScatterChart, type ScatterSeriesOption } from "echarts/charts"
import {
  GeoComponent,
  type GeoComponentOption,
  TooltipComponent,
  type TooltipComponentOption
} from "echarts/components"
import * as echarts from "echarts/core"
import { CanvasRenderer } from "echarts/renderers"
import * as Either from "effect/Either"
import * as Option from "effect/Option"
import { useEffect, useMemo, useRef, useState } from "preact/hooks"
import { call } from "./api.js"
import { lightName, t } from "./i18n.js"
import { navigate } from "./route.js"
import type { Session } from "./session.js"

echarts.use([ScatterChart, GeoComponent, TooltipComponent, CanvasRenderer])

type MapOption = echarts.ComposeOption<GeoComponentOption | ScatterSeriesOption | TooltipComponentOption>

/** The colour of a point by its light. */
const pointColours: Record<string, string> = {
  green: "#2e7d32",
  yellow: "#f9a825",
  red: "#c62828",
  none: "#607d8b"
}

/** 着色依据 — what shades a grid: its open cases, or its red lights. */
type Shading = "open" | "red"

/** The classes of a grid's count, with the fill of each (light to dark) per shading. */
const bins: ReadonlyArray<{ readonly min: number; readonly max: number }> = [
  { min: 0, max: 0 },
  { min: 1, max: 1 },
  { min: 2, max: 4 },
  { min: 5, max: 9 },
  { min: 10, max: Number.POSITIVE_INFINITY }
]
const fills: Record<Shading, ReadonlyArray<string>> = {
  open: ["#eef3f8", "#c6dbef", "#6baed6", "#2171b5", "#08306b"],
  red: ["#eef3f8", "#fcbba1", "#fb6a4a", "#cb181d", "#67000d"]
}

const binOf = (count: number): number => {
  const found = bins.findIndex((b) => count >= b.min && count <= b.max)
  return found < 0 ? 0 : found
}

/** The fill of a class of counts. */
const fillOf = (shading: Shading, bin: number): string => fills[shading][bin] ?? "#eef3f8"

/** The colour of a point. */
const colourOf = (light: string): string => pointColours[light] ?? "#607d8b"

const binLabel = (b: { readonly min: number; readonly max: number }): string =>
  b.min === b.max ? `${b.min}` : b.max === Number.POSITIVE_INFINITY ? `≥ ${b.min}` : `${b.min}–${b.max}`

interface Point {
  readonly caseId: string
  readonly light: string
  readonly position: readonly [number, number]
  /** 所在网格 — the grid the position lies in (the core's locate order), if any. */
  readonly gridId: string | null
}

interface Loaded {
  readonly grids: ReadonlyArray<Grid>
  readonly points: ReadonlyArray<Point>
  /** More open cases are in scope than `GET /map/cases` answered (its limit): the counts are partial. */
  readonly truncated: boolean
}

/** The case count of every grid with a boundary: its open cases, or those with a red light. */
const countsOf = (loaded: Loaded, shading: Shading): Record<string, number> => {
  const counts: Record<string, number> = {}
  for (const g of loaded.grids) if (g.boundary !== undefined) counts[g.id] = 0
  for (const p of loaded.points) {
    if (p.gridId === null || counts[p.gridId] === undefined) continue
    if (shading === "red" && p.light !== "red") continue
    counts[p.gridId] = (counts[p.gridId] ?? 0) + 1
  }
  return counts
}

export const MapView = ({ session }: { readonly session: Session }) => {
  const ref = useRef<HTMLDivElement>(null)
  const chartRef = useRef<echarts.ECharts | undefined>(undefined)
  const [loaded, setLoaded] = useState<Loaded | string | null>(null)
  const [shading, setShading] = useState<Shading>("open")
  /** The shading of the chart's current option. */
  const shadingRef = useRef<Shading>(shading)
  /** What the chart last finished drawing: the shading, and the pixel of every point (JSON). */
  const [drawn, setDrawn] = useState<{ readonly shading: Shading; readonly points: string } | undefined>(
    undefined
  )

  useEffect(() => {
    const unitId = session.unitId
    if (unitId === null) return
    let live = true
    const load = async () => {
      const grids = await call(session.token, (c) => c.grids.within({ path: { unitId } }))
      if (!grids.ok) return live && setLoaded(grids.error.message)
      // the open cases in scope with their light and position, in one request
      const found = await call(session.token, (c) => c.map.cases({ urlParams: {} }))
      if (!found.ok) return live && setLoaded(found.error.message)
      const index = PointLocation.make(grids.value)
      const points: Array<Point> = []
      for (const item of found.value.items) {
        if (item.position === null) continue
        const grid = PointLocation.locate(index, item.position).pipe(
          Either.map(Option.map((g) => g.id)),
          Either.getOrElse(() => Option.none<string>()),
          Option.getOrNull
        )
        points.push({
          caseId: item.caseId,
          light: item.light ?? "none",
          position: item.position,
          gridId: grid
        })
      }
      if (live) setLoaded({ grids: grids.value, points, truncated: found.value.truncated })
    }
    void load()
    return () => {
      live = false
    }
  }, [session.token, session.unitId])

  const counts = useMemo(
    () => (typeof loaded === "object" && loaded !== null ? countsOf(loaded, shading) : {}),
    [loaded, shading]
  )

  // the chart, once the data is there: the grids as a map of their own, the points on it
  useEffect(() => {
    const element = ref.current
    if (element === null || typeof loaded !== "object" || loaded === null) return
    echarts.registerMap("civicgrid-grids", {
      type: "FeatureCollection",
      features: loaded.grids.flatMap((g) =>
        g.boundary === undefined
          ? []
          : [
              {
                type: "Feature" as const,
                // regions are keyed by name: the grid's id (names repeat across communities)
                properties: { name: g.id },
                geometry: {
                  type: "MultiPolygon" as const,
                  coordinates: polygonsOf(g.boundary).map((polygon) =>
                    polygon.map((ring) => ring.map((p) => [p[0], p[1]]))
                  )
                }
              }
            ]
      )
    })
    const chart = echarts.init(element)
    chartRef.current = chart
    chart.on("click", (event) => {
      const point = event.componentType === "series" ? loaded.points[event.dataIndex] : undefined
      if (point !== undefined) navigate({ page: "case", caseId: point.caseId })
    })
    chart.on("finished", () => {
      const placed = loaded.points.map((p) => {
        const pixel = chart.convertToPixel({ geoIndex: 0 }, [p.position[0], p.position[1]])
        const [x, y] = Array.isArray(pixel) ? pixel : [Number.NaN, Number.NaN]
        return {
          caseId: p.caseId,
          light: p.light,
          x: Math.round(x ?? Number.NaN),
          y: Math.round(y ?? Number.NaN)
        }
      })
      const points = JSON.stringify(placed)
      const drawnShading = shadingRef.current
      setDrawn((before) =>
        before?.shading === drawnShading && before.points === points
          ? before
          : { shading: drawnShading, points }
      )
    })
    const resize = () => chart.resize()
    window.addEventListener("resize", resize)
    return () => {
      window.removeEventListener("resize", resize)
      chartRef.current = undefined
      chart.dispose()
    }
  }, [loaded])

  useEffect(() => {
    const chart = chartRef.current
    if (chart === undefined || typeof loaded !== "object" || loaded === null) return
    const names = new Map<string, string>(loaded.grids.map((g) => [g.id, g.name]))
    const option: MapOption = {
      animation: false,
      tooltip: { trigger: "item" },
      geo: {
        map: "civicgrid-grids",
        roam: true,
        label: { show: true, fontSize: 10, formatter: (p) => names.get(p.name) ?? p.name },
        itemStyle: { areaColor: fillOf(shading, 0), borderColor: "#5b7fa6" },
        emphasis: { label: { show: true }, itemStyle: { areaColor: "#ffe082" } },
        tooltip: {
          show: true,
          formatter: (p) => {
            const name = Array.isArray(p) ? "" : p.name
            const count = counts[name] ?? 0
            const label = names.get(name) ?? name
            return shading === "open"
              ? t(`${label}：在办案件 ${count} 件`, `${label}: ${count} open cases`)
              : t(`${label}：红灯案件 ${count} 件`, `${label}: ${count} red-light cases`)
          }
        },
        regions: Object.entries(counts).map(([gridId, count]) => {
          const bin = binOf(count)
          return {
            name: gridId,
            itemStyle: { areaColor: fillOf(shading, bin) },
            label: { color: bin >= 3 ? "#ffffff" : "#37474f" }
          }
        })
      },
      series: [
        {
          type: "scatter",
          coordinateSystem: "geo",
          symbolSize: 10,
          cursor: "pointer",
          itemStyle: { opacity: 1, borderColor: "#ffffff", borderWidth: 1.5 },
          tooltip: {
            formatter: (p) => {
              const point = Array.isArray(p) ? undefined : loaded.points[p.dataIndex]
              return point === undefined
                ? ""
                : `${point.caseId} ${lightName(point.light === "none" ? null : point.light)}`
            }
          },
          data: loaded.points.map((p) => ({
            value: [p.position[0], p.position[1]],
            itemStyle: { color: colourOf(p.light) }
          }))
        }
      ]
    }
    shadingRef.current = shading
    chart.setOption(option)
  }, [loaded, counts, shading])

  const summary =
    typeof loaded === "object" && loaded !== null
      ? {
          grids: loaded.grids.filter((g) => g.boundary !== undefined).length,
          points: loaded.points.length,
          outside: loaded.points.filter((p) => p.gridId === null).length,
          truncated: loaded.truncated
        }
      : undefined
  return (
    <div class="page" data-testid="map">
      <section class="card">
        <h2>{t("一张图", "Map")}</h2>
        {typeof loaded === "string" ? (
          <p class="error">{loaded}</p>
        ) : summary === undefined ? (
          <p>{t("加载中…", "Loading…")}</p>
        ) : (
          <>
            <p data-testid="map-summary">
              {t(
                `网格 ${summary.grids} 个，案件点位 ${summary.points} 个`,
                `${summary.grids} grids, ${summary.points} case points`
              )}
            </p>
            {summary.outside > 0 && (
              <p class="note" data-testid="map-outside">
                {t(`${summary.outside} 个点位不在任何网格内`, `${summary.outside} points lie in no grid`)}
              </p>
            )}
            {summary.truncated && (
              <p class="note" data-testid="map-truncated">
                {t(
                  "在办案件多于一次可取的数量：只显示最新上报的部分，网格计数不全",
                  "More open cases than one request returns: only the newest are shown, grid counts are partial"
                )}
              </p>
            )}
            <div class="map-controls">
              <span>{t("网格着色：", "Shade grids by: ")}</span>
              {(["open", "red"] as const).map((s) => (
                <button
                  type="button"
                  key={s}
                  class={s === shading ? "chip active" : "chip"}
                  aria-pressed={s === shading}
                  data-testid={`shade-${s}`}
                  onClick={() => setShading(s)}
                >
                  {s === "open" ? t("在办案件", "open cases") : t("红灯案件", "red lights")}
                </button>
              ))}
            </div>
            <ul class="legend" data-testid="map-legend">
              {bins.map((b, i) => (
                <li key={binLabel(b)} data-testid="legend-bin" data-min={b.min} data-max={b.max}>
                  <span
                    class="swatch"
                    style={{ background: fillOf(shading, i) }}
                    data-colour={fillOf(shading, i)}
                  />
                  {binLabel(b)}
                </li>
              ))}
              {(["green", "yellow", "red", "none"] as const).map((light) => (
                <li key={light} data-testid="legend-light" data-light={light}>
                  <span class="dot" style={{ background: colourOf(light) }} data-colour={colourOf(light)} />
                  {lightName(light === "none" ? null : light)}
                </li>
              ))}
            </ul>
          </>
        )}
        <div
          ref={ref}
          class="map"
          data-shading={shading}
          data-grid-counts={summary === undefined ? undefined : JSON.stringify(counts)}
          data-drawn={drawn?.shading}
          data-points={drawn?.points}
        />
      </section>
    </div>
  )
}
