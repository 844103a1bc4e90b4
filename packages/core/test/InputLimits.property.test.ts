/**
 * 输入上限 — every free-text and identifier field of the core's input schemas
 * is bounded and refuses control characters (issue 12, findings 1 and 7): for
 * each field, a generated value of exactly the limit is accepted, one
 * character more is refused with rule `max-length`, and any control character
 * inside is refused with rule `no-control-characters` — NUL in a dispatch's
 * `departmentId` or an escalation's `toUnitId` included, which once reached
 * PostgreSQL and failed there with a 500.
 *
 * The table below is also the documentation of the limits (see `Text.limits`).
 */
import { describe, expect, it } from "@effect/vitest"
import * as Arbitrary from "effect/Arbitrary"
import * as Either from "effect/Either"
import * as fc from "effect/FastCheck"
import type * as ParseResult from "effect/ParseResult"
import * as Schema from "effect/Schema"
import * as AccessList from "../src/AccessList.js"
import * as Building from "../src/Building.js"
import * as Case from "../src/Case.js"
import * as CaseCategory from "../src/CaseCategory.js"
import * as CaseCommand from "../src/CaseCommand.js"
import * as Department from "../src/Department.js"
import * as Grid from "../src/Grid.js"
import * as LevelScheme from "../src/LevelScheme.js"
import * as MicroWish from "../src/MicroWish.js"
import * as PartyOrganization from "../src/PartyOrganization.js"
import * as ResourceList from "../src/ResourceList.js"
import * as Routing from "../src/Routing.js"
import * as Staffing from "../src/Staffing.js"
import * as TaskList from "../src/TaskList.js"
import * as Text from "../src/Text.js"
import * as Unit from "../src/Unit.js"

type Path = ReadonlyArray<string | number>
type Decode = (value: unknown) => Either.Either<unknown, ParseResult.ParseError>

const setPath = (obj: unknown, path: Path, value: unknown): unknown => {
  const [key, ...rest] = path
  if (key === undefined) return value
  const current: object = typeof obj === "object" && obj !== null ? obj : typeof key === "number" ? [] : {}
  const inner = (current as Record<string | number, unknown>)[key]
  return Object.assign(Array.isArray(current) ? [...current] : { ...current }, {
    [key]: setPath(inner, rest, value)
  })
}

/**
 * A decoder of a schema and a valid encoded sample of it (from its own arbitrary, or from the
 * arbitrary of `sampleFrom`, a variant without fields whose generators are slow) to put fields into.
 */
const subject = <A, I, B, J>(
  schema: Schema.Schema<A, I>,
  sampleFrom?: Schema.Schema<B, J>
): { readonly decode: Decode; readonly base: unknown } => {
  const decode = Schema.decodeUnknownEither(schema)
  if (sampleFrom !== undefined) {
    const [sample] = fc.sample(Arbitrary.make(sampleFrom), { seed: 12, numRuns: 1 })
    if (sample === undefined) throw new Error("no sample")
    return { decode, base: Schema.encodeSync(sampleFrom)(sample) }
  }
  const [sample] = fc.sample(Arbitrary.make(schema), { seed: 12, numRuns: 1 })
  if (sample === undefined) throw new Error("no sample")
  return { decode, base: Schema.encodeSync(schema)(sample) }
}

type Kind = "line" | "paragraph"

interface Field {
  readonly name: string
  readonly max: number
  readonly kind: Kind
  readonly decode: Decode
  readonly base: unknown
  readonly put: (base: unknown, value: string) => unknown
}

const field =
  <A, I, B = A, J = I>(schemaName: string, schema: Schema.Schema<A, I>, sampleFrom?: Schema.Schema<B, J>) =>
  (path: Path, max: number, kind: Kind = "line", put?: (base: unknown, value: string) => unknown): Field => {
    const { base, decode } = subject(schema, sampleFrom)
    return {
      name: `${schemaName}.${path.join(".")}`,
      max,
      kind,
      decode,
      base,
      put: put ?? ((b, v) => setPath(b, path, v))
    }
  }

const { limits } = Text
const ID = limits.id
const meta = <A, I>(tag: string, schema: Schema.Schema<A, I>): ReadonlyArray<Field> => {
  const f = field(tag, schema)
  return [f(["caseId"], ID), f(["actor", "id"], ID), f(["actor", "unitId"], ID)]
}

