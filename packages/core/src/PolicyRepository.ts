/**
 * 配置仓库 — the port through which a street office keeps its own policies
 * (配置) instead of the built-in defaults: the 案件分类 category catalogue,
 * the 派遣规则 routing table and the 处置时限 time-limit policy, each stored as
 * one document. The core declares it; `@civicgrid/sql` implements it
 * (`SqlPolicyRepository`), `layerMemory` keeps it in memory.
 *
 * **Reads** (`catalogue`, `routing`, `timeLimits`) give none when nothing is
 * stored: the app then runs on its defaults (`inForce`).
 *
 * **Writes** replace a whole document and check it first, through the core
 * rules of the module that owns it; on `PolicyRefused` (every violation,
 * each naming its subject and rule) nothing is written:
 *
 * - a catalogue (`putCatalogue`): a valid tree (`CaseCategory.validate`),
 *   and the stored routing table and time-limit policy must still name only
 *   its categories (`Routing.tableViolations`, `TimeLimit.categoryViolations`);
 * - a routing table (`putRouting`): `Routing.tableViolations` against the
 *   catalogue in force (stored, else `defaultCatalogue`) and the stored
 *   hierarchy (a rule naming a unit needs one);
 * - a time-limit policy (`putTimeLimits`): `TimeLimit.makePolicy` (no two
 *   rules with one pattern) and `TimeLimit.categoryViolations` against the
 *   catalogue in force.
 *
 * A value that does not decode as its schema (an id too long, an unknown
 * urgency …) is refused with rule `schema`.
 *
 * @since 0.1.0
 */
import * as Arr from "effect/Array"
import * as Context from "effect/Context"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import * as ParseResult from "effect/ParseResult"
import * as Ref from "effect/Ref"
import * as Schema from "effect/Schema"
import * as CaseCategory from "./CaseCategory.js"
import type * as Hierarchy from "./Hierarchy.js"
import { HierarchyRepository } from "./HierarchyRepository.js"
import * as Routing from "./Routing.js"
import type { StorageUnavailable } from "./Storage.js"
import * as TimeLimit from "./TimeLimit.js"

/**
 * 配置种类 — which policy a document holds: `categories` 案件分类,
 * `routing` 派遣规则, `time-limits` 处置时限.
 *
 * @since 0.1.0
 * @category schemas
 */
export const PolicyKind = Schema.Literal("categories", "routing", "time-limits").annotations({
  identifier: "PolicyKind",
  title: "配置种类 policy kind",
  description: "categories 案件分类 | routing 派遣规则 | time-limits 处置时限"
})

/**
 * @since 0.1.0
 * @category models
 */
export type PolicyKind = typeof PolicyKind.Type

/**
 * The policy kinds, in order.
 *
 * @since 0.1.0
 * @category constants
 */
export const kinds: ReadonlyArray<PolicyKind> = ["categories", "routing", "time-limits"]

/**
 * Chinese names of the policy kinds.
 *
 * @since 0.1.0
 * @category constants
 */
export const kindNames: Readonly<Record<PolicyKind, string>> = {
  categories: "案件分类",
  routing: "派遣规则",
  "time-limits": "处置时限"
}

/**
 * 默认类别目录 — the catalogue in force when none is stored (the default of
 * `CaseService.makeConfig`: `CaseCategory.WithCommunityGovernance`).
 *
 * @since 0.1.0
 * @category constants
 */
export const defaultCatalogue: CaseCategory.Catalogue = CaseCategory.WithCommunityGovernance

/**
 * 文档 schemas — how each kind is stored: the catalogue's rows, the routing
 * rules, the time-limit rules.
 *
 * @since 0.1.0
 * @category schemas
 */
export const documents = {
  categories: Schema.Array(CaseCategory.Category),
  routing: Schema.Array(Routing.RoutingRule),
  "time-limits": Schema.Array(TimeLimit.Rule)
} as const

