/**
 * 处置环节 — the timed steps of a case's closed loop, each with its own time
 * limit (the Panlong district report's six steps; CJJ/T 106 / GB/T 30428.8's seven):
 *
 * - `filing` 立案 — from report to accept / reject (信息收集 → 案卷建立)
 * - `dispatch` 派遣 — from accept to dispatch (任务派遣)
 * - `handling` 处置 — from dispatch (or rework) to the handler's feedback (任务处理 → 处理反馈)
 * - `verification` 核查 — from feedback to the on-site verification (核查结案)
 * - `evaluation` 回访 — from close to the return-visit evaluation (综合评价)
 *
 * @since 0.1.0
 */
import * as Schema from "effect/Schema"

/**
 * 处置环节 — a timed step of the case loop.
 *
 * @since 0.1.0
 * @category schemas
 */
export const CaseStep = Schema.Literal(
  "filing",
  "dispatch",
  "handling",
  "verification",
  "evaluation"
).annotations({
  identifier: "CaseStep",
  title: "处置环节 case step",
  description: "filing 立案 | dispatch 派遣 | handling 处置 | verification 核查 | evaluation 回访"
})

/**
 * @since 0.1.0
 * @category models
 */
export type CaseStep = typeof CaseStep.Type

/**
 * The steps in loop order.
 *
 * @since 0.1.0
 * @category constants
 */
export const all: ReadonlyArray<CaseStep> = ["filing", "dispatch", "handling", "verification", "evaluation"]

/**
 * Chinese names of the steps.
 *
 * @since 0.1.0
 * @category constants
 */
export const names: Readonly<Record<CaseStep, string>> = {
  filing: "立案",
  dispatch: "派遣",
  handling: "处置",
  verification: "核查",
  evaluation: "回访"
}
