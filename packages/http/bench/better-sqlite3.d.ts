/**
 * The few `better-sqlite3` calls the bare baseline server makes (the package
 * ships no types and `@types/better-sqlite3` is not installed).
 */
declare module "better-sqlite3" {
  export interface Statement {
    run(...params: ReadonlyArray<unknown>): { readonly changes: number }
    get(...params: ReadonlyArray<unknown>): Record<string, unknown> | undefined
    all(...params: ReadonlyArray<unknown>): Array<Record<string, unknown>>
  }
  export interface Database {
    prepare(sql: string): Statement
    pragma(source: string): unknown
    transaction<A extends ReadonlyArray<unknown>, R>(fn: (...args: A) => R): (...args: A) => R
    close(): void
  }
  const Database: new (filename: string) => Database
  export default Database
}