const Report = field("Report", CaseCommand.Report)
const SelfHandle = field("SelfHandle", CaseCommand.SelfHandle)
const Dispatch = field("Dispatch", CaseCommand.Dispatch)
const Handle = field("Handle", CaseCommand.Handle)
const Post = field("MicroWish.Post", MicroWish.Post)

const fields: ReadonlyArray<Field> = [
  // case commands
  ...meta("Report", CaseCommand.Report),
  Report(["description"], limits.description, "paragraph"),
  Report(["categoryId"], ID),
  Report(["communityId"], ID),
  Report(["ownerUnitId"], ID),
  Report(["location", "unitId"], ID),
  Report(["location", "gridId"], ID),
  Report(["location", "address"], limits.address),
  Report(["contact", "name"], limits.name),
  Report(["attributes", "code"], limits.note, "paragraph"),
  Report(["attributes", "list", 0], limits.name),
  SelfHandle(["description"], limits.description, "paragraph"),
  SelfHandle(["result"], limits.note, "paragraph"),
  SelfHandle(["evidence", 0], limits.reference),
  Field0("Accept", CaseCommand.Accept, ["note"]),
  Field0("Reject", CaseCommand.Reject, ["reason"]),
  Field0("Void", CaseCommand.Void, ["note"]),
  ...meta("Dispatch", CaseCommand.Dispatch),
  Dispatch(["target", "departmentId"], ID, "line", (b, v) =>
    setPath(b, ["target"], { _tag: "Department", departmentId: v })
  ),
  Dispatch(["target", "unitId"], ID, "line", (b, v) => setPath(b, ["target"], { _tag: "Unit", unitId: v })),
  Dispatch(["note"], limits.note, "paragraph"),
  Field0("Return", CaseCommand.Return, ["reason"]),
  Handle(["result"], limits.note, "paragraph"),
  Handle(["evidence", 0], limits.reference),
  Field0("Verify", CaseCommand.Verify, ["note"]),
  Field0("Evaluate", CaseCommand.Evaluate, ["note"]),
  Field0("Reopen", CaseCommand.Reopen, ["reason"]),
  Field0("RequestSuspension", CaseCommand.RequestSuspension, ["reason"]),
  Field0("ApproveSuspension", CaseCommand.ApproveSuspension, ["note"]),
  Field0("DenySuspension", CaseCommand.DenySuspension, ["reason"]),
  Field0("Resume", CaseCommand.Resume, ["note"]),
  Field0("RequestExtension", CaseCommand.RequestExtension, ["reason"]),
  Field0("ApproveExtension", CaseCommand.ApproveExtension, ["note"]),
  Field0("DenyExtension", CaseCommand.DenyExtension, ["reason"]),
  field("Merge", CaseCommand.Merge)(["targetId"], ID),
  Field0("Merge", CaseCommand.Merge, ["note"]),
  ...meta("Escalate", CaseCommand.Escalate),
  field("Escalate", CaseCommand.Escalate)(["toUnitId"], ID),
  Field0("Escalate", CaseCommand.Escalate, ["reason"]),
  // micro-wishes
  Post(["wishId"], ID),
  Post(["title"], limits.name),
  Post(["description"], limits.description, "paragraph"),
  Post(["categories", 0], limits.tag),
  Post(["household", "label"], limits.name),
  field("MicroWish.Claim", MicroWish.Claim)(["claimant", "label"], limits.name),
  field("MicroWish.Claim", MicroWish.Claim)(["note"], limits.note, "paragraph"),
  field("MicroWish.Fulfil", MicroWish.Fulfil)(["evidence", 0], limits.reference),
  field("MicroWish.Cancel", MicroWish.Cancel)(["reason"], limits.note, "paragraph"),
  // hierarchy, grids, catalogue, lists
  // (area and grid codes and boundaries are left out of the samples: their generators are slow)
  field("Unit", Unit.Unit, Unit.Unit.pipe(Schema.omit("code")))(["id"], ID),
  field("Unit", Unit.Unit, Unit.Unit.pipe(Schema.omit("code")))(["name"], limits.name),
  field("Level", LevelScheme.Level)(["name"], limits.name),
  field("Building", Building.Building)(["name"], limits.name),
  field("Grid", Grid.Grid, Grid.Grid.pipe(Schema.omit("code", "boundary")))(["name"], limits.name),
  field("Grid", Grid.Grid, Grid.Grid.pipe(Schema.omit("code", "boundary")))(["id"], ID),
  field("MicroGrid", Grid.MicroGrid)(["name"], limits.name),
  field("Department", Department.Department)(["name"], limits.name),
  field("Department", Department.Department)(["nameEn"], limits.title),
  field("PartyOrganization", PartyOrganization.PartyOrganization)(["name"], limits.name),
  field("Person", Staffing.Person)(["name"], limits.name),
  field("Person", Staffing.Person)(["id"], ID),
  field("MinorClass", CaseCategory.MinorClass)(["name"], limits.name),
  field("MinorClass", CaseCategory.MinorClass)(["description"], limits.note, "paragraph"),
  field("MinorClass", CaseCategory.MinorClass)(["keywords", 0], limits.tag),
  field("Attribute", CaseCategory.Attribute)(["description"], limits.title),
  field("AccessItem", AccessList.AccessItem)(["name"], limits.title),
  field("AccessItem", AccessList.AccessItem)(["basis"], limits.title),
  field("AccessItem", AccessList.AccessItem)(["note"], limits.note, "paragraph"),
  field("Resource", ResourceList.Resource)(["name"], limits.name),
  field("Resource", ResourceList.Resource)(["description"], limits.description, "paragraph"),
  field("Resource", ResourceList.Resource)(["provider", "name"], limits.name),
  field("Task", TaskList.Task)(["title"], limits.title),
  field("Task", TaskList.Task)(["cancelReason"], limits.note),
  field("RoutingRule", Routing.RoutingRule)(["id"], ID)
]

