import * as Case from "@civicgrid/core/Case"
import * as Privacy from "@civicgrid/core/Privacy"
import { describe, expect, it } from "@effect/vitest"
import * as fc from "fast-check"
import * as Open311 from "../src/Open311.js"

/**
 * FixMyStreet's reading of an Open311 status (mysociety/fixmystreet), as data:
 * `perllib/Open311.pm` `sub map_state` (lower-case, `_` → space, then
 * `fixed` → `fixed - council`, `not councils responsibility` → `not responsible`,
 * `no further action` → `unable to fix`, `open` → `confirmed`, `closed` →
 * `closed` with extended statuses, else the name itself) and the state table
 * (`db/schema.sql` `INSERT INTO state`, `DB/ResultSet/State.pm`
 * `_hardcoded_states`, `DB/Result/Problem.pm` `all_states`). A state not in the
 * table is ignored by `Open311/UpdatesBase.pm` (`visible_states()->{$state}`).
 */
const fmsStateTypes: Readonly<Record<string, "open" | "closed" | "fixed">> = {
  confirmed: "open",
  investigating: "open",
  "in progress": "open",
  planned: "open",
  "action scheduled": "open",
  "unable to fix": "closed",
  "not responsible": "closed",
  duplicate: "closed",
  "internal referral": "closed",
  closed: "closed",
  fixed: "fixed",
  "fixed - council": "fixed",
  "fixed - user": "fixed"
}

const fmsMapState = (status: string, extendedStatuses: boolean): string => {
  const incoming = status.toLowerCase().replace(/_/g, " ")
  const stateMap: Record<string, string> = {
    fixed: "fixed - council",
    "not councils responsibility": "not responsible",
    "no further action": "unable to fix",
    open: "confirmed",
    closed: extendedStatuses ? "closed" : "fixed - council"
  }
  return stateMap[incoming] ?? incoming
}

/** FixMyStreet's reading of a status: open / closed, or `unknown` (ignored, the problem keeps its state). */
const fmsReads = (status: string, extendedStatuses = true): "open" | "closed" | "unknown" => {
  const type = fmsStateTypes[fmsMapState(status, extendedStatuses)]
  return type === undefined ? "unknown" : type === "open" ? "open" : "closed"
}

const rows: ReadonlyArray<Open311.StatusRow> = Case.statuses.flatMap((status) =>
  status === "voided"
    ? Case.VoidReason.literals.map((reason) => Open311.statusOf(status, reason))
    : [Open311.statusOf(status, null)]
)

