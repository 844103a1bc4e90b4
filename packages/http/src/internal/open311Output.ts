/**
 * Building the public Open311 view of cases: request records, updates from
 * the case history, W3C date-times at a fixed offset; free texts scrubbed and
 * bounded, the location published under the publication policy (the core's
 * `Privacy`).
 */
import * as Case from "@civicgrid/core/Case"
import * as CaseCategory from "@civicgrid/core/CaseCategory"
import { type CaseEvent, eventNames } from "@civicgrid/core/CaseEvent"
import type { CaseSummary } from "@civicgrid/core/CaseRepository"
import type { Position } from "@civicgrid/core/GeoJson"
import * as Privacy from "@civicgrid/core/Privacy"
import { limits } from "@civicgrid/core/Text"
import * as DateTime from "effect/DateTime"
import * as Option from "effect/Option"
import { rowOf, updateStatusOf } from "./open311Status.js"

const pad = (n: number, width = 2): string => String(n).padStart(width, "0")

/** A W3C date-time at a fixed offset from UTC, e.g. `2024-03-04T09:00:00+08:00`. */
export const formatDateTime = (instant: DateTime.Utc | number, offsetMinutes: number): string => {
  const millis = typeof instant === "number" ? instant : DateTime.toEpochMillis(instant)
  const d = new Date(millis + offsetMinutes * 60_000)
  const date = `${pad(d.getUTCFullYear(), 4)}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`
  const time = `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`
  if (offsetMinutes === 0) return `${date}T${time}Z`
  const sign = offsetMinutes < 0 ? "-" : "+"
  const abs = Math.abs(offsetMinutes)
  return `${date}T${time}${sign}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`
}

/**
 * 脱敏 — the core's rule (`Privacy.scrub`): phones, ID numbers, landlines and
 * e-mail addresses masked, in linear time.
 */
export const scrub: (text: string) => string = Privacy.scrub

/** How the public view names units and departments. */
export type AgencyName = (kind: "unit" | "department", id: string) => string | undefined

export interface ViewConfig {
  readonly catalogue: CaseCategory.Catalogue
  readonly jurisdictionId: string
  readonly offsetMinutes: number
  readonly serviceNotice: string | null
  readonly agencyName: AgencyName
  /** 公开策略 — what is published of a case's location. */
  readonly policy: Privacy.PublicationPolicy
  /** Whether a case is publicly listed (a merge names its target only then). */
  readonly isListed: (caseId: string) => boolean
  /**
   * 代表位置 — where a case reported without a point or an address lies: a
   * representative point of its unit or grid (`Routing.representativePosition`)
   * and a readable name of its unit; each none when unknown.
   */
  readonly placeOf: (location: Case.Case["location"]) => {
    readonly position?: Position
    readonly address?: string
  }
}

/** The public record of a request (GeoReport v2 `GET requests` fields, plus `extended_status`). */
export interface RequestView {
  readonly service_request_id: string
  readonly status: "open" | "closed"
  readonly extended_status: string
  readonly status_notes: string | null
  readonly service_name: string
  readonly service_code: string
  readonly description: string
  readonly agency_responsible: string
  readonly service_notice: string | null
  readonly requested_datetime: string
  readonly updated_datetime: string
  readonly expected_datetime: string | null
  readonly address: string | null
  readonly address_id: string | null
  readonly zipcode: null
  readonly lat: number | null
  readonly long: number | null
  readonly media_url: string | null
  readonly jurisdiction_id: string
}

const voidNames: Readonly<Record<Case.VoidReason, string>> = {
  duplicate: "重复",
  invalid: "无效",
  "not-ours": "非本辖区/非职责"
}

/** What a merge into a case that is not publicly listed publishes. */
export const mergedElsewhere = "已合并至其他案件"

/** The text an event makes public (besides its name), if any; scrubbed. */
const publicText = (event: CaseEvent, config: ViewConfig): string | null => {
  switch (event._tag) {
    case "Handled":
    case "SelfHandled":
      return Privacy.publicText(event.result, limits.note)
    case "Rejected":
      return Privacy.publicText(event.reason, limits.note)
    case "Voided":
      return `作废原因：${voidNames[event.reason]}`
    case "Dispatched":
      return `派遣至 ${agencyOfTarget(event.target, config)}`
    case "Escalated":
      return `上报至 ${config.agencyName("unit", event.toUnitId) ?? event.toUnitId}`
    case "Commented":
      return event.visibility === "public" ? Privacy.publicText(event.text, limits.note) : null
    case "Merged":
      // a case that is not public (a petition, another jurisdiction …) is never named
      return config.isListed(event.targetId) ? `合并至 ${event.targetId}` : mergedElsewhere
    default:
      return null
  }
}

const agencyOfTarget = (target: Case.DispatchTarget, config: ViewConfig): string =>
  target._tag === "Unit"
    ? (config.agencyName("unit", target.unitId) ?? target.unitId)
    : (config.agencyName("department", target.departmentId) ?? target.departmentId)

