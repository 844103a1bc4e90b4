import * as Case from "@civicgrid/core/Case"
import * as CaseCommand from "@civicgrid/core/CaseCommand"
import * as Either from "effect/Either"
import * as Schema from "effect/Schema"

// Commands arrive as JSON (an HTTP body, a queue message): decode them with the core's schemas.
// Every field error is reported; instants are ISO strings, decoded to `DateTime.Utc`.
const decodeCommand = Schema.decodeUnknownEither(CaseCommand.CaseCommand, { errors: "all" })

const report = decodeCommand({
  _tag: "Report",
  caseId: "QY-2025-0002",
  actor: { id: "r-zhao", role: "resident", unitId: "jinsha-yuan-3" },
  at: "2025-03-04T20:15:00+08:00",
  source: "resident-app",
  categoryId: "SJ-0113", // 垃圾满溢 overflowing bins
  urgency: "normal",
  description: "小区垃圾桶满溢",
  location: { unitId: "jinsha-yuan-3" },
  communityId: "jinsha",
  tier: "community",
  anonymous: true // an anonymous report carries no contact
})

// decide: (command, state) → the events it causes, or a refusal. Pure: the state is not touched.
export const reported = Either.flatMap(report, (command) => Case.decide(command, Case.initial))
// → Right([Reported { sequence: 1, … }])

// evolve applies one event; fold applies a history from `Case.initial`.
export const state = Either.map(reported, (events) => Case.fold(events))
// → Case { status: "reported", version: 1, step: "filing", tier: "community", ownerUnitId: "jinsha", … }

// A refusal names every rule broken — here a resident may not accept (立案) a case:
const acceptByResident = decodeCommand({
  _tag: "Accept",
  caseId: "QY-2025-0002",
  actor: { id: "r-zhao", role: "resident", unitId: "jinsha-yuan-3" },
  at: "2025-03-05T09:00:00+08:00"
})
export const refusedRules = Either.all([acceptByResident, state]).pipe(
  Either.flatMap(([command, current]) => Case.decide(command, current)),
  Either.match({
    onLeft: (error) => (error._tag === "CaseRefused" ? error.violations.map((v) => v.rule) : []),
    onRight: () => []
  })
)
// → ["role"] (a malformed command would fail earlier, with a ParseError naming its fields)

// A store hands back events in order; `replay` is the strict fold that rejects a gap or a repeat.
export const replayed = Either.flatMap(reported, (events) => Case.replay([...events, ...events]))
// → Left(CaseReplayError { rule: "sequence", index: 1, sequence: 1, expected: 2 }): a repeated event
