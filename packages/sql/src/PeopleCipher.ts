/**
 * 敏感字段加密 — encryption at rest of residents' personal information (name,
 * ID number 公民身份号码, phone: PIPL 《个人信息保护法》 第五十一条 "采取相应的加密、
 * 去标识化等安全技术措施") for `SqlPeopleRepository`.
 *
 * **Cipher.** AES-256-GCM (`node:crypto`): a fresh random 96-bit IV per
 * value, a 128-bit authentication tag, and the record's id as additional
 * authenticated data — a ciphertext copied onto another row does not open.
 * A sealed value is the text `v1.<key id>.<iv>.<ciphertext>.<tag>` (base64url
 * parts): the **key id travels with every ciphertext**, and the repository
 * also keeps it in a column of its own (`key_id`) so that rows under an old
 * key can be found.
 *
 * **Keys** come from configuration, never from the database: a `Keyring` of
 * 32-byte keys by id, each a `Redacted` (never logged), and the id of the
 * current key. `config` reads `CIVICGRID_PEOPLE_KEYS`, a comma-separated list
 * of `<id>:<base64 of 32 bytes>`, the **first** being current, e.g.
 * `k2026b:…,k2026a:…`; generate a key with
 * `node -e "console.log(require('crypto').randomBytes(32).toString('base64'))"`.
 *
 * **Rotation 密钥轮换.**
 *
 * 1. Generate a new key and put it **first** in the list, keeping the old
 *    ones after it (`k2:new,k1:old`). From the restart on, new and rewritten
 *    values are sealed with `k2`; values under `k1` still open.
 * 2. Re-encrypt the old rows: `SqlPeopleRepository.reseal` opens every row
 *    whose `key_id` is not the current key and seals it again under the
 *    current one, in batches, each in a transaction (safe to run while the
 *    app serves, safe to run again).
 * 3. When `SqlPeopleRepository.keysInUse` no longer lists `k1`, remove it
 *    from the list. A row under a key no longer configured does not open: it
 *    is a defect naming the key id, never plaintext or a guess.
 *
 * @since 0.1.0
 */
import { createCipheriv, createDecipheriv, randomBytes } from "node:crypto"
import * as Config from "effect/Config"
import * as ConfigError from "effect/ConfigError"
import * as Either from "effect/Either"
import * as Redacted from "effect/Redacted"
import * as Schema from "effect/Schema"

/**
 * 密钥环 — the keys by id and the id of the current key (the one that seals).
 *
 * @since 0.1.0
 * @category models
 */
export interface Keyring {
  readonly current: string
  readonly keys: ReadonlyMap<string, Redacted.Redacted<Uint8Array>>
}

/**
 * 密钥无效 — a key that is not 32 bytes of base64, an id that is empty or has
 * a `.`, `:` or `,`, a repeated id, no key at all, or a current id not in the ring.
 *
 * @since 0.1.0
 * @category errors
 */
export class KeyringInvalid extends Schema.TaggedError<KeyringInvalid>()("KeyringInvalid", {
  keyId: Schema.String,
  rule: Schema.Literal("key-length", "key-id", "duplicate-key-id", "no-keys", "unknown-current")
}) {
  override get message(): string {
    return `加密密钥配置无效 invalid people keyring: key "${this.keyId}" (rule ${this.rule}); keys are <id>:<base64 of 32 bytes>`
  }
}

/**
 * 密文无法解密 — a sealed value under a key the ring does not have, or one
 * that fails authentication (tampered, or moved to another record).
 *
 * @since 0.1.0
 * @category errors
 */
export class SealedValueUnreadable extends Schema.TaggedError<SealedValueUnreadable>()(
  "SealedValueUnreadable",
  {
    keyId: Schema.String,
    rule: Schema.Literal("unknown-key", "format", "authentication")
  }
) {
  override get message(): string {
    return `密文无法解密 a sealed value does not open: key "${this.keyId}" (rule ${this.rule})`
  }
}

const validId = (id: string): boolean => id.length > 0 && !/[.:,\s]/.test(id)

/**
 * Builds a keyring from keys given as base64 text; the current key is `current`.
 *
 * @since 0.1.0
 * @category constructors
 */
