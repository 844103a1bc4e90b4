/**
 * One case's contributions to the indicator counts, judged at one `asOf`:
 * the engine of `Indicator.compute` fed a single case, with an accumulator
 * that records each observation by the instant that places it in a period
 * (instead of adding it to a period's slot), and records the two numerators
 * that depend on the period (结案率's for a closure settled at a missed
 * deadline, 处置率's for a late handling run, per case and per round) as conditions — so a store can
 * sum the counts elsewhere (in SQL) and get exactly `compute`'s figures.
 *
 * @since 0.1.0
 */
import * as DateTime from "effect/DateTime"
import type { CaseEvent } from "../CaseEvent.js"
import type { CaseStep } from "../CaseStep.js"
import type { CaseFacts, IndicatorId } from "../Indicator.js"
import * as Period from "../Period.js"
import type * as TimeLimit from "../TimeLimit.js"
import type { WorkingCalendar } from "../WorkingCalendar.js"
import {
  Accumulator,
  COLUMNS,
  type Conditional,
  Engine,
  type Settings,
  type Slot
} from "./indicatorEngine.js"
import { Judge } from "./indicatorJudge.js"
import * as Summary from "./indicatorSummary.js"

/** Counts placed at one instant. */
export interface Recorded {
  readonly at: number
  readonly counts: Float64Array
}

/** A numerator counted only when `instant` lies before the end of the period holding `at`. */
export interface Condition {
  readonly at: number
  readonly numerator: Conditional
  readonly instant: number
}

const placeholder: Period.Period = Period.periodOf(DateTime.unsafeMake(0), "day", { utcOffsetMinutes: 0 })

/** An accumulator keyed by the exact instant; the period tests become recorded conditions. */
class Recorder extends Accumulator {
  private readonly byInstant = new Map<number, Slot>()
  readonly conditions: Array<Condition> = []

  constructor() {
    super(1, "day", 0)
  }

  override slotOf(ms: number): Slot {
    let slot = this.byInstant.get(ms)
    if (slot === undefined) {
      slot = { period: placeholder, label: "", start: ms, end: ms, counts: new Float64Array(COLUMNS) }
      this.byInstant.set(ms, slot)
    }
    return slot
  }

  override before(slot: Slot, instant: number, numerator: Conditional): boolean {
    this.conditions.push({ at: slot.start, numerator, instant })
    return false
  }

  recorded(): Array<Recorded> {
    return [...this.byInstant.values()]
      .map((slot) => ({ at: slot.start, counts: slot.counts }))
      .sort((a, b) => a.at - b.at)
  }

  clear(): void {
    this.byInstant.clear()
    this.conditions.length = 0
  }
}

/** What a case contributes at one `asOf`. */
export interface Contributions {
  readonly facts: CaseFacts
  readonly recorded: ReadonlyArray<Recorded>
  readonly conditions: ReadonlyArray<Condition>
  readonly unjudged:
    | {
        readonly step: CaseStep
        readonly reason: TimeLimit.TimeLimitError
        readonly indicators: ReadonlyArray<IndicatorId>
      }
    | undefined
  readonly pending: ReadonlyArray<{ readonly run: number; readonly deadline: number }>
}

/** Judges single cases at any `asOf`, reusing the looked-up limits. */
export class Contributor {
  private readonly recorder = new Recorder()
  private readonly judge: Judge
  private readonly engine: Engine

  constructor(
    timeLimits: TimeLimit.TimeLimitPolicy,
    calendar: WorkingCalendar,
    settings: Omit<Settings, "asOf">,
    isLocal: (handlerUnitId: string, communityId: string) => boolean,
    private readonly order: ReadonlyArray<IndicatorId>
  ) {
    this.judge = new Judge(timeLimits, calendar, 0)
    this.engine = new Engine({ ...settings, asOf: 0 }, this.judge, this.recorder, isLocal)
  }

  /** The contributions of one case's ordered history (see `Summary.order`) at `asOf`; undefined before its report. */
  at(ordered: ReadonlyArray<CaseEvent>, asOf: number): Contributions | undefined {
    const facts = Summary.summarize(ordered, asOf)
    if (facts === undefined) return undefined
    this.recorder.clear()
    this.engine.failures.length = 0
    this.judge.setAsOf(asOf)
    this.engine.add(facts, 0)
    const [first, ...rest] = this.engine.failures
    let unjudged: Contributions["unjudged"]
    if (first !== undefined) {
      const ids = new Set<IndicatorId>(first.indicators)
      for (const failure of rest) for (const id of failure.indicators) ids.add(id)
      unjudged = {
        step: first.step,
        reason: first.error,
        indicators: this.order.filter((id) => ids.has(id))
      }
    }
    return {
      facts,
      recorded: this.recorder.recorded(),
      conditions: [...this.recorder.conditions],
      unjudged,
      pending: this.engine.pending(facts)
    }
  }
}
