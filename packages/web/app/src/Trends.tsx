/**
 * 月度趋势 — 受理办结率, 按期结案率, 返工率 and 满意率 of the principal's unit month by month, from one call
 * of `GET /metrics/indicators?period=month` (every month with data): the 12 months up to the latest month
 * with data (this month when nothing is recorded), a line per indicator and, for each month, the rate with
 * its numerator and denominator on hover (the names from the core's definitions).
 */
import * as Indicator from "@civicgrid/core/Indicator"
import * as Ratio from "@civicgrid/core/Ratio"
import type { MetricsResult } from "@civicgrid/http/Api"
import * as Option from "effect/Option"
import { call, type Outcome } from "./api.js"
import { lang, t } from "./i18n.js"
import { usePaintMark } from "./paint.js"
import type { Session } from "./session.js"

/** The indicators shown, in order. */
export const trendIndicators: ReadonlyArray<Indicator.IndicatorId> = [
  "acceptance-closure",
  "on-time-closure",
  "rework",
  "satisfaction"
]

/** The label `YYYY-MM` of this month, in China's time (+08:00). */
export const thisMonth = (now: number): string => {
  const d = new Date(now + 8 * 3_600_000)
  return `${d.getUTCFullYear()}-${String(d.getUTCMonth() + 1).padStart(2, "0")}`
}

/** The labels of the `count` months ending with the month `end` (`YYYY-MM`), oldest first. */
export const monthsUntil = (end: string, count: number): ReadonlyArray<string> => {
  const last = Number(end.slice(0, 4)) * 12 + Number(end.slice(5, 7)) - 1
  return Array.from({ length: count }, (_, k) => {
    const index = last - (count - 1 - k)
    return `${Math.floor(index / 12)}-${String((index % 12) + 1).padStart(2, "0")}`
  })
}

/** The short name of a count (`办结数 — …` → `办结数`). */
const shortName = (text: string): string => text.split(" — ")[0] ?? text

/** What the hover says about one month of one indicator: the rate, numerator / denominator and what they count. */
export const hoverText = (id: Indicator.IndicatorId, period: string, ratio: Ratio.Ratio): string => {
  const def = Indicator.definitionOf(id)
  const name = lang() === "zh" ? def.name : def.nameEn
  const rate = Ratio.format(ratio, { noData: t("无数据", "no data") })
  return `${name} ${period}: ${rate} — ${ratio.numerator} / ${ratio.denominator} (${shortName(def.numerator)} ÷ ${shortName(def.denominator)})`
}

const width = 132
const height = 28

/** A line of the rates (gaps where there is no data), scaled to the highest rate shown (at least 100%). */
const Sparkline = ({ ratios }: { readonly ratios: ReadonlyArray<Ratio.Ratio> }) => {
  const rates = ratios.map((r) => Option.getOrNull(Ratio.rate(r)))
  const top = Math.max(1, ...rates.map((r) => r ?? 0))
  const step = ratios.length > 1 ? width / (ratios.length - 1) : 0
  const segments: Array<Array<string>> = [[]]
  rates.forEach((r, i) => {
    if (r === null) segments.push([])
    else
      segments[segments.length - 1]?.push(
        `${(i * step).toFixed(1)},${(height - (r / top) * height).toFixed(1)}`
      )
  })
  return (
    <svg
      class="spark"
      width={width}
      height={height}
      viewBox={`0 -2 ${width} ${height + 4}`}
      aria-hidden="true"
    >
      {segments
        .filter((s) => s.length > 0)
        .map((s) =>
          s.length === 1 ? (
            <circle key={s[0]} cx={s[0]?.split(",")[0]} cy={s[0]?.split(",")[1]} r="1.8" />
          ) : (
            <polyline key={s.join(" ")} points={s.join(" ")} />
          )
        )}
    </svg>
  )
}

/** The months with data (`GET /metrics/indicators?period=month`) of the principal's unit. */
export const loadMonthly = (session: Session): Promise<Outcome<MetricsResult>> =>
  call(session.token, (c) => c.metrics.indicators({ urlParams: { period: "month" } }))

/** The latest month with data, or this month when none. */
export const latestMonth = (result: Outcome<MetricsResult> | null): string => {
  const periods = result?.ok === true ? result.value.periods : []
  return periods[periods.length - 1]?.label ?? thisMonth(Date.now())
}

/**
 * The latest month with accepted cases (受理数 > 0: what a scorecard ranks), else `latestMonth` — a month
 * holding only late closures of earlier cases makes a scorecard of near-empty samples.
 */
export const latestAcceptedMonth = (result: Outcome<MetricsResult> | null): string => {
  const periods = result?.ok === true ? result.value.periods : []
  const found = [...periods].reverse().find((p) => (p.indicators["acceptance-closure"]?.denominator ?? 0) > 0)
  return found?.label ?? latestMonth(result)
}

export const Trends = ({ result }: { readonly result: Outcome<MetricsResult> | null }) => {
  usePaintMark("civicgrid:trends", result !== null)
  const periods = result?.ok === true ? result.value.periods : []
  const byLabel = new Map(periods.map((p) => [p.label, p.indicators]))
  const months = monthsUntil(latestMonth(result), 12)
  return (
    <section class="card" data-testid="trends">
      <h2>
        {t("月度趋势", "Monthly trends")}{" "}
        <small data-testid="trends-range">
          {months[0]} … {months[months.length - 1]}
        </small>
      </h2>
      {result === null ? (
        <p>{t("加载中…", "Loading…")}</p>
      ) : !result.ok ? (
        <p class="error">{result.error.message}</p>
      ) : (
        <div class="scroll">
          <table class="grid trends">
            <thead>
              <tr>
                <th>{t("指标", "Indicator")}</th>
                <th />
                {months.map((m) => (
                  <th key={m}>{m.slice(2)}</th>
                ))}
              </tr>
            </thead>
            <tbody>
              {trendIndicators.map((id) => {
                const def = Indicator.definitionOf(id)
                const ratios = months.map((m) => byLabel.get(m)?.[id] ?? Ratio.empty)
                return (
                  <tr key={id} data-testid={`trend-${id}`}>
                    <th>{lang() === "zh" ? def.name : def.nameEn}</th>
                    <td>
                      <Sparkline ratios={ratios} />
                    </td>
                    {months.map((m, i) => {
                      const ratio = ratios[i] ?? Ratio.empty
                      return (
                        <td
                          key={m}
                          data-testid={`trend-${id}-${m}`}
                          title={hoverText(id, m, ratio)}
                          class={Ratio.isNoData(ratio) ? "nodata" : ""}
                        >
                          {Ratio.isNoData(ratio) ? "—" : Ratio.format(ratio, { digits: 0 })}
                        </td>
                      )
                    })}
                  </tr>
                )
              })}
            </tbody>
          </table>
        </div>
      )}
    </section>
  )
}
