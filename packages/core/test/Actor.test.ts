/**
 * 操作人 — an actor in a local role of the role table records it (`localRole`)
 * and acts with the rights of its built-in `role`; events stored before local
 * roles decode unchanged.
 */
import { describe, expect, it } from "@effect/vitest"
import * as Arbitrary from "effect/Arbitrary"
import * as Either from "effect/Either"
import * as Schema from "effect/Schema"
import * as Actor from "../src/Actor.js"
import * as CaseEvent from "../src/CaseEvent.js"
import * as RoleTable from "../src/RoleTable.js"

const agent: Actor.Actor = {
  id: Actor.ActorId.make("pa-1"),
  role: "community-staff",
  unitId: Schema.decodeSync(Actor.Actor.fields.unitId)("c-1"),
  localRole: Actor.RoleId.make("petition-agent")
}

// a Reported event as stored before local roles: its actor has no localRole
const storedReported = {
  _tag: "Reported",
  caseId: "case-1",
  sequence: 1,
  at: "2025-03-01T08:00:00.000Z",
  actor: { id: "gw-7", role: "grid-worker", unitId: "c-1" },
  source: "patrol",
  categoryId: "road",
  urgency: "normal",
  description: "路灯不亮 street light out",
  location: { unitId: "c-1" },
  communityId: "c-1",
  tier: "community",
  ownerUnitId: "c-1",
  anonymous: false,
  attributes: {}
}

describe("Actor — local roles", () => {
  it("an old actor (no localRole) decodes as before; a new one round-trips its localRole", () => {
    const old = Schema.decodeUnknownSync(Actor.Actor)({ id: "gw-7", role: "grid-worker", unitId: "c-1" })
    expect("localRole" in old).toBe(false)
    expect(Schema.decodeUnknownSync(Actor.Actor)(Schema.encodeSync(Actor.Actor)(agent))).toEqual(agent)
  })

  it("a stored event without localRole decodes; with one, the event carries it", () => {
    const decoded = Schema.decodeUnknownEither(CaseEvent.CaseEvent)(storedReported)
    if (Either.isLeft(decoded)) {
      // the fixture must match the stored shape; show why it does not
      throw new Error(String(decoded.left))
    }
    expect(decoded.right.actor).toEqual({ id: "gw-7", role: "grid-worker", unitId: "c-1" })
    const withLocal = Schema.decodeUnknownSync(CaseEvent.CaseEvent)({
      ...storedReported,
      actor: { ...storedReported.actor, id: "pa-1", localRole: "petition-agent" }
    })
    expect(withLocal.actor.localRole).toBe("petition-agent")
  })

  it("describe names the local role, from the table where it holds it", () => {
    expect(Actor.describe(agent, RoleTable.standard)).toBe(
      "信访代办员 (petition-agent) acting as 社区工作人员 (community-staff) pa-1 for c-1"
    )
    expect(Actor.describe(agent)).toBe("petition-agent acting as 社区工作人员 (community-staff) pa-1 for c-1")
    const { localRole: _, ...plain } = agent
    expect(Actor.describe(plain, RoleTable.standard)).toBe("社区工作人员 (community-staff) pa-1 for c-1")
  })

  it.prop("every actor round-trips; localRole is kept iff present", [Arbitrary.make(Actor.Actor)], ([a]) => {
    const back = Schema.decodeUnknownSync(Actor.Actor)(Schema.encodeSync(Actor.Actor)(a))
    expect(back).toEqual(a)
    expect("localRole" in back).toBe(a.localRole !== undefined)
    expect(Actor.describe(a).includes(" acting as ")).toBe(a.localRole !== undefined)
  })
})
