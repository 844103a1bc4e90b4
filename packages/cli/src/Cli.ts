/**
 * 命令行 — the `civicgrid` command: a root command composed of subcommands
 * (`docs` today; each lives in `src/commands/`). `run` parses the arguments
 * after the executable and runs the chosen subcommand; `main` also reports
 * failures on stderr, for the binary.
 *
 * @since 0.1.0
 */

import type * as CliApp from "@effect/cli/CliApp"
import * as Command from "@effect/cli/Command"
import * as HelpDoc from "@effect/cli/HelpDoc"
import * as ValidationError from "@effect/cli/ValidationError"
import * as Cause from "effect/Cause"
import * as Console from "effect/Console"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import * as Docs from "./commands/Docs.js"

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
export const subcommands = [Docs.command] as const

const summary =
  "civicgrid — tools for the civicgrid community-governance SDK (社区网格化治理). Run `civicgrid <command> --help` for a command's options."

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
      ...subcommands.map((c) => `  ${[...Command.getNames(c)].join(", ")}`),
      "",
      `Run \`${name} --help\` for usage.`
    ].join("\n")
  )
).pipe(Command.withDescription(summary), Command.withSubcommands(subcommands))

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
  const names = subcommands.flatMap((c) => [...Command.getNames(c)])
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
 * printed with the usage), the message of a typed error, the full cause of a
 * defect.
 *
 * @since 0.1.0
 * @category running
 */
export const describeFailure = <E>(cause: Cause.Cause<E>): Option.Option<string> =>
  Option.match(Cause.failureOption(cause), {
    onNone: () => (Cause.isInterruptedOnly(cause) ? Option.none() : Option.some(Cause.pretty(cause))),
    onSome: (error) =>
      ValidationError.isValidationError(error)
        ? Option.none()
        : Option.some(
            `${name}: ${typeof error === "object" && error !== null && "message" in error && typeof error.message === "string" ? error.message : String(error)}`
          )
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
