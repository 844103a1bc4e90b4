/**
 * 上报输入生成器 — random `CaseService.ReportInput`s the decider accepts, and
 * their one-field variants, for the idempotency properties (the same
 * Idempotency-Key with a different body is refused, the same body replayed).
 *
 * Every field a client sends comes from the **command schema**
 * (`Arbitrary.make(CaseCommand.SelfHandle)`: description, urgency, contact,
 * anonymity, attributes, address and address id, publication consent,
 * media, a self-handling's result and evidence — each optional field present
 * or absent); the world
 * fixes what ties the report to the hierarchy (reporters, the location unit,
 * community-tier categories) and the source is one the reporter's role may
 * use (or none: the role's default). Candidates the decider refuses (a blank
 * description, a contact on an anonymous report …) are drawn again.
 *
 * @since 0.1.0
 */
import type { Actor } from "@civicgrid/core/Actor"
import { ActorId } from "@civicgrid/core/Actor"
import * as Case from "@civicgrid/core/Case"
import * as CaseCategory from "@civicgrid/core/CaseCategory"
import * as CaseCommand from "@civicgrid/core/CaseCommand"
import type * as CaseService from "@civicgrid/core/CaseService"
import { UnitId } from "@civicgrid/core/Unit"
import * as Arbitrary from "effect/Arbitrary"
import * as DateTime from "effect/DateTime"
import * as Either from "effect/Either"
import * as fc from "effect/FastCheck"
import * as Option from "effect/Option"

/**
 * Where reports are made: who reports (roles that may report in the unit),
 * the location unit and its community, the community-tier categories of the
 * catalogue (the catalogue's ids), the catalogue (for default urgencies).
 *
 * @since 0.1.0
 * @category models
 */
export interface World {
  readonly actors: ReadonlyArray<Actor>
  readonly unitId: string
  readonly communityId: string
  readonly categories: ReadonlyArray<string>
  readonly catalogue: CaseCategory.Catalogue
}

const T0 = Date.UTC(2024, 2, 4, 1, 0)

const fields = Arbitrary.make(CaseCommand.SelfHandle)

/** The command `CaseService.report` decides for an input (community tier, as in the world). */
const commandOf = (world: World, input: CaseService.ReportInput): CaseCommand.CaseCommand => {
  const minor = CaseCategory.getMinor(world.catalogue, input.categoryId)
  const report = {
    caseId: Case.CaseId.make(input.caseId ?? "generated"),
    actor: input.actor,
    at: input.at,
    source: input.source ?? Case.defaultSourceOf(input.actor.role) ?? "assigned",
    categoryId: CaseCategory.CategoryId.make(input.categoryId),
    urgency: input.urgency ?? (Option.isSome(minor) ? CaseCategory.urgencyOf(minor.value) : "normal"),
    description: input.description,
    location: {
      unitId: UnitId.make(input.location.unitId ?? world.unitId),
      ...(input.location.address === undefined ? {} : { address: input.location.address }),
      ...(input.location.addressId === undefined ? {} : { addressId: input.location.addressId })
    },
    communityId: UnitId.make(world.communityId),
    tier: "community" as const,
    anonymous: input.anonymous ?? false,
    ...(input.contact === undefined ? {} : { contact: input.contact }),
    ...(input.attributes === undefined ? {} : { attributes: input.attributes }),
    ...(input.publishExact === undefined ? {} : { publishExact: input.publishExact }),
    ...(input.notifyReporter === undefined ? {} : { notifyReporter: input.notifyReporter }),
    ...(input.media === undefined ? {} : { media: input.media })
  }
  return input.selfHandle === undefined
    ? { _tag: "Report", ...report }
    : {
        _tag: "SelfHandle",
        ...report,
        result: input.selfHandle.result,
        evidence: input.selfHandle.evidence
      }
}

/**
 * Whether the decider accepts the input's report.
 *
 * @since 0.1.0
 * @category predicates
 */
export const accepted = (world: World, input: CaseService.ReportInput): boolean =>
  Either.isRight(Case.decide(commandOf(world, input), Case.initial))

/**
 * Report inputs the decider accepts (see the module note), with a case id and
 * an instant of their own.
 *
 * @since 0.1.0
 * @category generators
 */
