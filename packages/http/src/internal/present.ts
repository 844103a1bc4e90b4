/**
 * What a principal is shown of a case: personal data masked for roles
 * without the right — the reporter's contact (`Mask.contact`) and, by the
 * same rule, the phones, ID numbers and e-mail addresses written in the free
 * texts (descriptions, addresses, results, reasons, notes: the core's
 * `Privacy.scrub`) — and anonymous reporters hidden from everyone but
 * themselves. Internal comments (`CaseEvent.isInternal`) are left out for
 * residents.
 *
 * @internal
 */
import { ActorId } from "@civicgrid/core/Actor"
import type * as Case from "@civicgrid/core/Case"
import { type CaseEvent, isInternal } from "@civicgrid/core/CaseEvent"
import * as Privacy from "@civicgrid/core/Privacy"
import * as Mask from "../Mask.js"
import { type CaseFacts, canReadPersonalData, type Principal } from "../Principal.js"

/** The id shown instead of an anonymous reporter's. */
export const anonymousId: ActorId = ActorId.make("匿名 anonymous")

export interface Rights {
  readonly personalData: boolean
  /** The viewer is the reporter of this case. */
  readonly isReporter: boolean
  readonly anonymous: boolean
  /** The viewer may read internal comments (everyone but a resident). */
  readonly internal: boolean
}

export const rightsOf = (principal: Principal, facts: CaseFacts, anonymous: boolean): Rights => ({
  personalData: canReadPersonalData(principal, facts),
  isReporter: facts.reportedBy === principal.id,
  anonymous,
  internal: principal.role !== "resident"
})

const hideReporter = (rights: Rights): boolean => rights.anonymous && !rights.isReporter

export const contact = (rights: Rights, value: Case.Contact | undefined): Case.Contact | null => {
  if (value === undefined || rights.anonymous) return null
  return rights.personalData ? value : Mask.contact(value)
}

/** The free texts of an event, scrubbed (`Privacy.scrub`): description, address, result, reason, note, comment. */
export const scrubTexts = <E extends CaseEvent>(e: E): E => {
  let out: E = e
  if ("description" in e && typeof e.description === "string") {
    out = { ...out, description: Privacy.scrub(e.description) }
  }
  if ("result" in e && typeof e.result === "string") out = { ...out, result: Privacy.scrub(e.result) }
  // a void reason is a code (duplicate, invalid, not-ours), not a text
  if (e._tag !== "Voided" && "reason" in e && typeof e.reason === "string") {
    out = { ...out, reason: Privacy.scrub(e.reason) }
  }
  if ("note" in e && typeof e.note === "string") out = { ...out, note: Privacy.scrub(e.note) }
  if ("text" in e && typeof e.text === "string") out = { ...out, text: Privacy.scrub(e.text) }
  if ("location" in e && e.location.address !== undefined) {
    out = { ...out, location: { ...e.location, address: Privacy.scrub(e.location.address) } }
  }
  return out
}

export const event = (rights: Rights, original: CaseEvent): CaseEvent => {
  const e = rights.personalData ? original : scrubTexts(original)
  if (e._tag !== "Reported") return e
  const { contact: given, ...rest } = e
  const shown = contact(rights, given)
  const actor = hideReporter(rights) ? { ...e.actor, id: anonymousId } : e.actor
  return shown === null ? { ...rest, actor } : { ...rest, actor, contact: shown }
}

/** The events shown: internal comments left out for a viewer who may not read them. */
export const events = (rights: Rights, es: ReadonlyArray<CaseEvent>): ReadonlyArray<CaseEvent> =>
  (rights.internal ? es : es.filter((e) => !isInternal(e))).map((e) => event(rights, e))

const scrubPending = (p: Case.PendingRequest | null): Case.PendingRequest | null =>
  p === null ? null : { ...p, reason: Privacy.scrub(p.reason) }

export const state = (rights: Rights, s: Case.Case): Case.Case => {
  const hidden = hideReporter(rights) ? { ...s, reportedBy: anonymousId } : s
  if (rights.personalData) return hidden
  return {
    ...hidden,
    location:
      s.location.address === undefined
        ? s.location
        : { ...s.location, address: Privacy.scrub(s.location.address) },
    pendingSuspension: scrubPending(s.pendingSuspension),
    pendingExtension: scrubPending(s.pendingExtension)
  }
}

/** The contact given with the report (the first event), if any. */
export const reportedContact = (es: ReadonlyArray<CaseEvent>): Case.Contact | undefined => {
  const first = es[0]
  return first !== undefined && first._tag === "Reported" ? first.contact : undefined
}