function Field0<A, I>(tag: string, schema: Schema.Schema<A, I>, path: Path): Field {
  return field(tag, schema)(path, limits.note, "paragraph")
}

// generated field values: no spaces at the ends (single-line fields are trimmed), CJK and ASCII
const inner = fc.constantFrom("a", "Z", "0", "-", "_", "中", "文", "社", "区", "é", ".")
const textOfLength = (length: number) =>
  fc.array(inner, { minLength: length, maxLength: length }).map((cs) => cs.join(""))

const controls = (kind: Kind) =>
  fc
    .oneof(
      fc.integer({ min: 0, max: 0x1f }),
      fc.integer({ min: 0x7f, max: 0x9f }),
      fc.constantFrom(0x2028, 0x2029, 0x00)
    )
    .filter((c) => (kind === "paragraph" ? c !== 0x09 && c !== 0x0a && c !== 0x0d && c < 0x2028 : true))
    .map((c) => String.fromCharCode(c))

const messageOf = (result: Either.Either<unknown, ParseResult.ParseError>): string =>
  Either.isLeft(result) ? result.left.message : "accepted"

const runs = { fastCheck: { numRuns: 6, endOnFailure: true } }

describe("input limits — every field of every input schema (Text)", () => {
  for (const f of fields) {
    it.prop(
      `${f.name}: ${f.max} characters accepted, ${f.max + 1} refused (max-length), any control character refused (no-control-characters)`,
      [textOfLength(f.max), fc.nat(), controls(f.kind)],
      ([value, position, control]) => {
        const check = (v: string) => f.decode(f.put(f.base, v))
        expect(messageOf(check(value))).toBe("accepted")
        const over = check(`${value}a`)
        expect(messageOf(over)).toContain("rule max-length")
        // a control character inside the value (single-line fields are trimmed, so never at an end)
        const at = 1 + (position % Math.max(1, f.max - 2))
        const hostile = `${value.slice(0, at)}${control}${value.slice(at + 1)}`
        expect(hostile.length).toBe(f.max)
        expect(messageOf(check(hostile))).toContain("rule no-control-characters")
      },
      runs
    )
  }

  it("paragraph fields keep line breaks and tabs; single-line fields refuse them", () => {
    const handle = field("Handle", CaseCommand.Handle)(["result"], limits.note, "paragraph")
    expect(messageOf(handle.decode(handle.put(handle.base, "第一行\n第二行\r\n\t缩进")))).toBe("accepted")
    const address = field("Report", CaseCommand.Report)(["location", "address"], limits.address)
    expect(messageOf(address.decode(address.put(address.base, "金沙路\n1号")))).toContain(
      "rule no-control-characters"
    )
  })

  it("NUL in a dispatch's departmentId or an escalation's toUnitId is refused by the command union itself (finding 7)", () => {
    const decode = Schema.decodeUnknownEither(CaseCommand.CaseCommand)
    const dispatch = subject(CaseCommand.Dispatch).base
    const escalate = subject(CaseCommand.Escalate).base
    const nul = String.fromCharCode(0)
    const a = decode(setPath(dispatch, ["target"], { _tag: "Department", departmentId: `dept${nul}x` }))
    const b = decode(setPath(escalate, ["toUnitId"], `s-qingyun${nul}`))
    expect(messageOf(a)).toContain("rule no-control-characters")
    expect(messageOf(b)).toContain("rule no-control-characters")
  })

  it("an over-long evidence list, attribute set, attribute key or attribute list is refused (max-items / max-length)", () => {
    const handle = subject(CaseCommand.Handle)
    const evidence = Array.from({ length: limits.references + 1 }, (_, i) => `photo-${i}`)
    expect(messageOf(handle.decode(setPath(handle.base, ["evidence"], evidence)))).toContain("rule max-items")
    expect(messageOf(handle.decode(setPath(handle.base, ["evidence"], evidence.slice(1))))).toBe("accepted")
    const decodeAttributes = Schema.decodeUnknownEither(Case.Attributes)
    const many = Object.fromEntries(Array.from({ length: Case.maxAttributes + 1 }, (_, i) => [`k${i}`, i]))
    expect(messageOf(decodeAttributes(many))).toContain("rule max-items")
    expect(messageOf(decodeAttributes({ ["k".repeat(65)]: 1 }))).toContain("rule max-length")
    expect(messageOf(decodeAttributes({ ["k".repeat(64)]: 1 }))).toBe("accepted")
    expect(messageOf(decodeAttributes({ list: Array.from({ length: 51 }, () => "x") }))).toContain(
      "rule max-items"
    )
    const post = subject(MicroWish.Post)
    const tags = Array.from({ length: limits.tags + 1 }, (_, i) => `t${i}`)
    expect(messageOf(post.decode(setPath(post.base, ["categories"], tags)))).toContain("rule max-items")
  })

  it("a command's instant must exist on the calendar: 2025-02-30 is refused (rule valid-date)", () => {
    const accept = subject(CaseCommand.Accept)
    expect(messageOf(accept.decode(setPath(accept.base, ["at"], "2025-02-30T09:00:00Z")))).toContain(
      "rule valid-date"
    )
    expect(messageOf(accept.decode(setPath(accept.base, ["at"], "2024-02-29T09:00:00+08:00")))).toBe(
      "accepted"
    )
    const task = subject(TaskList.Task)
    expect(messageOf(task.decode(setPath(task.base, ["deadline"], "2023-02-29")))).toContain(
      "rule valid-date"
    )
  })
})

