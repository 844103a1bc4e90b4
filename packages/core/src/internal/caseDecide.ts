/**
 * The case decider's checks and event construction. Returns plain data —
 * every violation found, or the events — and `Case.decide` wraps a refusal
 * into a `CaseRefused`.
 *
 * @since 0.1.0
 */
import { type Actor, describe, roleNames, staffRole } from "../Actor.js"
import type {
  Authority,
  Case,
  CommandTag,
  Contact,
  DispatchTarget,
  ExtensionAmount,
  Location,
  RefusalRule,
  State,
  Violation
} from "../Case.js"
import type * as Cmd from "../CaseCommand.js"
import type * as Ev from "../CaseEvent.js"
import type { Tier } from "../Tier.js"
import type { UnitId } from "../Unit.js"
import {
  authorities,
  commandNames,
  internalCommentRoles,
  lookup,
  maxExtensionAmount,
  reportSources,
  statusNames
} from "./caseRules.js"

/** The outcome of `decide`, before it becomes an `Either`. */
export type Decision =
  | { readonly _tag: "Decided"; readonly events: ReadonlyArray<Ev.CaseEvent> }
  | { readonly _tag: "Refused"; readonly violations: readonly [Violation, ...Array<Violation>] }

const violation = (rule: RefusalRule, message: string): Violation => ({ rule, message })

/** A text with its blanks trimmed, or undefined when missing or blank. */
const text = (s: string | undefined): string | undefined => {
  if (s === undefined) return undefined
  const t = s.trim()
  return t.length === 0 ? undefined : t
}

const verb = (tag: CommandTag): string => `${commandNames[tag].en} (${commandNames[tag].zh})`

// -----------------------------------------------------------------------------
// authority
// -----------------------------------------------------------------------------

interface AuthorityContext {
  readonly tier: Tier
  readonly ownerUnitId: UnitId
  readonly communityId: UnitId
  readonly target: DispatchTarget | null
}

type AuthorityCheck = "ok" | "role" | "jurisdiction" | "handler"

const unitHandlerRoles: ReadonlySet<Actor["role"]> = new Set([
  "grid-worker",
  "community-staff",
  "street-staff",
  "district-staff",
  "department"
])

const checkAuthority = (authority: Authority, actor: Actor, ctx: AuthorityContext): AuthorityCheck => {
  switch (authority) {
    case "reporter":
      return actor.role === "system" ? "role" : "ok"
    case "community-grid-worker":
      if (actor.role !== "grid-worker") return "role"
      return actor.unitId === ctx.communityId ? "ok" : "jurisdiction"
    case "owning-tier-staff":
      if (actor.role !== staffRole[ctx.tier]) return "role"
      return actor.unitId === ctx.ownerUnitId ? "ok" : "jurisdiction"
    case "community-staff":
      if (actor.role !== "community-staff") return "role"
      return actor.unitId === ctx.communityId ? "ok" : "jurisdiction"
    case "system":
      return actor.role === "system" ? "ok" : "role"
    case "hotline":
      return actor.role === "hotline" ? "ok" : "role"
    case "anyone":
      return "ok"
    case "supervisor":
      return actor.role === "street-staff" || actor.role === "district-staff" ? "ok" : "role"
    case "handler": {
      const target = ctx.target
      if (target === null) return unitHandlerRoles.has(actor.role) ? "handler" : "role"
      if (target._tag === "Department") {
        if (actor.role !== "department") return "role"
        return actor.departmentId === target.departmentId ? "ok" : "handler"
      }
      if (!unitHandlerRoles.has(actor.role)) return "role"
      return actor.unitId === target.unitId ? "ok" : "handler"
    }
  }
}

const describeTarget = (target: DispatchTarget | null): string =>
  target === null
    ? "no handler is dispatched"
    : target._tag === "Department"
      ? `dispatched to department ${target.departmentId}`
      : `dispatched to unit ${target.unitId}`

