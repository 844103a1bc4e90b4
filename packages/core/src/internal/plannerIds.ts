/**
 * Identifiers shared by the three lists (问题清单, 资源清单, 任务清单) that would
 * otherwise make the public modules import each other in a cycle: a problem
 * links to the task that plans it, and a task names its problem. `TaskId` is
 * re-exported (and documented) by `TaskList`, `CapabilityTag` by
 * `ResourceList`; `ProblemList` imports both from here / from `ResourceList`.
 *
 * Internal: not exported from the barrel.
 */
import * as Schema from "effect/Schema"
import * as Text from "../Text.js"

/** 任务标识 — the identifier of a task on the task list. */
export const TaskId = Text.Id.pipe(
  Schema.brand("TaskId"),
  Schema.annotations({ identifier: "TaskId", title: "任务标识 task id" })
)

/** 任务标识 — the identifier of a task on the task list. */
export type TaskId = typeof TaskId.Type

/**
 * 能力标签 — a capability tag: what a resource can do and what a problem needs
 * (`"维修"`, `"助老"`, `"场地"`, `"法律咨询"` …). Tags are compared exactly.
 */
export const CapabilityTag = Text.line(Text.limits.tag).pipe(
  Schema.brand("CapabilityTag"),
  Schema.annotations({ identifier: "CapabilityTag", title: "能力标签 capability tag" })
)

/** 能力标签 — a capability tag. */
export type CapabilityTag = typeof CapabilityTag.Type

/** Dedupes and sorts tags (code-unit order), so equal sets compare equal. */
export const normalizeTags = (tags: ReadonlyArray<string>): ReadonlyArray<CapabilityTag> =>
  [...new Set(tags.map((t) => t.trim()).filter((t) => t.length > 0))]
    .sort()
    .map((t) => CapabilityTag.make(t, { disableValidation: true }))

/** Code-unit string order (not locale order), for deterministic sorting by id. */
export const compareStrings = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0)