describe("Open311 status mapping", () => {
  it("the table covers every case status (and every void reason of voided) exactly once", () => {
    for (const status of Case.statuses) {
      const rows = Open311.statusTable.filter((r) => r.status === status)
      if (status === "voided") {
        expect(rows.map((r) => r.voidReason).sort()).toEqual([...Case.VoidReason.literals].sort())
      } else {
        expect(rows).toHaveLength(1)
      }
    }
    expect(Open311.statusTable.every((r) => Open311.extendedStatuses.includes(r.extended))).toBe(true)
  })

  it("open/closed agrees with the core: a status is open in Open311 exactly when Case.isOpen", () => {
    for (const row of Open311.statusTable) expect(row.open311 === "open").toBe(Case.isOpen(row.status))
  })

  it("void reasons map to FixMyStreet's statuses: duplicate → DUPLICATE, not ours → NOT_COUNCILS_RESPONSIBILITY", () => {
    expect(Open311.statusOf("voided", "duplicate").extended).toBe("DUPLICATE")
    expect(Open311.statusOf("voided", "not-ours").extended).toBe("NOT_COUNCILS_RESPONSIBILITY")
    expect(Open311.statusOf("voided", "invalid").extended).toBe("NO_FURTHER_ACTION")
    expect(Open311.statusOf("merged", null).extended).toBe("DUPLICATE")
    expect(Open311.statusOf("closed", null)).toMatchObject({ open311: "closed", extended: "FIXED" })
    expect(Open311.statusOf("dispatched", null)).toMatchObject({
      open311: "open",
      extended: "ACTION_SCHEDULED"
    })
  })

  it("every case event has an update rule; internal steps publish none", () => {
    expect(Object.keys(Open311.eventUpdates).sort()).toEqual([...Case.EventTag.literals].sort())
    expect(Open311.eventUpdates.SuspensionRequested).toBeNull()
  })

  it("FixMyStreet reads every published extended status as a known state, open/closed as extendedIsOpen says", () => {
    for (const extended of Open311.extendedStatuses) {
      expect(fmsReads(extended)).toBe(Open311.extendedIsOpen[extended] ? "open" : "closed")
    }
    // without FixMyStreet's extended statuses, CLOSED still reads closed (fixed - council)
    expect(fmsReads("CLOSED", false)).toBe("closed")
  })

  it("every case status: FixMyStreet reads its extended status as a known state with our open/closed", () => {
    for (const row of rows) expect(fmsReads(row.extended)).toBe(row.open311)
  })

  it.prop(
    "every event × case status: the published update is a state FixMyStreet knows, open/closed as the case",
    [fc.constantFrom(...Case.EventTag.literals), fc.constantFrom(...rows)],
    ([tag, row]) => {
      const status = Open311.updateStatusOf(tag, row)
      if (status === null) expect(Open311.eventUpdates[tag]).toBeNull()
      else expect(fmsReads(status)).toBe(row.open311)
    }
  )

  it("exhaustively: every event × case status publishes a known state with the case's open/closed", () => {
    for (const tag of Case.EventTag.literals) {
      for (const row of rows) {
        const status = Open311.updateStatusOf(tag, row)
        if (status !== null)
          expect([tag, row.status, fmsReads(status)]).toEqual([tag, row.status, row.open311])
      }
    }
  })

  it("escalation (issue 13.3): an escalated, still-open case is published open, not INTERNAL_REFERRAL", () => {
    for (const row of rows.filter((r) => r.open311 === "open")) {
      const status = Open311.updateStatusOf("Escalated", row)
      expect(status).not.toBe("INTERNAL_REFERRAL")
      expect(status === null ? "none" : fmsReads(status)).toBe("open")
    }
    expect(Open311.updateStatusOf("Escalated", Open311.statusOf("dispatched", null))).toBe("ACTION_SCHEDULED")
  })

  it("escalation and reopen lead only to open statuses (the core's transition table), each published open", () => {
    const targets = Case.transitions.filter((t) => t.command === "Escalate" || t.command === "Reopen")
    expect(targets.length).toBeGreaterThan(0)
    for (const t of targets) {
      const tag = t.command === "Escalate" ? "Escalated" : "Reopened"
      for (const to of t.to) {
        const published = Open311.updateStatusOf(tag, Open311.statusOf(to, null))
        expect([t.command, to, published === null ? "none" : fmsReads(published)]).toEqual([
          t.command,
          to,
          "open"
        ])
      }
    }
  })

  it("reopen (issue 13.3): a reopened case publishes a state FixMyStreet reads as open, not REOPEN", () => {
    expect(fmsReads("REOPEN")).toBe("unknown")
    for (const status of ["dispatched", "accepted"] as const) {
      const published = Open311.updateStatusOf("Reopened", Open311.statusOf(status, null))
      expect(published).not.toBe("REOPEN")
      expect(published === null ? "none" : fmsReads(published)).toBe("open")
    }
  })

  it("脱敏 scrub masks mobile, ID and landline numbers and e-mail addresses", () => {
    expect(Open311.scrub("请联系13812341234")).toBe("请联系138****1234")
    expect(Open311.scrub("身份证 530102199001011234")).toBe("身份证 5301**********1234")
    expect(Open311.scrub("座机 0871-63123456")).toBe("座机 0871-********")
    expect(Open311.scrub("mail wang.li@qq.com")).toBe("mail ***@qq.com")
    expect(Open311.scrub("路灯编号 LD-2024-0012 不亮")).toBe("路灯编号 LD-2024-0012 不亮")
    // the core's rule (issue 12, findings 1 and 3): one rule, linear time, the forms people write
    expect(Open311.scrub).toBe(Privacy.scrub)
    expect(Open311.scrub("电话 +86 138 1234 5678、(0871)65123456、wang＠qq.com")).toBe(
      "电话 +86 138 **** 5678、(0871)********、***＠qq.com"
    )
  })
})
