import * as NodeContext from "@effect/platform-node/NodeContext"
import * as Cause from "effect/Cause"
import * as ConfigProvider from "effect/ConfigProvider"
import * as Console from "effect/Console"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import * as Option from "effect/Option"
import * as Cli from "../../src/Cli.js"
import * as Progress from "../../src/internal/Progress.js"

/** What a test console captured: stdout lines (`log`, `info` …) and stderr lines (`error`, `warn`). */
export interface Captured {
  readonly out: Array<string>
  readonly err: Array<string>
}

// biome-ignore lint/suspicious/noControlCharactersInRegex: ANSI escape sequences start with ESC
const ansi = /\u001b\[[0-9;]*m/g

/** Removes ANSI colours, as a terminal user reads the text. */
export const plain = (text: string): string => text.replace(ansi, "")

const text = (args: ReadonlyArray<unknown>): string => plain(args.map(String).join(" "))

/** A console that records what the CLI prints instead of printing it. */
export const make = (): { readonly console: Console.Console; readonly captured: Captured } => {
  const captured: Captured = { out: [], err: [] }
  const out = (...args: ReadonlyArray<unknown>) => Effect.sync(() => void captured.out.push(text(args)))
  const err = (...args: ReadonlyArray<unknown>) => Effect.sync(() => void captured.err.push(text(args)))
  const console: Console.Console = {
    [Console.TypeId]: Console.TypeId,
    assert: () => Effect.void,
    clear: Effect.void,
    count: () => Effect.void,
    countReset: () => Effect.void,
    debug: out,
    dir: (item) => out(item),
    dirxml: out,
    error: err,
    group: () => Effect.void,
    groupEnd: Effect.void,
    info: out,
    log: out,
    table: (data) => out(data),
    time: () => Effect.void,
    timeEnd: () => Effect.void,
    timeLog: () => Effect.void,
    trace: out,
    warn: err,
    unsafe: globalThis.console
  }
  return { console, captured }
}

/** What a run of the CLI may set: the environment it sees (nothing else of the real one), a terminal for progress. */
export interface RunOptions {
  /** The environment variables `Config` reads (default none: the real environment is never consulted). */
  readonly env?: Readonly<Record<string, string>>
  /** Whether progress is drawn for a terminal (default false: plain lines). */
  readonly tty?: boolean
}

/**
 * Runs the CLI in-process with a capturing console, as `civicgrid <args>` would, and returns its exit,
 * its output and its progress output (what would go to stderr as progress).
 */
export const runCli = (args: ReadonlyArray<string>, options: RunOptions = {}) =>
  Effect.gen(function* () {
    const { console, captured } = make()
    const progress: Array<string> = []
    const sink: Progress.Sink = {
      isTTY: options.tty ?? false,
      columns: 100,
      write: (text) => void progress.push(text)
    }
    const exit = yield* Cli.main(args).pipe(
      Effect.withConsole(console),
      Effect.provideService(Progress.Output, sink),
      Effect.withConfigProvider(ConfigProvider.fromMap(new Map(Object.entries(options.env ?? {})))),
      Effect.exit
    )
    return { exit, out: captured.out.join("\n"), err: captured.err.join("\n"), progress: progress.join("") }
  }).pipe(Effect.provide(NodeContext.layer))

/** The typed error an exit failed with, if it failed with one. */
export const failureOf = <A, E>(exit: Exit.Exit<A, E>): E | undefined =>
  Exit.isFailure(exit) ? Option.getOrUndefined(Cause.failureOption(exit.cause)) : undefined
