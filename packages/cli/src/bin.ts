/**
 * 可执行文件 — the `civicgrid` executable: runs `Cli.main` on the process arguments with
 * the Node file system, path and terminal; exits 1 on any failure (the
 * failure is reported by `Cli.main`).
 *
 * @since 0.1.0
 */
import * as NodeContext from "@effect/platform-node/NodeContext"
import * as NodeRuntime from "@effect/platform-node/NodeRuntime"
import * as Effect from "effect/Effect"
import * as Cli from "./Cli.js"

Cli.main(process.argv.slice(2)).pipe(Effect.provide(NodeContext.layer), (effect) =>
  NodeRuntime.runMain(effect, { disableErrorReporting: true })
)
