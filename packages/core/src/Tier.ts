/**
 * 三级闭环 — the three-tier loop of the Panlong district report: a case is first owned by the
 * community where it happened (社区自循环 community self-loop), escalation moves
 * it to the street (街道微循环 street micro-loop), then to the district command
 * centre (区级小循环 district small loop). Nothing lies above the district.
 *
 * @since 0.1.0
 */
import * as Option from "effect/Option"
import * as Schema from "effect/Schema"

/**
 * 处置层级 — the tier that owns a case: `community` 社区, `street` 街道, `district` 区.
 *
 * @since 0.1.0
 * @category schemas
 */
export const Tier = Schema.Literal("community", "street", "district").annotations({
  identifier: "Tier",
  title: "处置层级 tier",
  description: "community 社区自循环 | street 街道微循环 | district 区级小循环"
})

/**
 * @since 0.1.0
 * @category models
 */
export type Tier = typeof Tier.Type

/**
 * The tiers from the bottom up.
 *
 * @since 0.1.0
 * @category constants
 */
export const all: ReadonlyArray<Tier> = ["community", "street", "district"]

/**
 * Chinese names of the tiers and their loops.
 *
 * @since 0.1.0
 * @category constants
 */
export const names: Readonly<Record<Tier, { readonly name: string; readonly loop: string }>> = {
  community: { name: "社区", loop: "社区自循环" },
  street: { name: "街道", loop: "街道微循环" },
  district: { name: "区", loop: "区级小循环" }
}

/**
 * The position of a tier, bottom up (community 0, street 1, district 2).
 *
 * @since 0.1.0
 * @category getters
 */
export const rank = (tier: Tier): number => all.indexOf(tier)

/**
 * The tier above, or none at the district: escalation never goes past the district.
 *
 * @since 0.1.0
 * @category getters
 */
export const next = (tier: Tier): Option.Option<Tier> => Option.fromNullable(all[rank(tier) + 1])

/**
 * The higher of two tiers.
 *
 * @since 0.1.0
 * @category combinators
 */
export const max = (a: Tier, b: Tier): Tier => (rank(a) >= rank(b) ? a : b)
