/**
 * docs/guides/deliberation.md — one topic through the deliberation decider in
 * memory: proposal, co-signers and the agenda threshold, a meeting with its
 * quorum, a one-vote-per-household vote whose result recomputes from the
 * ballots, a resolution whose item becomes a supervised task, implementation
 * and publication; the refusals name their rules.
 */

import * as Vote from "@civicgrid/core/Vote"
import { assert, describe, expect, it } from "@effect/vitest"
import * as TopicPath from "../guides/snippets/deliberation/topic-path.js"

describe("deliberation: a topic from proposal to publication", () => {
  it("decides every command into its events, and refuses with the rule broken", () => {
    expect(TopicPath.history).toEqual([
      "Submitted",
      "Cosign refused: self-cosign",
      "PutOnAgenda refused: threshold-not-reached",
      "Cosigned",
      "Cosigned",
      "AgendaSet",
      "MeetingHeld",
      "VoteOpened",
      "BallotCast",
      "CastBallot refused: double-vote",
      "BallotCast",
      "BallotCast",
      "BallotCast",
      "VoteClosed",
      "Resolved",
      "TaskUpdated",
      "TaskUpdated",
      "Implemented",
      "Published"
    ])
  })

  it("ends published, with the co-signers, the carried vote, the supervised task done on time", () => {
    const topic = TopicPath.topic
    if (topic === undefined) return assert.fail("no topic")
    expect(topic.status).toBe("published")
    expect(topic.cosigners).toEqual(["r-3", "r-4"])
    expect(topic.ballots.map((b) => `${b.voterId}:${b.option}`)).toEqual([
      "r-1:agree",
      "r-3:agree",
      "r-4:disagree",
      "r-5:agree"
    ])
    expect(topic.tasks.map((t) => [t.id, t.status, t.timeliness, t.supervision?.level])).toEqual([
      ["yi-2026-12-1", "done", "on-time", "street"]
    ])
    expect(topic.implementedOnTime).toBe(true)
    expect(topic.publication?.category).toBe("residents-affairs")
    // 居务公开: 90 days on display by default
    expect(topic.publication?.retainUntil.toJSON()).toBe("2027-03-16T02:00:00.000Z")
  })

  it("recomputes the result from the stored ballots", () => {
    expect(TopicPath.recounted).toEqual({
      counts: [
        { option: "agree", votes: 3 },
        { option: "disagree", votes: 1 },
        { option: "abstain", votes: 0 }
      ],
      turnout: { numerator: 4, denominator: 4 },
      base: 4,
      turnoutMet: true,
      carried: "agree",
      ignored: 0
    })
    const topic = TopicPath.topic
    if (topic?.result == null || TopicPath.recounted === undefined) return assert.fail("no result")
    expect(Vote.sameResult(TopicPath.recounted, topic.result)).toBe(true)
    expect(TopicPath.recomputes).toBe(true)
  })

  it("words a refusal in Chinese and English", () => {
    expect(TopicPath.refusal).toBe(
      "topic yi-2026-12 (published 已公开): Cosign refused — [status] 当前状态不允许: the command is not allowed in the topic's status (联名 is not allowed while 已公开)"
    )
  })
})