/**
 * 配置违规 — one violation of a policy document: its subject (a category id,
 * a routing rule id, a time-limit pattern, or a schema path), the rule it
 * breaks and a Chinese-first message.
 *
 * @since 0.1.0
 * @category errors
 */
export const PolicyViolation = Schema.Struct({
  subject: Schema.String,
  rule: Schema.String,
  message: Schema.String
}).annotations({ identifier: "PolicyViolation", title: "配置违规 policy violation" })

/**
 * @since 0.1.0
 * @category models
 */
export interface PolicyViolation extends Schema.Schema.Type<typeof PolicyViolation> {}

/**
 * 配置被拒绝 — a policy document that was refused, with every violation; nothing was written.
 *
 * @since 0.1.0
 * @category errors
 */
export class PolicyRefused extends Schema.TaggedError<PolicyRefused>()("PolicyRefused", {
  kind: PolicyKind,
  violations: Schema.NonEmptyArray(PolicyViolation)
}) {
  override get message(): string {
    return `${kindNames[this.kind]}配置被拒绝 ${this.kind} policy refused (${this.violations.length} violation(s)): ${this.violations
      .map((v) => v.message)
      .join("; ")}`
  }
}

/**
 * 配置仓库 — the port.
 *
 * @since 0.1.0
 * @category tags
 */
export class PolicyRepository extends Context.Tag("@civicgrid/core/PolicyRepository")<
  PolicyRepository,
  {
    /** The stored catalogue, or none. */
    readonly catalogue: Effect.Effect<Option.Option<CaseCategory.Catalogue>, StorageUnavailable>
    /** The stored routing table, or none. */
    readonly routing: Effect.Effect<Option.Option<ReadonlyArray<Routing.RoutingRule>>, StorageUnavailable>
    /** The stored time-limit policy, or none. */
    readonly timeLimits: Effect.Effect<Option.Option<TimeLimit.TimeLimitPolicy>, StorageUnavailable>
    /** Checks and stores a catalogue (replacing the stored one), all or nothing. */
    readonly putCatalogue: (
      rows: ReadonlyArray<CaseCategory.Category>
    ) => Effect.Effect<CaseCategory.Catalogue, PolicyRefused | StorageUnavailable>
    /** Checks and stores a routing table (replacing the stored one), all or nothing. */
    readonly putRouting: (
      rules: ReadonlyArray<Routing.RoutingRule>
    ) => Effect.Effect<ReadonlyArray<Routing.RoutingRule>, PolicyRefused | StorageUnavailable>
    /** Checks and stores a time-limit policy (replacing the stored one), all or nothing. */
    readonly putTimeLimits: (
      rules: ReadonlyArray<TimeLimit.Rule>
    ) => Effect.Effect<TimeLimit.TimeLimitPolicy, PolicyRefused | StorageUnavailable>
  }
>() {}

// -----------------------------------------------------------------------------
// checks
// -----------------------------------------------------------------------------

const refused = (
  kind: PolicyKind,
  violations: ReadonlyArray<PolicyViolation>
): Option.Option<PolicyRefused> =>
  Arr.isNonEmptyReadonlyArray(violations)
    ? Option.some(new PolicyRefused({ kind, violations: [violations[0], ...violations.slice(1)] }))
    : Option.none()

const schemaViolations = <A, I>(
  schema: Schema.Schema<A, I>,
  value: unknown
): ReadonlyArray<PolicyViolation> =>
  Either.match(Schema.validateEither(schema, { errors: "all" })(value), {
    onRight: () => [],
    onLeft: (error) =>
      ParseResult.ArrayFormatter.formatErrorSync(error).map((issue) => {
        const at = issue.path.map(String).join(".")
        return {
          subject: at,
          rule: "schema",
          message: `字段 ${at === "" ? "(document)" : at} 无效 (schema): ${issue.message}`
        }
      })
  })

const fromTable = (violations: ReadonlyArray<Routing.TableViolation>): ReadonlyArray<PolicyViolation> =>
  violations.map((v) => ({ subject: v.ruleId, rule: v.rule, message: v.message }))

