/**
 * @civicgrid/core — the community-governance domain (社区治理, 网格化管理) as
 * pure, property-tested functions.
 *
 * @since 0.1.0
 */

/**
 * @since 0.1.0
 */
export * as AreaCode from "./AreaCode.js"

/**
 * @since 0.1.0
 */
export * as Building from "./Building.js"

/**
 * @since 0.1.0
 */
export * as GeoJson from "./GeoJson.js"

/**
 * @since 0.1.0
 */
export * as Grid from "./Grid.js"

/**
 * @since 0.1.0
 */
export * as GridCode from "./GridCode.js"

/**
 * @since 0.1.0
 */
export * as LevelScheme from "./LevelScheme.js"

/**
 * @since 0.1.0
 */
export * as Unit from "./Unit.js"