const describeAuthority = (authority: Authority, ctx: AuthorityContext): string => {
  switch (authority) {
    case "reporter":
      return "anyone but the system"
    case "community-grid-worker":
      return `a ${roleNames["grid-worker"]} (grid-worker) of community ${ctx.communityId}`
    case "owning-tier-staff":
      return `staff of the owning ${ctx.tier} tier (${roleNames[staffRole[ctx.tier]]}, ${staffRole[ctx.tier]}) for ${ctx.ownerUnitId}`
    case "community-staff":
      return `${roleNames["community-staff"]} (community-staff) of community ${ctx.communityId}`
    case "system":
      return `the ${roleNames.system} (system)`
    case "hotline":
      return `the ${roleNames.hotline} (hotline)`
    case "handler":
      return `the dispatched handler (${describeTarget(ctx.target)})`
    case "anyone":
      return "anyone"
    case "supervisor":
      return `${roleNames["street-staff"]} (street-staff) or ${roleNames["district-staff"]} (district-staff)`
  }
}

const authorize = (tag: CommandTag, actor: Actor, ctx: AuthorityContext, out: Array<Violation>): void => {
  const allowed = authorities[tag]
  const checks = allowed.map((a) => checkAuthority(a, actor, ctx))
  if (checks.includes("ok")) return
  const needs = allowed.map((a) => describeAuthority(a, ctx)).join(" or ")
  if (checks.includes("jurisdiction")) {
    out.push(violation("jurisdiction", `${describe(actor)} may not ${verb(tag)} here: it needs ${needs}`))
  } else if (checks.includes("handler")) {
    out.push(
      violation("handler", `${describe(actor)} is not the dispatched handler: ${describeTarget(ctx.target)}`)
    )
  } else {
    out.push(
      violation(
        "role",
        `role ${actor.role} (${roleNames[actor.role]}) may not ${verb(tag)}: it needs ${needs}`
      )
    )
  }
}

// -----------------------------------------------------------------------------
// field checks
// -----------------------------------------------------------------------------

const requireText = (
  value: string | undefined,
  rule: RefusalRule,
  what: string,
  tag: CommandTag,
  out: Array<Violation>
): string => {
  const t = text(value)
  if (t === undefined) {
    out.push(violation(rule, `${verb(tag)} requires ${what}`))
    return ""
  }
  return t
}

const requireEvidence = (
  evidence: ReadonlyArray<string>,
  tag: CommandTag,
  out: Array<Violation>
): readonly [string, ...Array<string>] => {
  const refs = evidence.map((e) => e.trim())
  const [first, ...rest] = refs
  if (first === undefined) {
    out.push(violation("evidence-required", `${verb(tag)} requires evidence (at least one reference)`))
    return [""]
  }
  if (refs.some((r) => r.length === 0)) {
    out.push(violation("evidence-required", `${verb(tag)}: an evidence reference is blank`))
  }
  return [first, ...rest]
}

const checkAmount = (amount: ExtensionAmount, tag: CommandTag, out: Array<Violation>): void => {
  if (!Number.isSafeInteger(amount.amount) || amount.amount <= 0 || amount.amount > maxExtensionAmount) {
    out.push(
      violation(
        "extension-amount",
        `延期时长无效 ${verb(tag)}: an extension is a whole amount from 1 to ${maxExtensionAmount}, got ${amount.amount}`
      )
    )
  }
}

const optional = <K extends string>(key: K, value: string | undefined): { [P in K]?: string } => {
  const t = text(value)
  return t === undefined ? {} : ({ [key]: t } as { [P in K]?: string })
}

// -----------------------------------------------------------------------------
// creation: Report and SelfHandle
// -----------------------------------------------------------------------------

/** The location with its address trimmed (a blank address is dropped). */
const cleanLocation = (location: Location): Location => {
  if (location.address === undefined) return location
  const { address, ...rest } = location
  const t = text(address)
  return t === undefined ? rest : { ...rest, address: t }
}

/** Media as recorded: absent when none (an empty list is no media). */
const mediaOf = (media: ReadonlyArray<string> | undefined): { media?: ReadonlyArray<string> } =>
  media === undefined || media.length === 0 ? {} : { media }

/** The contact with its fields trimmed (blank fields are dropped). */
const cleanContact = (contact: Contact): Contact => ({
  ...optional("name", contact.name),
  ...optional("phone", contact.phone)
})

