/**
 * 微心愿台账 — the micro-wish ledger: one row per wish with its current state
 * (`MicroWish.ts`, the community experience report's 微心愿圆梦行动): status, household reference,
 * what is wished, estimated value, claimant, the dates of each step and the
 * evidence references.
 *
 * Export the current states with `toRow` / `fromStates`. The ledger is a
 * snapshot for staff; the wish's event history stays the source of truth
 * (importing a ledger gives rows, not wishes).
 *
 * Like the wish itself, a row names the household only by unit id and display
 * label (PIPL): keep names, phones and ID numbers out of the label, title and
 * description.
 *
 * @since 0.1.0
 */
import { ActorId } from "@civicgrid/core/Actor"
import * as MicroWish from "@civicgrid/core/MicroWish"
import { UnitId } from "@civicgrid/core/Unit"
import * as Schema from "effect/Schema"
import * as Ledger from "./Ledger.js"

const claimantFields = ["claimantId", "claimantKind", "claimantLabel"] as const

/**
 * 微心愿台账行 — a wish's current state as a flat row. The three claimant
 * columns are filled together or left empty together.
 *
 * @since 0.1.0
 * @category schemas
 */
export const MicroWishRow = Schema.Struct({
  id: MicroWish.WishId,
  status: MicroWish.Status,
  communityId: UnitId,
  householdUnitId: UnitId,
  householdLabel: Schema.NonEmptyTrimmedString,
  title: Schema.NonEmptyTrimmedString,
  description: Schema.String,
  estimatedValue: MicroWish.Yuan,
  categories: Schema.Array(MicroWish.CategoryTag),
  claimantId: Schema.NullOr(ActorId),
  claimantKind: Schema.NullOr(MicroWish.ClaimantKind),
  claimantLabel: Schema.NullOr(Schema.NonEmptyTrimmedString),
  postedAt: Schema.DateTimeUtc,
  claimedAt: Schema.NullOr(Schema.DateTimeUtc),
  fulfilledAt: Schema.NullOr(Schema.DateTimeUtc),
  confirmedAt: Schema.NullOr(Schema.DateTimeUtc),
  evidence: Schema.Array(MicroWish.EvidenceRef),
  endReason: Schema.NullOr(Schema.NonEmptyTrimmedString),
  updatedAt: Schema.DateTimeUtc
})
  .pipe(
    Schema.filter((row) => {
      const filled = claimantFields.filter((f) => row[f] !== null).length
      return (
        filled === 0 ||
        filled === claimantFields.length ||
        "认领人编号、认领人类别、认领人须同时填写或同时为空 (claimant id, kind and name go together)"
      )
    })
  )
  .annotations({ identifier: "MicroWishRow", title: "微心愿台账行 micro-wish row" })

/**
 * @since 0.1.0
 * @category models
 */
export interface MicroWishRow extends Schema.Schema.Type<typeof MicroWishRow> {}

/**
 * The ledger row of a wish.
 *
 * @since 0.1.0
 * @category constructors
 */
export const toRow = (wish: MicroWish.MicroWish): MicroWishRow => ({
  id: wish.id,
  status: wish.status,
  communityId: wish.communityId,
  householdUnitId: wish.household.unitId,
  householdLabel: wish.household.label,
  title: wish.title,
  description: wish.description,
  estimatedValue: wish.estimatedValue,
  categories: wish.categories,
  claimantId: wish.claimant?.id ?? null,
  claimantKind: wish.claimant?.kind ?? null,
  claimantLabel: wish.claimant?.label ?? null,
  postedAt: wish.postedAt,
  claimedAt: wish.claimedAt,
  fulfilledAt: wish.fulfilledAt,
  confirmedAt: wish.confirmedAt,
  evidence: wish.evidence,
  endReason: wish.endReason,
  updatedAt: wish.updatedAt
})

/**
 * The ledger rows of some wish states, sorted by wish id (states without a
 * wish are skipped).
 *
 * @since 0.1.0
 * @category constructors
 */
export const fromStates = (states: Iterable<MicroWish.State>): ReadonlyArray<MicroWishRow> =>
  Array.from(states)
    .filter(MicroWish.isWish)
    .map(toRow)
    .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))

/**
 * 微心愿台账 — the spec.
 *
 * @since 0.1.0
 * @category specs
 */
export const spec: Ledger.LedgerSpec<MicroWishRow> = Ledger.make({
  sheet: "微心愿台账",
  schema: MicroWishRow,
  headers: {
    id: "心愿编号",
    status: { header: "状态", labels: MicroWish.statusNames },
    communityId: { header: "所属社区", reference: "unit" },
    householdUnitId: "户/楼栋编号",
    householdLabel: "困难户",
    title: { header: "心愿名称", width: 30 },
    description: { header: "心愿描述", width: 40 },
    estimatedValue: "预估价值（元）",
    categories: "心愿类别",
    claimantId: "认领人编号",
    claimantKind: { header: "认领人类别", labels: MicroWish.claimantKindNames },
    claimantLabel: "认领人",
    postedAt: "发布时间",
    claimedAt: "认领时间",
    fulfilledAt: "实现时间",
    confirmedAt: "确认时间",
    evidence: { header: "佐证材料", width: 40 },
    endReason: "撤回/取消原因",
    updatedAt: "最后更新"
  }
})