/**
 * 校验类别目录 — the violations of a catalogue document: the tree rules
 * (`CaseCategory.validate`), then whether the stored routing table and
 * time-limit rules (when given) name only its categories.
 *
 * @since 0.1.0
 * @category validation
 */
export const checkCatalogue = (
  rows: ReadonlyArray<CaseCategory.Category>,
  stored: {
    readonly routing?: ReadonlyArray<Routing.RoutingRule>
    readonly timeLimits?: ReadonlyArray<TimeLimit.Rule>
    readonly hierarchy?: Option.Option<Hierarchy.Hierarchy>
  } = {}
): Either.Either<CaseCategory.Catalogue, PolicyRefused> => {
  const schema = schemaViolations(documents.categories, rows)
  if (schema.length > 0) return Either.left(Option.getOrThrow(refused("categories", schema)))
  return Either.flatMap(
    Either.mapLeft(CaseCategory.make(rows), (e) =>
      Option.getOrThrow(
        refused(
          "categories",
          e.violations.map((v) => ({ subject: v.categoryId, rule: v.rule, message: v.message }))
        )
      )
    ),
    (catalogue) => {
      const routing =
        stored.routing === undefined
          ? []
          : fromTable(
              Routing.tableViolations(stored.routing, {
                catalogue,
                hierarchy: stored.hierarchy ?? Option.none()
              }).filter((v) => v.rule === "unknown-category")
            ).map((v) => ({ ...v, message: `现存${v.message}` }))
      const limits =
        stored.timeLimits === undefined
          ? []
          : TimeLimit.categoryViolations(stored.timeLimits, catalogue).map((v) => ({
              ...v,
              message: `现存${v.message}`
            }))
      return Option.match(refused("categories", [...routing, ...limits]), {
        onNone: () => Either.right(catalogue),
        onSome: Either.left
      })
    }
  )
}

/**
 * 校验派遣规则 — the violations of a routing table against the catalogue in
 * force and the stored hierarchy (`Routing.tableViolations`).
 *
 * @since 0.1.0
 * @category validation
 */
export const checkRouting = (
  rules: ReadonlyArray<Routing.RoutingRule>,
  context: {
    readonly catalogue: CaseCategory.Catalogue
    readonly hierarchy: Option.Option<Hierarchy.Hierarchy>
  }
): Either.Either<ReadonlyArray<Routing.RoutingRule>, PolicyRefused> => {
  const schema = schemaViolations(documents.routing, rules)
  const violations = schema.length > 0 ? schema : fromTable(Routing.tableViolations(rules, context))
  return Option.match(refused("routing", violations), {
    onNone: () => Either.right(rules),
    onSome: Either.left
  })
}

/**
 * 校验处置时限 — the violations of a time-limit policy: `TimeLimit.makePolicy`
 * (no two rules with one pattern) and `TimeLimit.categoryViolations` against
 * the catalogue in force.
 *
 * @since 0.1.0
 * @category validation
 */
export const checkTimeLimits = (
  rules: ReadonlyArray<TimeLimit.Rule>,
  catalogue: CaseCategory.Catalogue
): Either.Either<TimeLimit.TimeLimitPolicy, PolicyRefused> => {
  const schema = schemaViolations(documents["time-limits"], rules)
  if (schema.length > 0) return Either.left(Option.getOrThrow(refused("time-limits", schema)))
  const clashes: ReadonlyArray<PolicyViolation> = Either.match(TimeLimit.makePolicy(rules), {
    onRight: () => [],
    onLeft: (e) => e.violations
  })
  const violations = [...clashes, ...TimeLimit.categoryViolations(rules, catalogue)]
  return Option.match(refused("time-limits", violations), {
    onNone: () => Either.right({ rules: [...rules] }),
    onSome: Either.left
  })
}

// -----------------------------------------------------------------------------
// implementations
// -----------------------------------------------------------------------------

/**
 * 文档存储 — what an adapter supplies to `make`: read and write one document
 * of a kind (its encoded form, `documents`), and run an effect atomically
 * (the reads and the write of one put; a transaction in SQL).
 *
 * @since 0.1.0
 * @category models
 */
