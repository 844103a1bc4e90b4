/**
 * The few `pg` and `pg-copy-streams` calls the PostgreSQL raw baseline of the
 * ingest bench makes (`@types/pg` is not installed: `pg` comes with
 * `@effect/sql-pg`; `pg-copy-streams` ships no types).
 */
declare module "pg" {
  interface QueryResult {
    readonly rows: Array<Record<string, unknown>>
  }
  export class Client {
    constructor(config: { readonly connectionString: string })
    connect(): Promise<void>
    query(text: string, values?: ReadonlyArray<unknown>): Promise<QueryResult>
    query<S extends object>(submittable: S): S
    end(): Promise<void>
  }
  const pg: { readonly Client: typeof Client }
  export default pg
}

declare module "pg-copy-streams" {
  import type { Writable } from "node:stream"

  /** A `COPY … FROM STDIN` in progress: write the text format, end, wait for `finish`. */
  interface CopyFromStream extends Writable {
    readonly rowCount: number
  }
  const copyStreams: { readonly from: (statement: string) => CopyFromStream }
  export default copyStreams
}
