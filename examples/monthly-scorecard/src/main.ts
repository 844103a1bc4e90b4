/**
 * 月度考核 — prints a district's monthly scorecard from its case ledger:
 *
 * ```sh
 * npm start --workspace=@civicgrid/example-monthly-scorecard -- --month 2025-10 --file data/cases-2025-10.csv
 * ```
 *
 * Exit code 0 with the scorecard on stdout; 2 for bad arguments, 1 for a bad
 * or unreadable file (each bad cell named by row and column on stderr).
 *
 * @since 0.1.0
 */
import * as NodeFileSystem from "@effect/platform-node/NodeFileSystem"
import * as NodeRuntime from "@effect/platform-node/NodeRuntime"
import * as Console from "effect/Console"
import * as Effect from "effect/Effect"
import * as Cli from "./cli.js"

const program = Cli.run(process.argv.slice(2)).pipe(
  Effect.flatMap((text) => Console.log(text)),
  Effect.catchAll((error) =>
    Console.error(Cli.describeError(error)).pipe(
      Effect.zipRight(
        Effect.sync(() => {
          process.exitCode = Cli.exitCodeOf(error)
        })
      )
    )
  ),
  Effect.provide(NodeFileSystem.layer)
)

NodeRuntime.runMain(program)
