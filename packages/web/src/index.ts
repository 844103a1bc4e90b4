/**
 * @civicgrid/web — 指挥调度中心, the reference web front end, and the layer serving it.
 *
 * @since 0.1.0
 */

/**
 * 指挥调度中心 — serves the built web front end beside the HTTP API.
 *
 * @since 0.1.0
 */
export * as Web from "./Web.js"
