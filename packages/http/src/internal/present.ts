/**
 * What a principal is shown of a case: personal data masked for roles
 * without the right, anonymous reporters hidden from everyone but themselves.
 *
 * @internal
 */
import { ActorId } from "@civicgrid/core/Actor"
import type * as Case from "@civicgrid/core/Case"
import type { CaseEvent } from "@civicgrid/core/CaseEvent"
import * as Mask from "../Mask.js"
import { type CaseFacts, canReadPersonalData, type Principal } from "../Principal.js"

/** The id shown instead of an anonymous reporter's. */
export const anonymousId: ActorId = ActorId.make("匿名 anonymous")

export interface Rights {
  readonly personalData: boolean
  /** The viewer is the reporter of this case. */
  readonly isReporter: boolean
  readonly anonymous: boolean
}

export const rightsOf = (principal: Principal, facts: CaseFacts, anonymous: boolean): Rights => ({
  personalData: canReadPersonalData(principal, facts),
  isReporter: facts.reportedBy === principal.id,
  anonymous
})

const hideReporter = (rights: Rights): boolean => rights.anonymous && !rights.isReporter

export const contact = (rights: Rights, value: Case.Contact | undefined): Case.Contact | null => {
  if (value === undefined || rights.anonymous) return null
  return rights.personalData ? value : Mask.contact(value)
}

export const event = (rights: Rights, e: CaseEvent): CaseEvent => {
  if (e._tag !== "Reported") return e
  const { contact: given, ...rest } = e
  const shown = contact(rights, given)
  const actor = hideReporter(rights) ? { ...e.actor, id: anonymousId } : e.actor
  return shown === null ? { ...rest, actor } : { ...rest, actor, contact: shown }
}

export const events = (rights: Rights, es: ReadonlyArray<CaseEvent>): ReadonlyArray<CaseEvent> =>
  es.map((e) => event(rights, e))

export const state = (rights: Rights, s: Case.Case): Case.Case =>
  hideReporter(rights) ? { ...s, reportedBy: anonymousId } : s

/** The contact given with the report (the first event), if any. */
export const reportedContact = (es: ReadonlyArray<CaseEvent>): Case.Contact | undefined => {
  const first = es[0]
  return first !== undefined && first._tag === "Reported" ? first.contact : undefined
}