describe("phones (Text.Phone, rule phone-format)", () => {
  const decode = Schema.decodeUnknownEither(Case.Contact)

  it("accepts the forms people write", () => {
    for (const phone of [
      "13812345678",
      "+86 138 1234 5678",
      "+8613812345678",
      "138-1234-5678",
      "138 1234 5678",
      "0871-65123456",
      "(0871)65123456",
      "0871 65123456",
      "0871-65123456转801",
      "010-12345678 ext 12",
      "1234567"
    ]) {
      expect(messageOf(decode({ phone })), phone).toBe("accepted")
    }
  })

  it("refuses letters, too few or too many digits, a second +, control characters, and more than 32 characters", () => {
    for (const phone of [
      "call me",
      "138abcd5678",
      "123456",
      "1234567890123456",
      "+86+13812345678",
      "138\u00001234567",
      "138\n12345678",
      "１３８１２３４５６７８",
      "1-3-8-1-2-3-4-5-6-7-8-0-1-2-3-4-5"
    ]) {
      expect(messageOf(decode({ phone })), phone).toContain("rule phone-format")
    }
  })

  it.prop(
    "generated phones are valid and survive a decode; inserting a letter makes them invalid",
    [Text.Phone, fc.nat()],
    ([phone, i]) => {
      expect(Text.isPhone(phone)).toBe(true)
      expect(phone.length).toBeLessThanOrEqual(limits.phone)
      expect(messageOf(decode({ phone }))).toBe("accepted")
      const at = i % phone.length
      expect(Text.isPhone(`${phone.slice(0, at)}A${phone.slice(at)}`)).toBe(false)
    }
  )

  it("a staff member's phone is validated the same way", () => {
    const person = subject(Staffing.Person)
    expect(messageOf(person.decode(setPath(person.base, ["phone"], "138-1234-5678")))).toBe("accepted")
    expect(messageOf(person.decode(setPath(person.base, ["phone"], "not a phone")))).toContain(
      "rule phone-format"
    )
  })
})