export const makeKeyring = (
  current: string,
  keys: ReadonlyArray<{ readonly id: string; readonly key: Redacted.Redacted<string> }>
): Either.Either<Keyring, KeyringInvalid> => {
  const out = new Map<string, Redacted.Redacted<Uint8Array>>()
  for (const { id, key } of keys) {
    if (!validId(id)) return Either.left(new KeyringInvalid({ keyId: id, rule: "key-id" }))
    if (out.has(id)) return Either.left(new KeyringInvalid({ keyId: id, rule: "duplicate-key-id" }))
    const bytes = Buffer.from(Redacted.value(key), "base64")
    if (bytes.length !== 32) return Either.left(new KeyringInvalid({ keyId: id, rule: "key-length" }))
    out.set(id, Redacted.make(new Uint8Array(bytes)))
  }
  if (out.size === 0) return Either.left(new KeyringInvalid({ keyId: current, rule: "no-keys" }))
  if (!out.has(current)) return Either.left(new KeyringInvalid({ keyId: current, rule: "unknown-current" }))
  return Either.right({ current, keys: out })
}

/**
 * Parses `<id>:<base64>,<id>:<base64>…` (the first is current).
 *
 * @since 0.1.0
 * @category constructors
 */
export const parseKeyring = (text: Redacted.Redacted<string>): Either.Either<Keyring, KeyringInvalid> => {
  const entries = Redacted.value(text)
    .split(",")
    .map((part) => part.trim())
    .filter((part) => part.length > 0)
    .map((part) => {
      const at = part.indexOf(":")
      return at < 0
        ? { id: part, key: Redacted.make("") }
        : { id: part.slice(0, at).trim(), key: Redacted.make(part.slice(at + 1).trim()) }
    })
  return makeKeyring(entries[0]?.id ?? "", entries)
}

/**
 * 配置 — the keyring from `CIVICGRID_PEOPLE_KEYS` (or the name given), read as `Redacted`.
 *
 * @since 0.1.0
 * @category config
 */
export const config = (name = "CIVICGRID_PEOPLE_KEYS"): Config.Config<Keyring> =>
  Config.mapOrFail(Config.redacted(name), (text) =>
    Either.mapLeft(parseKeyring(text), (e) => ConfigError.InvalidData([name], e.message))
  )

const b64 = (bytes: Uint8Array): string => Buffer.from(bytes).toString("base64url")

/**
 * 加密 — seals `plaintext` under the current key, bound to `aad` (the record's
 * id): the sealed text and the key id.
 *
 * @since 0.1.0
 * @category encryption
 */
export const seal = (
  keyring: Keyring,
  plaintext: string,
  aad: string
): { readonly keyId: string; readonly sealed: string } => {
  const key = keyring.keys.get(keyring.current)
  if (key === undefined) throw new Error(`the current key ${keyring.current} is not in the keyring`)
  const iv = randomBytes(12)
  const cipher = createCipheriv("aes-256-gcm", Redacted.value(key), iv)
  cipher.setAAD(Buffer.from(aad, "utf8"))
  const body = Buffer.concat([cipher.update(plaintext, "utf8"), cipher.final()])
  const tag = cipher.getAuthTag()
  return { keyId: keyring.current, sealed: `v1.${keyring.current}.${b64(iv)}.${b64(body)}.${b64(tag)}` }
}

/**
 * The key id a sealed value names (undefined for text that is not a sealed value).
 *
 * @since 0.1.0
 * @category encryption
 */
export const keyIdOf = (sealed: string): string | undefined => {
  const parts = sealed.split(".")
  return parts.length === 5 && parts[0] === "v1" ? parts[1] : undefined
}

/**
 * 解密 — opens a sealed value with the key it names, checking it was sealed for `aad`.
 *
 * @since 0.1.0
 * @category encryption
 */
export const open = (
  keyring: Keyring,
  sealed: string,
  aad: string
): Either.Either<string, SealedValueUnreadable> => {
  const [version, keyId = "", iv, body, tag] = sealed.split(".")
  if (version !== "v1" || iv === undefined || body === undefined || tag === undefined)
    return Either.left(new SealedValueUnreadable({ keyId, rule: "format" }))
  const key = keyring.keys.get(keyId)
  if (key === undefined) return Either.left(new SealedValueUnreadable({ keyId, rule: "unknown-key" }))
  try {
    const decipher = createDecipheriv("aes-256-gcm", Redacted.value(key), Buffer.from(iv, "base64url"))
    decipher.setAAD(Buffer.from(aad, "utf8"))
    decipher.setAuthTag(Buffer.from(tag, "base64url"))
    const text = Buffer.concat([decipher.update(Buffer.from(body, "base64url")), decipher.final()])
    return Either.right(text.toString("utf8"))
  } catch {
    return Either.left(new SealedValueUnreadable({ keyId, rule: "authentication" }))
  }
}
