/**
 * @civicgrid/cli — the `civicgrid` command line: `migrate`, `seed` and
 * `serve` the demo street office on SQLite or PostgreSQL, `import` and
 * `export` the list ledgers (CSV, XLSX), and `docs`, which generates the
 * reference docs from the code itself.
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
 * 导出台账 — `civicgrid export`.
 *
 * @since 0.1.0
 */
export * as Export from "./commands/Export.js"
/**
 * 导入台账 — `civicgrid import`.
 *
 * @since 0.1.0
 */
export * as Import from "./commands/Import.js"
/**
 * 数据库迁移 — `civicgrid migrate`.
 *
 * @since 0.1.0
 */
export * as Migrate from "./commands/Migrate.js"
/**
 * 填充示范数据 — `civicgrid seed`.
 *
 * @since 0.1.0
 */
export * as Seed from "./commands/Seed.js"
/**
 * 街道办示范服务 — `civicgrid serve`.
 *
 * @since 0.1.0
 */
export * as Serve from "./commands/Serve.js"
/**
 * 数据库选项 — `--database` and `CIVICGRID_DATABASE_URL`.
 *
 * @since 0.1.0
 */
export * as DatabaseOption from "./DatabaseOption.js"

/**
 * @since 0.1.0
 */
export * as Reference from "./docs/Reference.js"
/**
 * 错误信息 — a failure's text for the user.
 *
 * @since 0.1.0
 */
export * as Failure from "./Failure.js"
/**
 * 台账文件 — lists, formats and file errors of `import` / `export`.
 *
 * @since 0.1.0
 */
export * as LedgerFile from "./LedgerFile.js"
