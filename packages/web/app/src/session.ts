/** The signed-in session: the bearer token (sessionStorage) and what the API told about its principal. */

import { UnitId } from "@civicgrid/core/Unit"
import * as DateTime from "effect/DateTime"
import { call, type UiError } from "./api.js"

export interface Session {
  readonly token: string
  /** 辖区 — the unit the board answered for; `null`: no jurisdiction (a resident sees only its reports). */
  readonly unitId: string | null
  readonly unitName: string | null
  /**
   * 处置单位 — no jurisdiction, but an administrative unit (a 职能部门 sits at the district): it works the
   * cases dispatched to it (the server decides which), unlike a resident whose unit is its home.
   */
  readonly handler: boolean
}

const administrative = new Set(["district", "street", "community"])

const key = "civicgrid.token"

export const storedToken = (): string | null => sessionStorage.getItem(key)

export const forget = (): void => sessionStorage.removeItem(key)

/**
 * Signs in with a token: the board answers with the principal's own unit (its jurisdiction); a
 * principal without one (a resident) gets a 404 there and is shown its own reports only.
 */
export const signIn = async (
  token: string
): Promise<{ readonly session: Session } | { readonly error: UiError }> => {
  const board = await call(token, (c) => c.cases.board({ urlParams: {} }))
  if (!board.ok) {
    if (board.error.tag !== "NotFound") return { error: board.error }
    const mine = await call(token, (c) => c.cases.list({ urlParams: { limit: 1 } }))
    if (!mine.ok) return { error: mine.error }
    // the board names the principal's own unit in its 404: an administrative one is a handler's seat
    const own = board.error.id
    const seat =
      own === undefined
        ? undefined
        : await call(token, (c) => c.hierarchy.unit({ path: { unitId: UnitId.make(own) } }))
    const handler = seat?.ok === true && administrative.has(seat.value.level)
    sessionStorage.setItem(key, token)
    return {
      session: {
        token,
        unitId: null,
        unitName: handler && seat?.ok === true ? seat.value.name : null,
        handler
      }
    }
  }
  const unitId = board.value.unitId
  const unit = await call(token, (c) => c.hierarchy.unit({ path: { unitId } }))
  sessionStorage.setItem(key, token)
  return { session: { token, unitId, unitName: unit.ok ? unit.value.name : null, handler: false } }
}

export const millis = (dt: DateTime.DateTime): number => DateTime.toEpochMillis(dt)
