/** The signed-in session: the bearer token (sessionStorage) and who the API says its principal is (`GET /me`). */

import type { Role } from "@civicgrid/http/Principal"
import * as DateTime from "effect/DateTime"
import { call, type UiError } from "./api.js"

export interface Session {
  readonly token: string
  readonly role: Role
  /** 辖区 — the unit whose subtree the principal sees; `null`: none (a resident sees only its reports). */
  readonly unitId: string | null
  /** The jurisdiction's name; for a handler its department's (or its seat's) name. */
  readonly unitName: string | null
  /**
   * 处置单位 — a 职能部门 without a jurisdiction: it works the cases dispatched to it (the server decides
   * which), without the board or the map.
   */
  readonly handler: boolean
  /**
   * 本地角色 — a local role of the server's role table the principal holds (e.g. 信访代办员), its id and names;
   * its rights are those of `role`. `null`: none.
   */
  readonly localRole: { readonly id: string; readonly zh: string; readonly en: string } | null
}

const key = "civicgrid.token"

export const storedToken = (): string | null => sessionStorage.getItem(key)

export const forget = (): void => sessionStorage.removeItem(key)

/** Signs in with a token: `GET /me` names the principal's role, jurisdiction, department and local role. */
export const signIn = async (
  token: string
): Promise<{ readonly session: Session } | { readonly error: UiError }> => {
  const me = await call(token, (c) => c.session.me())
  if (!me.ok) return { error: me.error }
  const { role, jurisdiction, department, unit, localRole } = me.value
  sessionStorage.setItem(key, token)
  return {
    session: {
      token,
      role,
      unitId: jurisdiction?.id ?? null,
      unitName: jurisdiction?.name ?? department?.name ?? (role === "resident" ? null : (unit?.name ?? null)),
      handler: role === "department" && jurisdiction === null,
      localRole: localRole === null ? null : { id: localRole.id, zh: localRole.zh, en: localRole.en }
    }
  }
}

export const millis = (dt: DateTime.DateTime): number => DateTime.toEpochMillis(dt)
