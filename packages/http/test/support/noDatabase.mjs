// A module resolve hook (`module.register`) for the boundary test: resolving anything of a database —
// `@civicgrid/sql`, `@effect/sql*`, a SQL driver — throws, naming the module that asked for it.
const database = /^(@civicgrid\/sql|@effect\/sql(-[a-z0-9-]+)?|better-sqlite3|pg|postgres|mysql2?)(\/|$)/
const databaseUrl = /\/(packages\/sql\/|node_modules\/(@effect\/sql[^/]*|better-sqlite3|pg|postgres)\/)/

export async function resolve(specifier, context, next) {
  if (database.test(specifier)) {
    throw new Error(`boundary: ${specifier} imported from ${context.parentURL ?? "the entry point"}`)
  }
  const resolved = await next(specifier, context)
  if (databaseUrl.test(resolved.url)) {
    throw new Error(`boundary: ${resolved.url} imported from ${context.parentURL ?? "the entry point"}`)
  }
  return resolved
}
