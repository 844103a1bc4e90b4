import * as Case from "@civicgrid/core/Case"
import * as Privacy from "@civicgrid/core/Privacy"
import { describe, expect, it } from "@effect/vitest"
import * as Open311 from "../src/Open311.js"

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

  it("every case event has an update rule; reopening and escalation publish REOPEN and INTERNAL_REFERRAL", () => {
    expect(Object.keys(Open311.eventUpdates).sort()).toEqual([...Case.EventTag.literals].sort())
    expect(Open311.eventUpdates.Reopened).toBe("REOPEN")
    expect(Open311.eventUpdates.Escalated).toBe("INTERNAL_REFERRAL")
    expect(Open311.eventUpdates.SuspensionRequested).toBeNull()
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