export const reportInputs = (world: World): fc.Arbitrary<CaseService.ReportInput> =>
  fc
    .record({
      actor: fc.constantFrom(...world.actors),
      categoryId: fc.constantFrom(...world.categories),
      command: fields,
      withUrgency: fc.boolean(),
      sourcePick: fc.option(fc.nat(), { nil: undefined }),
      selfHandle: fc.boolean(),
      at: fc.integer({ min: 0, max: 1_000_000 }),
      caseId: fc.uuid()
    })
    .map(({ actor, categoryId, command, withUrgency, sourcePick, selfHandle, at, caseId }) => {
      const sources = Case.reportSources[actor.role]
      const source = sourcePick === undefined ? undefined : sources[sourcePick % sources.length]
      const input: CaseService.ReportInput = {
        caseId,
        actor,
        at: DateTime.unsafeMake(T0 + at),
        categoryId,
        description: command.description,
        location: {
          unitId: world.unitId,
          ...(command.location.address === undefined ? {} : { address: command.location.address }),
          ...(command.location.addressId === undefined ? {} : { addressId: command.location.addressId })
        },
        ...(source === undefined ? {} : { source }),
        ...(withUrgency ? { urgency: command.urgency } : {}),
        anonymous: command.anonymous,
        ...(command.contact === undefined ? {} : { contact: command.contact }),
        ...(command.attributes === undefined ? {} : { attributes: command.attributes }),
        ...(command.publishExact === undefined ? {} : { publishExact: command.publishExact }),
        ...(command.notifyReporter === undefined ? {} : { notifyReporter: command.notifyReporter }),
        ...(command.media === undefined ? {} : { media: command.media }),
        ...(selfHandle && actor.role === "grid-worker"
          ? { selfHandle: { result: command.result, evidence: command.evidence } }
          : {})
      }
      return input
    })
    .filter((input) => accepted(world, input))

/**
 * One changed field of a report: its name and the input with it changed.
 *
 * @since 0.1.0
 * @category models
 */
export interface Variant {
  readonly field: string
  readonly input: CaseService.ReportInput
}

const urgencies = CaseCategory.Urgency.literals

/**
 * The variants of an input that change ONE field a client sends (each
 * different from the original after the decider's normalisation): the
 * reporter, the category, the description, the urgency, the source, the
 * address, the address id, the contact, anonymity, the attributes, the
 * publication consent, the media, self-handling. Variants that would be the same report are left out.
 *
 * @since 0.1.0
 * @category generators
 */
export const variants = (world: World, input: CaseService.ReportInput): ReadonlyArray<Variant> => {
  const out: Array<Variant> = []
  const add = (field: string, changed: Partial<CaseService.ReportInput>) =>
    out.push({ field, input: { ...input, ...changed } })
  const minor = CaseCategory.getMinor(world.catalogue, input.categoryId)
  const urgency = input.urgency ?? (Option.isSome(minor) ? CaseCategory.urgencyOf(minor.value) : "normal")
  const source = input.source ?? Case.defaultSourceOf(input.actor.role)
  add("actor", { actor: { ...input.actor, id: ActorId.make(`${input.actor.id}-other`) } })
  const otherCategory = world.categories.find((c) => c !== input.categoryId)
  if (otherCategory !== undefined) add("categoryId", { categoryId: otherCategory })
  add("description", { description: `${input.description.trim()}（补充）` })
  const otherUrgency = urgencies.find((u) => u !== urgency)
  if (otherUrgency !== undefined) add("urgency", { urgency: otherUrgency })
  const otherSource = Case.reportSources[input.actor.role].find((s) => s !== source)
  if (otherSource !== undefined) add("source", { source: otherSource })
  add("location", {
    location: { ...input.location, address: `${input.location.address?.trim() ?? ""}另一地址` }
  })
  add("location", {
    location: { ...input.location, addressId: `${input.location.addressId ?? "addr"}-other`.slice(-128) }
  })
  if (input.anonymous !== true) {
    add("contact", {
      contact: { ...input.contact, name: `${input.contact?.name?.trim() ?? ""}另一人` }
    })
  }
  add("anonymous", { anonymous: !(input.anonymous ?? false) })
  add("attributes", { attributes: { ...input.attributes, "idempotency-variant": "changed" } })
  add("publishExact", { publishExact: !(input.publishExact ?? false) })
  // consent to notifications needs a contact phone (rule notify-needs-contact)
  if (input.anonymous !== true && input.contact?.phone !== undefined) {
    add("notifyReporter", { notifyReporter: !(input.notifyReporter ?? false) })
  }
  add("media", {
    media: [...(input.media ?? []).slice(0, Case.maxMedia - 1), "https://example.org/idempotency-variant.jpg"]
  })
  if (input.selfHandle === undefined) {
    add("selfHandle", { selfHandle: { result: "已当场处理", evidence: ["photo://variant"] } })
  } else {
    const { selfHandle, ...rest } = input
    out.push({ field: "selfHandle", input: rest })
    add("selfHandle.result", {
      selfHandle: { ...selfHandle, result: `${selfHandle.result.trim()}（补充）` }
    })
  }
  return out
}
