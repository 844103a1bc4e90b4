/**
 * The count columns of the indicator tables (migration 0006) and their
 * mapping to the core's count columns (`Indicator.countColumns`).
 *
 * The core keeps 39 counts per observation; several are equal by
 * construction (结案率 and 按期结案率 share 应结案数, the three handling rates
 * share 应处置数, the five tier shares share the first closures) or, with
 * every source counted as hotline, derived (应响应 = 应立案, 已响应 = 按时立案,
 * 未解决 = 重办, 已解决 = 有效回访 − 重办, 不满意 = 有效回访 − 满意 − 基本满意).
 * The tables keep the 25 independent counts plus the two conditional
 * numerators; `toStored` checks the equalities (a broken one is a defect),
 * `toCore` rebuilds the core's counts with the hotline counts of the chosen
 * sources.
 */
import * as Indicator from "@civicgrid/core/Indicator"

/** The stored count columns, in table order. */
export const valueColumns = [
  "ac_n",
  "ac_d",
  "cl_n",
  "cl_d",
  "otc_n",
  "h_n",
  "h_d",
  "oth_n",
  "rw_n",
  "dp_n",
  "dp_d",
  "otf_n",
  "otf_d",
  "fa_n",
  "fa_d",
  "ro_n",
  "ro_d",
  "fc_self",
  "fc_local",
  "fc_comm",
  "fc_street",
  "fc_dist",
  "fc_d",
  "ev_sat",
  "ev_basic",
  /** 结案率 numerator of a closure settled at a missed deadline: counted when closed within that period. */
  "cl_cond",
  /** 处置率 numerator of a late handling run: counted when handled within the period of its deadline. */
  "h_cond"
] as const

export type ValueColumn = (typeof valueColumns)[number]

/** Number of stored count columns. */
export const VALUES = valueColumns.length

/** Index of a stored column. */
export const V: Readonly<Record<ValueColumn, number>> = Object.fromEntries(
  valueColumns.map((c, i) => [c, i])
) as Record<ValueColumn, number>

/** The hotline-dependent stored columns: summed separately over the hotline sources. */
export const hotlineColumns = ["otf_n", "otf_d", "ro_n", "ro_d", "ev_sat", "ev_basic"] as const

/** A core count column's index (−1 if the core had none: `missingCoreColumns` lists them, the tests check it is empty). */
const core = (name: string): number => Indicator.countColumns.indexOf(name)

const C = {
  acN: core("acceptance-closure.numerator"),
  acD: core("acceptance-closure.denominator"),
  clN: core("closure.numerator"),
  clD: core("closure.denominator"),
  otcN: core("on-time-closure.numerator"),
  otcD: core("on-time-closure.denominator"),
  hN: core("handling.numerator"),
  hD: core("handling.denominator"),
  othN: core("on-time-handling.numerator"),
  othD: core("on-time-handling.denominator"),
  rwN: core("rework.numerator"),
  rwD: core("rework.denominator"),
  dpN: core("dispatch-accuracy.numerator"),
  dpD: core("dispatch-accuracy.denominator"),
  otfN: core("on-time-filing.numerator"),
  otfD: core("on-time-filing.denominator"),
  faN: core("filing-accuracy.numerator"),
  faD: core("filing-accuracy.denominator"),
  roN: core("reopen.numerator"),
  roD: core("reopen.denominator"),
  selfN: core("self-handled.numerator"),
  selfD: core("self-handled.denominator"),
  localN: core("closed-locally.numerator"),
  localD: core("closed-locally.denominator"),
  commN: core("closed-at-community.numerator"),
  commD: core("closed-at-community.denominator"),
  streetN: core("closed-at-street.numerator"),
  streetD: core("closed-at-street.denominator"),
  distN: core("closed-at-district.numerator"),
  distD: core("closed-at-district.denominator"),
  due: core("hotline.due"),
  responded: core("hotline.responded"),
  resolved: core("hotline.resolved"),
  unresolved: core("hotline.unresolved"),
  satisfied: core("hotline.satisfied"),
  basic: core("hotline.basicallySatisfied"),
  dissatisfied: core("hotline.dissatisfied")
}

/** The core count columns this mapping names that the core does not have (none, unless the core changed). */
export const missingCoreColumns = (): ReadonlyArray<string> =>
  Object.entries(C)
    .filter(([, i]) => i < 0)
    .map(([name]) => name)

const at = (counts: ArrayLike<number>, i: number): number => counts[i] ?? 0

/**
 * The stored counts of a core contribution (counted with every source as
 * hotline), or the first equality it breaks.
 */