/** 处置单位 — the handling unit or department, else the owning unit. */
export const agencyOf = (state: Case.Case, config: ViewConfig): string =>
  state.dispatchTarget === null
    ? (config.agencyName("unit", state.ownerUnitId) ?? state.ownerUnitId)
    : agencyOfTarget(state.dispatchTarget, config)

const descriptionOf = (events: ReadonlyArray<CaseEvent>): string => {
  for (const e of events) if (e._tag === "Reported") return e.description
  return ""
}

/**
 * 办结时间 — when a request published as closed last became closed (its
 * closing, voiding or merge); none while it is published open. A later
 * evaluation or comment does not move it.
 */
export const closedAt = (events: ReadonlyArray<CaseEvent>): DateTime.Utc | undefined => {
  let state: Case.State = Case.initial
  let at: DateTime.Utc | undefined
  for (const event of events) {
    state = Case.evolve(state, event)
    if (state._tag !== "Case") continue
    if (rowOf(state.status, state.voidReason).open311 === "open") at = undefined
    else if (at === undefined) at = event.at
  }
  return at
}

/** The public request record of a case (its state, events and read-model row). */
export const requestView = (
  state: Case.Case,
  events: ReadonlyArray<CaseEvent>,
  summary: CaseSummary,
  config: ViewConfig
): RequestView => {
  const row = rowOf(state.status, state.voidReason)
  let notes: string | null = null
  for (const e of events) {
    const text = publicText(e, config)
    // status_notes explain the status: comments, dispatches and escalations do not
    if (text !== null && e._tag !== "Dispatched" && e._tag !== "Escalated" && e._tag !== "Commented")
      notes = text
  }
  const category = CaseCategory.getMinor(config.catalogue, state.categoryId)
  // a report by unit or address alone is placed at its unit's representative point and named by its
  // unit, then published under the same policy as a reported point and address
  const known = config.placeOf(state.location)
  const place = Privacy.publish(
    config.policy,
    {
      position: state.location.position ?? known.position,
      address: state.location.address ?? known.address
    },
    state.publishExact === true
  )
  return {
    service_request_id: state.id,
    status: row.open311,
    extended_status: row.extended,
    status_notes: notes,
    service_name: Option.match(category, { onNone: () => state.categoryId, onSome: (c) => c.name }),
    service_code: state.categoryId,
    description: Privacy.publicText(descriptionOf(events), limits.description),
    agency_responsible: agencyOf(state, config),
    service_notice: config.serviceNotice,
    requested_datetime: formatDateTime(state.reportedAt, config.offsetMinutes),
    // a closed request was last updated when it closed (GeoReport v2; FixMyStreet dates the fix by it)
    updated_datetime: formatDateTime(
      row.open311 === "closed" ? (closedAt(events) ?? state.updatedAt) : state.updatedAt,
      config.offsetMinutes
    ),
    expected_datetime:
      summary.deadline === null ? null : formatDateTime(summary.deadline, config.offsetMinutes),
    address: place.address,
    address_id: state.location.addressId ?? null,
    zipcode: null,
    lat: place.position === null ? null : place.position[1],
    long: place.position === null ? null : place.position[0],
    media_url: state.media?.[0] ?? null,
    jurisdiction_id: config.jurisdictionId
  }
}

/** One public update of a case's history (FixMyStreet `servicerequestupdates`). */
export interface UpdateView {
  readonly update_id: string
  readonly service_request_id: string
  readonly status: string
  readonly request_status: "open" | "closed"
  readonly updated_datetime: string
  readonly description: string
  readonly media_url: string | null
}

/** The public updates of a case's history, in sequence order (internal steps left out). */
export const updatesOf = (
  events: ReadonlyArray<CaseEvent>,
  config: ViewConfig
): ReadonlyArray<UpdateView> => {
  const out: Array<UpdateView> = []
  let state: Case.State = Case.initial
  for (const event of events) {
    state = Case.evolve(state, event)
    if (state._tag !== "Case") continue
    const row = rowOf(state.status, state.voidReason)
    const status = updateStatusOf(event._tag, row)
    if (status === null) continue
    // internal comments (会办 notes between units) are never published
    if (event._tag === "Commented" && event.visibility !== "public") continue
    const text = publicText(event, config)
    out.push({
      update_id: `${event.caseId}-${event.sequence}`,
      service_request_id: event.caseId,
      status,
      request_status: row.open311,
      updated_datetime: formatDateTime(event.at, config.offsetMinutes),
      description: text === null ? eventNames[event._tag] : `${eventNames[event._tag]}：${text}`,
      // the photo a report or a public comment came with
      media_url: event._tag === "Reported" || event._tag === "Commented" ? (event.media?.[0] ?? null) : null
    })
  }
  return out
}
