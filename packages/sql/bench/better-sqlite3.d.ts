/**
 * The few `better-sqlite3` calls the raw baselines make (the package ships no
 * types and `@types/better-sqlite3` is not installed).
 */
declare module "better-sqlite3" {
  interface Statement {
    run(...params: ReadonlyArray<unknown>): unknown
    all(...params: ReadonlyArray<unknown>): Array<Record<string, unknown>>
    iterate(...params: ReadonlyArray<unknown>): IterableIterator<unknown>
    raw(toggle?: boolean): Statement
  }
  interface Database {
    prepare(sql: string): Statement
    pragma(source: string): unknown
    exec(sql: string): void
    transaction<A extends ReadonlyArray<unknown>>(fn: (...args: A) => void): (...args: A) => void
    close(): void
  }
  const Database: new (filename: string) => Database
  export default Database
}
