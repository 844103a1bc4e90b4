/**
 * Counting SQL statements: `@effect/sql` runs every statement in a span named
 * `sql.execute` (its text in the `db.query.text` attribute) and every
 * transaction in a span named `sql.transaction` (its `BEGIN` … `COMMIT` /
 * `ROLLBACK` go to the driver directly, outside any statement span). A tracer
 * wrapped around the current one records those spans while an effect runs —
 * the same on SQLite and PostgreSQL, whatever the driver.
 */
import * as Effect from "effect/Effect"
import * as Tracer from "effect/Tracer"

/** What an effect sent to the database. */
export interface Counted<A> {
  readonly value: A
  /** The text of every statement, in order. */
  readonly statements: ReadonlyArray<string>
  /** Transactions (and savepoints) opened: each is a `BEGIN` and a `COMMIT` / `ROLLBACK` more. */
  readonly transactions: number
  /** The name of every span opened, in order. */
  readonly spans: ReadonlyArray<string>
}

/** Round trips in all: the statements and each transaction's begin and end. */
export const roundTrips = (counted: Counted<unknown>): number =>
  counted.statements.length + 2 * counted.transactions

/** Runs an effect and records the statements and transactions it sent. */
export const counted = <A, E, R>(self: Effect.Effect<A, E, R>): Effect.Effect<Counted<A>, E, R> =>
  Effect.tracerWith((base) => {
    const statements: Array<Tracer.Span> = []
    const spans: Array<string> = []
    let transactions = 0
    const tracer = Tracer.make({
      span: (name, parent, context, links, startTime, kind, options) => {
        const span = base.span(name, parent, context, links, startTime, kind, options)
        spans.push(name)
        if (name === "sql.execute") statements.push(span)
        if (name === "sql.transaction") transactions++
        return span
      },
      context: (f, fiber) => base.context(f, fiber)
    })
    return Effect.map(Effect.withTracer(self, tracer), (value) => ({
      value,
      statements: statements.map((span) => String(span.attributes.get("db.query.text") ?? "")),
      transactions,
      spans
    }))
  })

/** The first words of each statement (`SELECT … FROM cg_cases`), for a readable listing. */
export const shape = (statement: string): string => {
  const text = statement.replace(/\s+/g, " ").trim()
  const verb = text.split(" ", 1)[0] ?? ""
  const table = /(?:FROM|INTO|UPDATE)\s+("?[\w.]+"?)/i.exec(text)?.[1] ?? ""
  return `${verb} ${table}`.trim()
}