export interface DocumentStore {
  readonly read: (kind: PolicyKind) => Effect.Effect<Option.Option<unknown>, StorageUnavailable>
  readonly write: (kind: PolicyKind, document: unknown) => Effect.Effect<void, StorageUnavailable>
  readonly atomically: <A, E>(self: Effect.Effect<A, E>) => Effect.Effect<A, E | StorageUnavailable>
}

/** Decodes a stored document (one that does not decode is a defect: the store holds what a put checked). */
const decodeStored =
  <A, I>(schema: Schema.Schema<A, I>) =>
  (document: Option.Option<unknown>): Option.Option<A> =>
    Option.map(document, (d) => Schema.decodeUnknownSync(schema)(d))

/**
 * 读取 — the reads of the port on a document store (no hierarchy needed):
 * each stored document decoded, or none.
 *
 * @since 0.1.0
 * @category constructors
 */
export const reads = (
  store: Pick<DocumentStore, "read">
): Pick<PolicyRepository["Type"], "catalogue" | "routing" | "timeLimits"> => ({
  catalogue: Effect.map(
    store.read("categories"),
    (d): Option.Option<CaseCategory.Catalogue> =>
      Option.map(decodeStored(documents.categories)(d), CaseCategory.unsafeMake)
  ).pipe(Effect.withSpan("PolicyRepository.catalogue")),
  routing: Effect.map(store.read("routing"), decodeStored(documents.routing)).pipe(
    Effect.withSpan("PolicyRepository.routing")
  ),
  timeLimits: Effect.map(store.read("time-limits"), (d) =>
    Option.map(decodeStored(documents["time-limits"])(d), (rules): TimeLimit.TimeLimitPolicy => ({ rules }))
  ).pipe(Effect.withSpan("PolicyRepository.timeLimits"))
})

/**
 * Builds the port on a document store: the reads decode the stored
 * documents (`reads`), the writes check through the core (the hierarchy read
 * from the `HierarchyRepository`) and write inside `atomically`.
 *
 * @since 0.1.0
 * @category constructors
 */
export const make = (
  store: DocumentStore
): Effect.Effect<PolicyRepository["Type"], never, HierarchyRepository> =>
  Effect.gen(function* () {
    const hierarchies = yield* HierarchyRepository
    const hierarchy = Effect.catchTag(
      Effect.asSome(hierarchies.load),
      "HierarchyNotFound",
      () => Effect.succeedNone
    )
    const read = reads(store)
    const routingRules = read.routing
    const limitRules = Effect.map(
      read.timeLimits,
      Option.map((p) => p.rules)
    )
    const inForceCatalogue = Effect.map(
      read.catalogue,
      Option.getOrElse(() => defaultCatalogue)
    )
    const encode = <A, I>(schema: Schema.Schema<A, I>, value: A): unknown => Schema.encodeSync(schema)(value)
    return PolicyRepository.of({
      ...read,
      putCatalogue: (rows) =>
        Effect.gen(function* () {
          const h = yield* hierarchy
          return yield* store.atomically(
            Effect.gen(function* () {
              const routing = yield* routingRules
              const limits = yield* limitRules
              const checked = yield* checkCatalogue(rows, {
                ...(Option.isSome(routing) ? { routing: routing.value } : {}),
                ...(Option.isSome(limits) ? { timeLimits: limits.value } : {}),
                hierarchy: h
              })
              yield* store.write("categories", encode(documents.categories, rows))
              return checked
            })
          )
        }).pipe(Effect.withSpan("PolicyRepository.putCatalogue")),
      putRouting: (rules) =>
        Effect.gen(function* () {
          const h = yield* hierarchy
          return yield* store.atomically(
            Effect.gen(function* () {
              const checked = yield* checkRouting(rules, { catalogue: yield* inForceCatalogue, hierarchy: h })
              yield* store.write("routing", encode(documents.routing, checked))
              return checked
            })
          )
        }).pipe(Effect.withSpan("PolicyRepository.putRouting")),
      putTimeLimits: (rules) =>
        store
          .atomically(
            Effect.gen(function* () {
              const policy = yield* checkTimeLimits(rules, yield* inForceCatalogue)
              yield* store.write("time-limits", encode(documents["time-limits"], policy.rules))
              return policy
            })
          )
          .pipe(Effect.withSpan("PolicyRepository.putTimeLimits"))
    })
  })

