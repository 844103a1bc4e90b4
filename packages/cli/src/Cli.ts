/**
 * 命令行 — the `civicgrid` command: a root command composed of subcommands
 * (`migrate`, `seed`, `serve`, `keys`, `import`, `export`, `template`, `calendar`,
 * `docs`; each lives in
 * `src/commands/`). `run` parses the arguments after the executable and runs
 * the chosen subcommand; `main` also reports failures on stderr (through
 * `Failure.message`), for the binary.
 *
 * @since 0.1.0
 */

import type * as CliApp from "@effect/cli/CliApp"
import * as Command from "@effect/cli/Command"
import * as HelpDoc from "@effect/cli/HelpDoc"
import * as Span from "@effect/cli/HelpDoc/Span"
import * as ValidationError from "@effect/cli/ValidationError"
import * as Arr from "effect/Array"
import * as Cause from "effect/Cause"
import * as Console from "effect/Console"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import * as Calendar from "./commands/Calendar.js"
import * as Docs from "./commands/Docs.js"
import * as Export from "./commands/Export.js"
import * as Import from "./commands/Import.js"
import * as Keys from "./commands/Keys.js"
import * as Migrate from "./commands/Migrate.js"
import * as Report from "./commands/Report.js"
import * as Seed from "./commands/Seed.js"
import * as Serve from "./commands/Serve.js"
import * as Template from "./commands/Template.js"
import * as DatabaseOption from "./DatabaseOption.js"
import * as Failure from "./Failure.js"

/**
 * The CLI's version (the package version).
 *
 * @since 0.1.0
 * @category constants
 */
export const version = "0.1.0"

/**
 * The executable name.
 *
 * @since 0.1.0
 * @category constants
 */
export const name = "civicgrid"

/**
 * The subcommands, in help order.
 *
 * @since 0.1.0
 * @category commands
 */
export const subcommands = [
  Migrate.command,
  Seed.command,
  Serve.command,
  Keys.command,
  Import.command,
  Export.command,
  Report.command,
  Template.command,
  Calendar.command,
  Docs.command
] as const

const summary =
  "civicgrid — tools for the civicgrid community-governance SDK (社区网格化治理). Run `civicgrid <command> --help` for a command's options."

type NameOf<C> = C extends Command.Command<infer Name, infer _R, infer _E, infer _A> ? Name : never

/**
 * The subcommands' names, in help order (the test suite checks they are
 * exactly the names of `subcommands`).
 *
 * @since 0.1.0
 * @category commands
 */
export const commandNames: Arr.NonEmptyReadonlyArray<NameOf<(typeof subcommands)[number]>> = [
  "migrate",
  "seed",
  "serve",
  "keys",
  "import",
  "export",
  "report",
  "template",
  "calendar",
  "docs"
]

/**
 * One line per subcommand, for `civicgrid` without a command.
 *
 * @since 0.1.0
 * @category commands
 */
export const commandSummaries: Readonly<Record<NameOf<(typeof subcommands)[number]>, string>> = {
  migrate: "apply the database migrations (SQLite or PostgreSQL)",
  seed: "migrate, then seed the demo district (sized by options), with progress",
  serve: "run the street-office server: API, /docs, Open311, /health (demo data only with --seed)",
  keys: "issue, list and revoke bearer tokens and Open311 api_keys (shown once, stored hashed)",
  import: "import a problem, resource or task ledger (CSV or XLSX), all rows or none",
  export: "export a problem, resource or task ledger (CSV or XLSX)",
  report: "write the 月度考核通报 (rankings, indicators, red-light cases) of a unit's child units as XLSX",
  template: "write an empty XLSX ledger template (填表说明, headers, drop-downs) to fill in and import",
  calendar: "load a year's official holiday schedule (import); the loaded years and last day (list)",
  docs: "generate docs/reference from the code"
}

const databaseLine =
  `Database (migrate, seed, serve, keys, import, export): --database <url>, else ${DatabaseOption.variable}, ` +
  `else the SQLite file ./${DatabaseOption.defaultFile} under the current directory.`

/**
 * The root command: `civicgrid <command>`. Without a command it prints the
 * commands.
 *
 * @since 0.1.0
 * @category commands
 */
export const command = Command.make(name, {}, () =>
  Console.log(
    [
      summary,
      "",
      "Commands:",
      ...commandNames.map((n) => `  ${n.padEnd(9)} ${commandSummaries[n]}`),
      "",
      databaseLine,
      `Run \`${name} --help\` for usage.`
    ].join("\n")
  )
).pipe(
  Command.withDescription(
    HelpDoc.blocks([
      HelpDoc.p(summary),
      HelpDoc.descriptionList(
        Arr.map(commandNames, (n): [Span.Span, HelpDoc.HelpDoc] => [
          Span.text(n),
          HelpDoc.p(commandSummaries[n])
        ])
      ),
      HelpDoc.p(databaseLine)
    ])
  ),
  Command.withSubcommands(subcommands)
)

const cli = Command.run(command, { name, version })

/**
 * Runs the CLI on the arguments after the executable (`process.argv.slice(2)`).
 * Invalid input fails with a `ValidationError` after its message has been
 * printed on stderr.
 *
 * @since 0.1.0
 * @category running
 */
export const run = (
  args: ReadonlyArray<string>
): Effect.Effect<void, Effect.Effect.Error<ReturnType<typeof cli>>, CliApp.CliApp.Environment> => {
  const [first] = args
  const names: ReadonlyArray<string> = commandNames
  if (first !== undefined && !first.startsWith("-") && !names.includes(first)) {
    // @effect/cli says "Invalid subcommand" without naming it; name the word the user typed.
    const error = HelpDoc.p(
      `Unknown command '${first}'. Commands: ${names.join(", ")}. Run '${name} --help' for usage.`
    )
    return Console.error(HelpDoc.toAnsiText(error)).pipe(
      Effect.zipRight(Effect.fail(ValidationError.commandMismatch(error)))
    )
  }
  return cli(["node", name, ...args])
}

/**
 * A failure's message for stderr: nothing for a `ValidationError` (already
 * printed with the usage) or an interruption (Ctrl-C), the text of a typed
 * error (`Failure.message`), one line for a database error that ended the
 * command as a defect (`Failure.defectMessage`), the full cause of any other
 * defect.
 *
 * @since 0.1.0
 * @category running
 */
export const describeFailure = <E>(cause: Cause.Cause<E>): Option.Option<string> =>
  Option.match(Cause.failureOption(cause), {
    onNone: () => {
      if (Cause.isInterruptedOnly(cause)) return Option.none()
      const database = Option.flatMap(Cause.dieOption(cause), (d) =>
        Option.fromNullable(Failure.defectMessage(d))
      )
      return Option.some(
        Option.match(database, { onNone: () => Cause.pretty(cause), onSome: (line) => `${name}: ${line}` })
      )
    },
    onSome: (error) =>
      ValidationError.isValidationError(error)
        ? Option.none()
        : Option.some(`${name}: ${Failure.message(error)}`)
  })

/**
 * `run`, reporting failures on stderr (the process exits 1 on any failure).
 *
 * @since 0.1.0
 * @category running
 */
export const main = (
  args: ReadonlyArray<string>
): Effect.Effect<void, Effect.Effect.Error<ReturnType<typeof cli>>, CliApp.CliApp.Environment> =>
  run(args).pipe(
    Effect.tapErrorCause((cause) =>
      Option.match(describeFailure(cause), {
        onNone: () => Effect.void,
        onSome: (text) => Console.error(text)
      })
    )
  )
