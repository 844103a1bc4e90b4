/**
 * 议事配置 — `GET /deliberation/config` answers the settings the server
 * decides with (`DeliberationHandlers.configView`): the configured co-signer
 * threshold and roster size (never the roster's names), the configured meeting
 * kinds with their quorum and English names (the id when none is given), and
 * the core's vote fractions, bases and publication categories; the answer is
 * what the contract's schema encodes.
 */

import { ActorId } from "@civicgrid/core/Actor"
import * as Meeting from "@civicgrid/core/Meeting"
import * as Publication from "@civicgrid/core/Publication"
import * as Vote from "@civicgrid/core/Vote"
import { describe, expect, it } from "@effect/vitest"
import * as fc from "effect/FastCheck"
import * as Schema from "effect/Schema"
import { DeliberationConfigView } from "../src/Api.js"
import { configView } from "../src/DeliberationHandlers.js"

describe("GET /deliberation/config (configView)", () => {
  it("the defaults: five co-signers, no roster, the core's meeting kinds with English names", () => {
    const view = configView()
    expect(view.proposal).toEqual({ minCosigners: 5, roster: false, representatives: 0 })
    expect(view.meetingKinds.map((k) => [k.id, k.name, k.quorum])).toEqual(
      Meeting.defaultKinds.map((k) => [k.id, k.name, k.quorum])
    )
    expect(view.meetingKinds.every((k) => k.en.length > 0 && k.en !== k.id)).toBe(true)
    expect(view.publicationCategories.map((c) => c.id)).toEqual(Publication.Category.literals)
    expect(view.vote.defaultThreshold).toEqual(Vote.defaultThreshold)
    expect(Schema.is(DeliberationConfigView)(view)).toBe(true)
  })

  it.prop(
    "configured settings are shown as configured; a roster only by its size; a kind without en shows its id",
    [
      fc.integer({ min: 0, max: 1000 }),
      fc.option(fc.uniqueArray(fc.stringMatching(/^rep-[a-z0-9]{1,8}$/), { maxLength: 20 }), {
        nil: undefined
      }),
      fc.integer({ min: 1, max: 90 }),
      fc.boolean()
    ],
    ([minCosigners, roster, publicationDays, withEn]) => {
      const kinds: ReadonlyArray<Meeting.Kind> = [
        {
          id: Meeting.KindId.make("village-assembly"),
          name: "村民会议",
          ...(withEn ? { en: "villagers' assembly" } : {}),
          quorum: Vote.twoThirds
        }
      ]
      const view = configView({
        proposal: {
          minCosigners,
          ...(roster === undefined ? {} : { representatives: roster.map((r) => ActorId.make(r)) })
        },
        meetingKinds: kinds,
        publicationDays
      })
      expect(view.proposal).toEqual({
        minCosigners,
        roster: roster !== undefined,
        representatives: roster?.length ?? 0
      })
      for (const r of roster ?? []) expect(JSON.stringify(view)).not.toContain(`"${r}"`)
      expect(view.meetingKinds).toEqual([
        {
          id: "village-assembly",
          name: "村民会议",
          en: withEn ? "villagers' assembly" : "village-assembly",
          quorum: Vote.twoThirds
        }
      ])
      expect(view.publicationDays).toBe(publicationDays)
      expect(Schema.is(DeliberationConfigView)(view)).toBe(true)
    }
  )
})