const decideCreate = (
  command: Cmd.Report | Cmd.SelfHandle,
  state: State,
  out: Array<Violation>
): ReadonlyArray<Ev.CaseEvent> => {
  const tag = command._tag
  if (state._tag === "Case") {
    out.push(
      violation(
        "case-exists",
        `case ${state.id} already exists (status ${state.status}, ${statusNames[state.status]}); cannot ${verb(tag)} it again`
      )
    )
  }
  const ownerUnitId = command.ownerUnitId ?? command.communityId
  authorize(
    tag,
    command.actor,
    {
      tier: command.tier,
      ownerUnitId,
      communityId: command.communityId,
      target: null
    },
    out
  )
  const sources = reportSources[command.actor.role]
  if (command.actor.role !== "system" && !sources.includes(command.source)) {
    out.push(
      violation(
        "source",
        `上报来源不符 role ${command.actor.role} (${roleNames[command.actor.role]}) may not file a case as ${command.source}: it files as ${sources.join(" or ")}`
      )
    )
  }
  const description = requireText(command.description, "description-required", "a description", tag, out)
  if (command.anonymous && command.contact !== undefined) {
    out.push(violation("anonymous-contact", `an anonymous report carries no contact`))
  }
  if (
    command.notifyReporter === true &&
    (command.anonymous || command.contact === undefined || cleanContact(command.contact).phone === undefined)
  ) {
    out.push(
      violation(
        "notify-needs-contact",
        `进度通知需联系电话 a reporter asking for progress notifications (notifyReporter) gives a contact phone and is not anonymous`
      )
    )
  }
  if (command.tier === "community") {
    if (command.ownerUnitId !== undefined && command.ownerUnitId !== command.communityId) {
      out.push(
        violation(
          "owner-unit",
          `a community-tier case is owned by its community ${command.communityId}, not ${command.ownerUnitId}`
        )
      )
    }
  } else if (command.ownerUnitId === undefined) {
    // above the community the owner is named; it is the case's own unit only for a report that
    // routing could place no lower than that tier (a point in no grid handed to the street's
    // command centre: Routing's tier fallback, where the community is the street unit itself)
    out.push(
      violation(
        "owner-unit",
        `a case starting at the ${command.tier} tier names its ${command.tier} owner unit (ownerUnitId)`
      )
    )
  }
  const reported: Ev.Reported = {
    _tag: "Reported",
    caseId: command.caseId,
    sequence: 1,
    at: command.at,
    actor: command.actor,
    source: command.source,
    ...(command.localSource === undefined ? {} : { localSource: command.localSource }),
    categoryId: command.categoryId,
    urgency: command.urgency,
    description,
    location: cleanLocation(command.location),
    communityId: command.communityId,
    tier: command.tier,
    ownerUnitId,
    ...(command.contact === undefined ? {} : { contact: cleanContact(command.contact) }),
    anonymous: command.anonymous,
    attributes: command.attributes ?? {},
    ...(command.publishExact === undefined ? {} : { publishExact: command.publishExact }),
    ...(command.notifyReporter === undefined ? {} : { notifyReporter: command.notifyReporter }),
    ...mediaOf(command.media)
  }
  if (command._tag === "Report") return [reported]
  if (command.tier !== "community") {
    out.push(
      violation(
        "self-handle-community-only",
        `only the community tier may self-handle (琐事不出楼栋); this case starts at the ${command.tier} tier`
      )
    )
  }
  const result = requireText(command.result, "result-required", "a result", tag, out)
  const evidence = requireEvidence(command.evidence, tag, out)
  const meta = { caseId: command.caseId, at: command.at, actor: command.actor }
  return [
    reported,
    { _tag: "SelfHandled", ...meta, sequence: 2, result, evidence },
    { _tag: "Closed", ...meta, sequence: 3, tier: "community", via: "self-handle" }
  ]
}

// -----------------------------------------------------------------------------
// commands on an existing case
// -----------------------------------------------------------------------------

type OnCase = Exclude<Cmd.CaseCommand, Cmd.Report | Cmd.SelfHandle>