/**
 * An in-memory store (each layer build starts empty); the hierarchy comes
 * from the `HierarchyRepository`.
 *
 * @since 0.1.0
 * @category layers
 */
export const layerMemory: Layer.Layer<PolicyRepository, never, HierarchyRepository> = Layer.effect(
  PolicyRepository,
  Effect.gen(function* () {
    const ref = yield* Ref.make(new Map<PolicyKind, unknown>())
    const lock = yield* Effect.makeSemaphore(1)
    return yield* make({
      read: (kind) => Effect.map(Ref.get(ref), (m) => Option.fromNullable(m.get(kind))),
      write: (kind, document) =>
        Ref.update(ref, (m) => {
          const next = new Map(m)
          next.set(kind, document)
          return next
        }),
      atomically: (self) => lock.withPermits(1)(self)
    })
  })
)

/**
 * 配置默认值 — the defaults `inForce` falls back on where nothing is stored.
 *
 * @since 0.1.0
 * @category models
 */
export interface Defaults {
  readonly catalogue?: CaseCategory.Catalogue
  readonly rules?: ReadonlyArray<Routing.RoutingRule>
  readonly timeLimits?: TimeLimit.TimeLimitPolicy
}

/**
 * 现行配置 — the catalogue, routing table and time-limit policy an app runs on.
 *
 * @since 0.1.0
 * @category models
 */
export interface InForce {
  readonly catalogue: CaseCategory.Catalogue
  readonly rules: ReadonlyArray<Routing.RoutingRule>
  readonly timeLimits: TimeLimit.TimeLimitPolicy
  /** Which kinds come from the store (the others are the defaults). */
  readonly stored: ReadonlySet<PolicyKind>
}

/**
 * The policies in force from what is stored: each stored document, else the
 * given default (catalogue `defaultCatalogue`, no routing rules, time limits
 * `TimeLimit.defaultPolicy`).
 *
 * @since 0.1.0
 * @category getters
 */
export const resolve = (
  stored: {
    readonly catalogue: Option.Option<CaseCategory.Catalogue>
    readonly rules: Option.Option<ReadonlyArray<Routing.RoutingRule>>
    readonly timeLimits: Option.Option<TimeLimit.TimeLimitPolicy>
  },
  defaults: Defaults = {}
): InForce => {
  const kinds = new Set<PolicyKind>()
  if (Option.isSome(stored.catalogue)) kinds.add("categories")
  if (Option.isSome(stored.rules)) kinds.add("routing")
  if (Option.isSome(stored.timeLimits)) kinds.add("time-limits")
  return {
    catalogue: Option.getOrElse(stored.catalogue, () => defaults.catalogue ?? defaultCatalogue),
    rules: Option.getOrElse(stored.rules, () => defaults.rules ?? []),
    timeLimits: Option.getOrElse(stored.timeLimits, () => defaults.timeLimits ?? TimeLimit.defaultPolicy),
    stored: kinds
  }
}

/**
 * 现行配置 — what the app runs on, read from the port (`resolve`).
 *
 * @since 0.1.0
 * @category getters
 */
export const inForce = (
  defaults: Defaults = {}
): Effect.Effect<InForce, StorageUnavailable, PolicyRepository> =>
  Effect.gen(function* () {
    const repository = yield* PolicyRepository
    const catalogue = yield* repository.catalogue
    const rules = yield* repository.routing
    const timeLimits = yield* repository.timeLimits
    return resolve({ catalogue, rules, timeLimits }, defaults)
  })
