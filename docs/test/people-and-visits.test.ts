/**
 * docs/guides/people-and-visits.md — key rotation of the people store: residents
 * sealed under the old key, re-sealed under the new one (once; a second run
 * changes nothing), read back in full after the old key is removed; no name or
 * phone stored in the clear.
 */

import { join } from "node:path"
import { tempDir } from "@civicgrid/testkit/Databases"
import { describe, expect, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as RotateKeys from "../guides/snippets/people-and-visits/rotate-keys.js"

describe("people and visits: key rotation", () => {
  it.scoped("re-seals every resident under the new key; the old key can then be removed", () =>
    Effect.gen(function* () {
      const dir = yield* tempDir("civicgrid-docs-")
      const result = yield* RotateKeys.rotation(join(dir, "people.sqlite"))
      expect(result).toEqual({
        sealedPrefix: "v1.k2026a",
        plaintextStored: false,
        inUseBefore: { k2026a: 1 },
        resealed: 1,
        resealedAgain: 0,
        inUseAfter: { k2026b: 1 },
        names: ["林永洪"]
      })
      expect([RotateKeys.before.current, RotateKeys.rotating.current, RotateKeys.after.current]).toEqual([
        "k2026a",
        "k2026b",
        "k2026b"
      ])
      expect([...RotateKeys.rotating.keys.keys()]).toEqual(["k2026b", "k2026a"])
    })
  )
})