const decideOn = (command: OnCase, state: Case, out: Array<Violation>): ReadonlyArray<Ev.CaseEvent> => {
  const tag = command._tag
  if (command.caseId !== state.id) {
    out.push(violation("case-id", `the command is for case ${command.caseId}, but this is case ${state.id}`))
  }
  // the last event: the last change, or a later comment (comments leave `updatedAt` alone)
  const last = Math.max(state.updatedAt.epochMillis, state.commentedAt?.epochMillis ?? 0)
  if (command.at.epochMillis < last) {
    out.push(
      violation(
        "time-order",
        `${verb(tag)} at ${new Date(command.at.epochMillis).toISOString()} is before the case's last event at ${new Date(last).toISOString()}`
      )
    )
  }
  if (lookup(state.status, tag) === undefined) {
    out.push(
      violation(
        "status",
        `cannot ${verb(tag)} a case in status ${state.status} (${statusNames[state.status]})`
      )
    )
  }
  authorize(
    tag,
    command.actor,
    {
      tier: state.tier,
      ownerUnitId: state.ownerUnitId,
      communityId: state.communityId,
      target: state.dispatchTarget
    },
    out
  )
  const meta = { caseId: state.id, at: command.at, actor: command.actor, sequence: state.version + 1 }
  switch (command._tag) {
    case "Accept":
      return [{ _tag: "Accepted", ...meta, ...optional("note", command.note) }]
    case "Reject": {
      const reason = requireText(command.reason, "reason-required", "a reason", tag, out)
      return [{ _tag: "Rejected", ...meta, reason }]
    }
    case "Void": {
      const note = requireText(command.note, "note-required", "a note", tag, out)
      return [{ _tag: "Voided", ...meta, reason: command.reason, note }]
    }
    case "Dispatch":
      return [{ _tag: "Dispatched", ...meta, target: command.target, ...optional("note", command.note) }]
    case "Return": {
      const reason = requireText(
        command.reason,
        "reason-required",
        "a reason (why the dispatch was wrong)",
        tag,
        out
      )
      return [{ _tag: "Returned", ...meta, reason }]
    }
    case "Handle": {
      const result = requireText(command.result, "result-required", "a result", tag, out)
      const evidence = requireEvidence(command.evidence, tag, out)
      return [{ _tag: "Handled", ...meta, result, evidence }]
    }
    case "Verify": {
      if (command.outcome === "fail") {
        const reason = requireText(
          command.note,
          "reason-required",
          "a reason when the verification fails",
          tag,
          out
        )
        return [{ _tag: "VerificationFailed", ...meta, reason }]
      }
      return [
        { _tag: "VerificationPassed", ...meta, ...optional("note", command.note) },
        { _tag: "Closed", ...meta, sequence: meta.sequence + 1, tier: state.tier, via: "verification" }
      ]
    }
    case "Evaluate": {
      if (
        state.status === "evaluated" &&
        state.evaluation !== null &&
        state.evaluation.rating !== "unreachable"
      ) {
        out.push(
          violation(
            "evaluation-final",
            `case ${state.id} already has a final evaluation (${state.evaluation.rating}); only an unreachable return visit may be repeated`
          )
        )
      }
      if (
        command.resolved !== undefined &&
        (command.rating === "unreachable" || command.rating === "refused")
      ) {
        out.push(
          violation(
            "resolved-needs-visit",
            `是否解决 needs a return visit: a ${command.rating} visit cannot record whether the problem was solved`
          )
        )
      }
      return [
        {
          _tag: "Evaluated",
          ...meta,
          rating: command.rating,
          ...(command.resolved === undefined ? {} : { resolved: command.resolved }),
          ...optional("note", command.note)
        }
      ]
    }
    case "Reopen": {
      const evaluation = state.evaluation
      if (evaluation === null || (evaluation.rating !== "dissatisfied" && evaluation.resolved !== false)) {
        out.push(
          violation(
            "reopen-requires-dissatisfied",
            `only a dissatisfied evaluation (不满意) or an unresolved problem (问题未解决) reopens a case; the evaluation is ${evaluation === null ? "missing" : `${evaluation.rating}${evaluation.resolved === true ? ", resolved" : ""}`}`
          )
        )
      }
      if (command.to === "handling" && state.dispatchTarget === null) {
        out.push(
          violation(
            "reopen-needs-handler",
            `case ${state.id} was never dispatched; reopen it to dispatch instead`
          )
        )
      }
      const reason = requireText(command.reason, "reason-required", "a reason", tag, out)
      return [{ _tag: "Reopened", ...meta, reason, to: command.to }]
    }
    case "RequestSuspension": {
      if (state.pendingSuspension !== null) {
        out.push(violation("request-pending", `a suspension request is already pending for case ${state.id}`))
      }
      const reason = requireText(command.reason, "reason-required", "a reason", tag, out)
      return [{ _tag: "SuspensionRequested", ...meta, step: state.step ?? "handling", reason }]
    }
    case "ApproveSuspension":
    case "DenySuspension": {
      if (state.pendingSuspension === null) {
        out.push(violation("no-pending-request", `no suspension request is pending for case ${state.id}`))
      }
      if (command._tag === "ApproveSuspension") {
        return [{ _tag: "SuspensionApproved", ...meta, ...optional("note", command.note) }]
      }
      const reason = requireText(command.reason, "reason-required", "a reason", tag, out)
      return [{ _tag: "SuspensionDenied", ...meta, reason }]
    }
    case "Resume":
      return [{ _tag: "Resumed", ...meta, ...optional("note", command.note) }]
    case "RequestExtension": {
      if (state.pendingExtension !== null) {
        out.push(violation("request-pending", `an extension request is already pending for case ${state.id}`))
      }
      checkAmount(command.amount, tag, out)
      const reason = requireText(command.reason, "reason-required", "a reason", tag, out)
      return [
        {
          _tag: "ExtensionRequested",
          ...meta,
          step: state.step ?? "handling",
          amount: command.amount,
          reason
        }
      ]
    }
    case "ApproveExtension":
    case "DenyExtension": {
      const pending = state.pendingExtension
      if (pending === null) {
        out.push(violation("no-pending-request", `no extension request is pending for case ${state.id}`))
      }
      if (command._tag === "ApproveExtension") {
        const amount = command.amount ?? pending?.amount
        if (amount !== undefined) checkAmount(amount, tag, out)
        return [
          {
            _tag: "ExtensionApproved",
            ...meta,
            step: pending?.step ?? state.step ?? "handling",
            amount: amount ?? { amount: 1, unit: "working-days" },
            ...optional("note", command.note)
          }
        ]
      }
      const reason = requireText(command.reason, "reason-required", "a reason", tag, out)
      return [{ _tag: "ExtensionDenied", ...meta, reason }]
    }
    case "Merge": {
      if (command.targetId === state.id) {
        out.push(violation("merge-into-self", `case ${state.id} cannot be merged into itself`))
      }
      return [{ _tag: "Merged", ...meta, targetId: command.targetId, ...optional("note", command.note) }]
    }
    case "Comment": {
      if (command.visibility === "internal" && !internalCommentRoles.has(command.actor.role)) {
        out.push(
          violation(
            "internal-comment-staff",
            `内部评论仅限工作人员 role ${command.actor.role} (${roleNames[command.actor.role]}) may not write an internal comment: visibility must be public (rule internal-comment-staff)`
          )
        )
      }
      const text = requireText(command.text, "note-required", "a comment text", tag, out)
      return [{ _tag: "Commented", ...meta, text, visibility: command.visibility, ...mediaOf(command.media) }]
    }
    case "Supervise": {
      const note = requireText(command.note, "note-required", "a supervision note", tag, out)
      return [{ _tag: "Supervised", ...meta, level: command.level, note }]
    }
    case "Escalate": {
      const next: Tier | undefined =
        state.tier === "community" ? "street" : state.tier === "street" ? "district" : undefined
      if (next === undefined) {
        out.push(
          violation(
            "escalation-beyond-district",
            `case ${state.id} is at the district tier; nothing lies above it`
          )
        )
      }
      if (command.toUnitId === state.ownerUnitId) {
        out.push(
          violation(
            "escalation-unit",
            `escalation moves the case to another unit, not to its owner ${state.ownerUnitId}`
          )
        )
      }
      const reason = requireText(command.reason, "reason-required", "a reason", tag, out)
      return [
        {
          _tag: "Escalated",
          ...meta,
          fromTier: state.tier,
          toTier: next ?? "district",
          toUnitId: command.toUnitId,
          reason,
          automatic: command.actor.role === "system"
        }
      ]
    }
  }
}

/** Checks a command against a state: every violation, or the events. */
export const decide = (command: Cmd.CaseCommand, state: State): Decision => {
  const out: Array<Violation> = []
  let events: ReadonlyArray<Ev.CaseEvent>
  if (command._tag === "Report" || command._tag === "SelfHandle") {
    events = decideCreate(command, state, out)
  } else if (state._tag === "NoCase") {
    out.push(
      violation(
        "case-not-found",
        `no case ${command.caseId} has been reported; cannot ${verb(command._tag)} it`
      )
    )
    events = []
  } else {
    events = decideOn(command, state, out)
  }
  const [first, ...rest] = out
  return first === undefined ? { _tag: "Decided", events } : { _tag: "Refused", violations: [first, ...rest] }
}
