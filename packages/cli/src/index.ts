/**
 * @civicgrid/cli — the `civicgrid` command line: `civicgrid docs` generates
 * the reference docs from the code itself.
 *
 * @since 0.1.0
 */

/**
 * @since 0.1.0
 */
export * as Cli from "./Cli.js"

/**
 * @since 0.1.0
 */
export * as Docs from "./commands/Docs.js"

/**
 * @since 0.1.0
 */
export * as Reference from "./docs/Reference.js"
