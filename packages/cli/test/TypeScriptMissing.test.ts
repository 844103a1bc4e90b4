import { existsSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import * as NodeContext from "@effect/platform-node/NodeContext"
import { describe, expect, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Option from "effect/Option"
import { vi } from "vitest"

// typescript is an optional peer dependency of @civicgrid/cli: here it is "not installed" — every
// import of it fails the way Node's does when the package is missing.
vi.mock("typescript", () => {
  throw new Error("Cannot find package 'typescript' imported from @civicgrid/cli")
})

describe("without typescript (an optional peer)", () => {
  it("the CLI's barrel and the reference modules still load", async () => {
    const cli = await import("../src/index.js")
    expect(Object.keys(cli)).toEqual(expect.arrayContaining(["Cli", "Docs", "Reference"]))
    expect(cli.Reference.indexPage).toBe("README.md")
  })

  it.effect("civicgrid docs fails with TypeScriptMissing, naming the package, in Chinese and English", () =>
    Effect.gen(function* () {
      const Sources = yield* Effect.promise(() => import("../src/docs/Sources.js"))
      const result = yield* Effect.either(Sources.load)
      expect(Either.isLeft(result)).toBe(true)
      if (Either.isLeft(result)) {
        const error = result.left
        expect(error._tag).toBe("TypeScriptMissing")
        expect(error.message).toContain("缺少 typescript 包")
        expect(error.message).toContain("the package typescript is missing")
        expect(error.message).toContain("npm install --save-dev typescript@^5.9.3")
      }
    }).pipe(Effect.provide(NodeContext.layer))
  )

  it.effect("the docs command's handler fails with the same error, writing nothing", () =>
    Effect.gen(function* () {
      const Docs = yield* Effect.promise(() => import("../src/commands/Docs.js"))
      const out = join(tmpdir(), `civicgrid-docs-no-typescript-${process.pid}`)
      const result = yield* Effect.either(Docs.handler({ check: false, out: Option.some(out) }))
      expect(Either.isLeft(result) && result.left._tag).toBe("TypeScriptMissing")
      expect(existsSync(out)).toBe(false)
    }).pipe(Effect.provide(NodeContext.layer))
  )
})