export const toStored = (counts: ArrayLike<number>): Int32Array | string => {
  const v = (i: number) => at(counts, i)
  const broken = (rule: string, a: number, b: number): string | undefined =>
    a === b ? undefined : `${rule}: ${a} ≠ ${b}`
  const problem =
    broken("应结案数 closure = on-time-closure denominators", v(C.clD), v(C.otcD)) ??
    broken("应处置数 handling = on-time-handling denominators", v(C.hD), v(C.othD)) ??
    broken("应处置数 handling = rework denominators", v(C.hD), v(C.rwD)) ??
    broken("first closures: self-handled = closed-locally denominators", v(C.selfD), v(C.localD)) ??
    broken("first closures: self-handled = closed-at-community denominators", v(C.selfD), v(C.commD)) ??
    broken("first closures: self-handled = closed-at-street denominators", v(C.selfD), v(C.streetD)) ??
    broken("first closures: self-handled = closed-at-district denominators", v(C.selfD), v(C.distD)) ??
    broken("应响应 = 应立案", v(C.due), v(C.otfD)) ??
    broken("已响应 = 按时立案", v(C.responded), v(C.otfN)) ??
    broken("未解决 = 重办", v(C.unresolved), v(C.roN)) ??
    broken("已解决 + 未解决 = 有效回访", v(C.resolved) + v(C.unresolved), v(C.roD)) ??
    broken("满意 + 基本满意 + 不满意 = 有效回访", v(C.satisfied) + v(C.basic) + v(C.dissatisfied), v(C.roD))
  if (problem !== undefined) return problem
  const out = new Int32Array(VALUES)
  out[V.ac_n] = v(C.acN)
  out[V.ac_d] = v(C.acD)
  out[V.cl_n] = v(C.clN)
  out[V.cl_d] = v(C.clD)
  out[V.otc_n] = v(C.otcN)
  out[V.h_n] = v(C.hN)
  out[V.h_d] = v(C.hD)
  out[V.oth_n] = v(C.othN)
  out[V.rw_n] = v(C.rwN)
  out[V.dp_n] = v(C.dpN)
  out[V.dp_d] = v(C.dpD)
  out[V.otf_n] = v(C.otfN)
  out[V.otf_d] = v(C.otfD)
  out[V.fa_n] = v(C.faN)
  out[V.fa_d] = v(C.faD)
  out[V.ro_n] = v(C.roN)
  out[V.ro_d] = v(C.roD)
  out[V.fc_self] = v(C.selfN)
  out[V.fc_local] = v(C.localN)
  out[V.fc_comm] = v(C.commN)
  out[V.fc_street] = v(C.streetN)
  out[V.fc_dist] = v(C.distN)
  out[V.fc_d] = v(C.selfD)
  out[V.ev_sat] = v(C.satisfied)
  out[V.ev_basic] = v(C.basic)
  return out
}

/** Summed stored counts of one period: all sources, and the hotline sources' hotline columns. */
export interface PeriodSums {
  /** Every stored column summed over all sources (conditional numerators already resolved into cl_n / h_n). */
  readonly all: Float64Array
  /** The hotline columns summed over the hotline sources (indexed like `all`). */
  readonly hotline: Float64Array
}

/** The core's counts (one per `Indicator.countColumns`) of a period's sums. */
export const toCore = (sums: PeriodSums): Float64Array => {
  const a = (c: ValueColumn) => sums.all[V[c]] ?? 0
  const h = (c: ValueColumn) => sums.hotline[V[c]] ?? 0
  const out = new Float64Array(Indicator.countColumns.length)
  out[C.acN] = a("ac_n")
  out[C.acD] = a("ac_d")
  out[C.clN] = a("cl_n")
  out[C.clD] = a("cl_d")
  out[C.otcN] = a("otc_n")
  out[C.otcD] = a("cl_d")
  out[C.hN] = a("h_n")
  out[C.hD] = a("h_d")
  out[C.othN] = a("oth_n")
  out[C.othD] = a("h_d")
  out[C.rwN] = a("rw_n")
  out[C.rwD] = a("h_d")
  out[C.dpN] = a("dp_n")
  out[C.dpD] = a("dp_d")
  out[C.otfN] = a("otf_n")
  out[C.otfD] = a("otf_d")
  out[C.faN] = a("fa_n")
  out[C.faD] = a("fa_d")
  out[C.roN] = a("ro_n")
  out[C.roD] = a("ro_d")
  out[C.selfN] = a("fc_self")
  out[C.localN] = a("fc_local")
  out[C.commN] = a("fc_comm")
  out[C.streetN] = a("fc_street")
  out[C.distN] = a("fc_dist")
  for (const d of [C.selfD, C.localD, C.commD, C.streetD, C.distD]) out[d] = a("fc_d")
  out[C.due] = h("otf_d")
  out[C.responded] = h("otf_n")
  out[C.unresolved] = h("ro_n")
  out[C.resolved] = h("ro_d") - h("ro_n")
  out[C.satisfied] = h("ev_sat")
  out[C.basic] = h("ev_basic")
  out[C.dissatisfied] = h("ro_d") - h("ev_sat") - h("ev_basic")
  return out
}
