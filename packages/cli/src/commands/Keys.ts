/**
 * 密钥管理 — `civicgrid keys issue|list|revoke`: the bearer tokens (one per
 * principal: id, role, unit, and a department for the `department` role) and
 * Open311 `api_key`s (one per client) of the SQL key store (`SqlApiKeys` of
 * `@civicgrid/sql`, table `cg_api_keys`), on the database `--database` /
 * `CIVICGRID_DATABASE_URL` names.
 *
 * - `issue` checks the principal with the HTTP rules (`Principal.validate`),
 *   migrates, stores only a hash of the new key and prints the key ONCE: it
 *   cannot be read back. `--role` is a principal role, or an actor role of
 *   the role table (`RoleTable.standard`) by id or Chinese name — e.g.
 *   `--role 信访代办员`: the key then stands for the role it acts as
 *   (`community-staff`) with its local role recorded (`petition-agent`); an
 *   unknown role is refused (`PrincipalInvalid`, field `role`).
 * - `list` shows id, kind, principal or client, created and revoked — never
 *   a key or its hash.
 * - `revoke <id>` disables a key for good.
 *
 * The hashes are keyed with the server's token secret — the environment
 * variable `CIVICGRID_TOKEN_SECRET`, else, on a SQLite file, the secret
 * `civicgrid serve` keeps beside it (`<file>.token-secret`) — so a key issued
 * here verifies in a server on the same database.
 *
 * @since 0.1.0
 */
import type * as Database from "@civicgrid/demo/Database"
import type * as Principal from "@civicgrid/http/Principal"
import type * as Migrations from "@civicgrid/sql/Migrations"
import type * as SqlApiKeys from "@civicgrid/sql/SqlApiKeys"
import * as Args from "@effect/cli/Args"
import * as Command from "@effect/cli/Command"
import * as Options from "@effect/cli/Options"
import type * as FileSystem from "@effect/platform/FileSystem"
import type * as Path from "@effect/platform/Path"
import type { MigrationError } from "@effect/sql/Migrator"
import type * as SqlClient from "@effect/sql/SqlClient"
import type { SqlError } from "@effect/sql/SqlError"
import type { ConfigError } from "effect/ConfigError"
import * as Console from "effect/Console"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import * as Redacted from "effect/Redacted"
import * as Schema from "effect/Schema"
import * as DatabaseOption from "../DatabaseOption.js"
import { withExamples } from "../internal/help.js"

/**
 * 密钥种类 — a bearer token (for the API) or an Open311 `api_key`.
 *
 * @since 0.1.0
 * @category models
 */
export type Kind = "bearer" | "open311"

/**
 * 密钥选项无效 — `keys issue` was given options that do not make a key: a
 * missing option of the kind asked for, or an option of the other kind.
 *
 * @since 0.1.0
 * @category errors
 */
export class InvalidKeyOptions extends Schema.TaggedError<InvalidKeyOptions>()("InvalidKeyOptions", {
  option: Schema.String,
  rule: Schema.String
}) {
  override get message(): string {
    return `密钥选项无效 invalid key options: ${this.option}: ${this.rule}; nothing was issued`
  }
}

/**
 * 密钥不存在 — `keys revoke` was given an id of no live key (unknown, or
 * revoked already).
 *
 * @since 0.1.0
 * @category errors
 */
export class KeyNotFound extends Schema.TaggedError<KeyNotFound>()("KeyNotFound", {
  id: Schema.String
}) {
  override get message(): string {
    return `密钥不存在 no live key "${this.id}": unknown or already revoked (see \`civicgrid keys list\`); nothing was changed`
  }
}

/**
 * 密钥命令失败 — why a `keys` subcommand stopped.
 *
 * @since 0.1.0
 * @category errors
 */
export type KeysError =
  | InvalidKeyOptions
  | KeyNotFound
  | Principal.PrincipalInvalid
  | Database.InvalidDatabaseUrl
  | Database.DriverMissing
  | DatabaseOption.DatabaseUnavailable
  | DatabaseOption.DatabaseFileMissing
  | ConfigError
  | SqlError
  | MigrationError
  | Migrations.DatabaseTooNew

/**
 * Runs `effect` on the key store of `database` (an existing one; migrated
 * first, so a key table of the current shape is there), with the server's
 * token secret.
 */
const onStore = <A, E>(
  flag: Option.Option<string>,
  effect: Effect.Effect<A, E, SqlClient.SqlClient>
): Effect.Effect<A, E | KeysError, FileSystem.FileSystem | Path.Path> =>
  Effect.gen(function* () {
    const database = yield* DatabaseOption.resolve(flag)
    yield* DatabaseOption.requireExisting(database)
    const [App, SqlKeys, Migrate] = yield* Effect.promise(() =>
      Promise.all([
        import("@civicgrid/demo/App"),
        import("@civicgrid/sql/SqlApiKeys"),
        import("@civicgrid/sql/Migrations")
      ])
    )
    yield* Console.log(`数据库 database: ${DatabaseOption.describe(database)}`)
    // the secret the server on this database uses: CIVICGRID_TOKEN_SECRET, else the one kept beside a SQLite file
    const secret = App.secretOptions({}, database).tokenSecret
    return yield* Effect.zipRight(Migrate.run, effect).pipe(
      Effect.provide(secret === undefined ? Layer.empty : SqlKeys.layerSecret(secret)),
      Effect.provide(DatabaseOption.layer(database))
    )
  })

// ---------------------------------------------------------------------------
// issue
// ---------------------------------------------------------------------------

/**
 * The options of `keys issue`.
 *
 * @since 0.1.0
 * @category options
 */
export const issueOptions = {
  database: DatabaseOption.option,
  kind: Options.choice("kind", ["bearer", "open311"] as const).pipe(
    Options.withDescription(
      "密钥种类 bearer: a bearer token for the API (default); open311: an Open311 api_key for a client."
    ),
    Options.withDefault("bearer" as const)
  ),
  principal: Options.text("principal").pipe(
    Options.withDescription("主体标识 bearer: the principal's id (recorded as the actor of what it does)."),
    Options.optional
  ),
  role: Options.text("role").pipe(
    Options.withDescription(
      "角色 bearer: resident, grid-worker, community-staff, street-staff, district-staff, department, hotline " +
        "or admin; or a local role of the role table by id or Chinese name (petition-agent 信访代办员, " +
        "mediator 调解员, informant 信息员), acting with the rights of its built-in role."
    ),
    Options.optional
  ),
  unit: Options.text("unit").pipe(
    Options.withDescription(
      "辖区单元 bearer: the unit id of the principal's jurisdiction (a resident's home; where a department sits)."
    ),
    Options.optional
  ),
  department: Options.text("department").pipe(
    Options.withDescription("所属部门 bearer, role department: the department id."),
    Options.optional
  ),
  grantedSubtree: Options.text("granted-subtree").pipe(
    Options.withDescription(
      "授权辖区 bearer, role department only: a unit whose subtree the department may see besides what is dispatched to it."
    ),
    Options.optional
  ),
  client: Options.text("client").pipe(
    Options.withDescription("客户端标识 open311: the client's id."),
    Options.optional
  ),
  name: Options.text("name").pipe(
    Options.withDescription("客户端名称 open311: the client's name."),
    Options.optional
  )
} as const

/**
 * The parsed options of `keys issue`.
 *
 * @since 0.1.0
 * @category models
 */
export interface IssueOptions {
  readonly database: Option.Option<string>
  readonly kind: Kind
  readonly principal: Option.Option<string>
  readonly role: Option.Option<string>
  readonly unit: Option.Option<string>
  readonly department: Option.Option<string>
  readonly grantedSubtree: Option.Option<string>
  readonly client: Option.Option<string>
  readonly name: Option.Option<string>
}

/**
 * 签发结果 — a key just issued: its id, kind, who it stands for, and the
 * plain key (shown once).
 *
 * @since 0.1.0
 * @category models
 */
export interface IssuedKey {
  readonly id: string
  readonly kind: Kind
  readonly who: string
  readonly token: Redacted.Redacted<string>
}

const bearerFlags = ["principal", "role", "unit", "department", "grantedSubtree"] as const
const open311Flags = ["client", "name"] as const
const flagOf: Readonly<Record<(typeof bearerFlags)[number] | (typeof open311Flags)[number], string>> = {
  principal: "--principal",
  role: "--role",
  unit: "--unit",
  department: "--department",
  grantedSubtree: "--granted-subtree",
  client: "--client",
  name: "--name"
}

const required = (o: IssueOptions, field: keyof typeof flagOf): Either.Either<string, InvalidKeyOptions> =>
  Option.match(o[field], {
    onNone: () =>
      Either.left(
        new InvalidKeyOptions({ option: flagOf[field], rule: `必填 required for --kind ${o.kind}` })
      ),
    onSome: Either.right
  })

/**
 * 检查签发选项 — what `keys issue` would store, checked before the database
 * is opened: for a bearer token a `Principal` (`Principal.validate`, the HTTP
 * rules: a known role, identifiers, a department for the `department` role);
 * for an Open311 key a client id and name. Options of the other kind are
 * refused.
 *
 * @since 0.1.0
 * @category utils
 */
export const checkIssue = (
  o: IssueOptions,
  validate: (typeof Principal)["validate"]
): Either.Either<
  | { readonly kind: "bearer"; readonly principal: SqlApiKeys.KeyPrincipal }
  | { readonly kind: "open311"; readonly client: SqlApiKeys.KeyClient },
  InvalidKeyOptions | Principal.PrincipalInvalid
> =>
  Either.gen(function* () {
    const foreign = (o.kind === "bearer" ? open311Flags : bearerFlags).find((f) => Option.isSome(o[f]))
    if (foreign !== undefined) {
      return yield* Either.left(
        new InvalidKeyOptions({
          option: flagOf[foreign],
          rule: `不适用 does not apply to --kind ${o.kind}`
        })
      )
    }
    if (o.kind === "open311") {
      const id = (yield* required(o, "client")).trim()
      const name = (yield* required(o, "name")).trim()
      if (id === "")
        return yield* Either.left(
          new InvalidKeyOptions({ option: "--client", rule: "不能为空 must not be blank" })
        )
      if (name === "")
        return yield* Either.left(
          new InvalidKeyOptions({ option: "--name", rule: "不能为空 must not be blank" })
        )
      return { kind: "open311" as const, client: { id, name } }
    }
    const principal = yield* validate({
      id: yield* required(o, "principal"),
      role: yield* required(o, "role"),
      unitId: yield* required(o, "unit"),
      departmentId: Option.getOrUndefined(o.department),
      grantedSubtree: Option.getOrUndefined(o.grantedSubtree)
    })
    return {
      kind: "bearer" as const,
      principal: {
        id: principal.id,
        role: principal.role,
        unitId: principal.unitId,
        ...(principal.departmentId === undefined ? {} : { departmentId: principal.departmentId }),
        ...(principal.grantedSubtree === undefined ? {} : { grantedSubtree: principal.grantedSubtree }),
        ...(principal.localRole === undefined ? {} : { localRole: principal.localRole })
      }
    }
  })

/**
 * How a principal or client is shown (`list`, `issue`).
 *
 * @since 0.1.0
 * @category utils
 */
export const describeWho = (
  who: { readonly principal: SqlApiKeys.KeyPrincipal } | { readonly client: SqlApiKeys.KeyClient }
): string => {
  if ("client" in who) return `client ${who.client.id} (${who.client.name})`
  const p = who.principal
  return [
    `${p.id} ${p.localRole === undefined ? p.role : `${p.localRole} (acting as ${p.role})`} @ ${p.unitId}`,
    ...(p.departmentId === undefined ? [] : [`department ${p.departmentId}`]),
    ...(p.grantedSubtree === undefined ? [] : [`granted ${p.grantedSubtree}`])
  ].join(", ")
}

/**
 * 签发 — checks the options, then issues the key and prints it once.
 *
 * @since 0.1.0
 * @category handlers
 */
export const issueHandler = (
  o: IssueOptions
): Effect.Effect<IssuedKey, KeysError, FileSystem.FileSystem | Path.Path> =>
  Effect.gen(function* () {
    const [PrincipalModule, SqlKeys] = yield* Effect.promise(() =>
      Promise.all([import("@civicgrid/http/Principal"), import("@civicgrid/sql/SqlApiKeys")])
    )
    // everything is checked before the database is opened
    const checked = yield* checkIssue(o, PrincipalModule.validate)
    const issued = yield* onStore(
      o.database,
      checked.kind === "bearer" ? SqlKeys.issue(checked.principal) : SqlKeys.issueOpen311(checked.client)
    )
    const who = describeWho(checked)
    yield* Console.log(`已签发 issued ${checked.kind} key ${issued.id} for ${who}`)
    yield* Console.log(
      checked.kind === "bearer"
        ? "令牌仅显示一次 the token, shown once (only its hash is stored) — send it as Authorization: Bearer <token>:"
        : "密钥仅显示一次 the api_key, shown once (only its hash is stored) — send it as api_key=<key>:"
    )
    yield* Console.log(Redacted.value(issued.token))
    yield* Console.log(`吊销 revoke with: civicgrid keys revoke ${issued.id}`)
    return { id: issued.id, kind: checked.kind, who, token: issued.token }
  })

/**
 * The `keys issue` subcommand.
 *
 * @since 0.1.0
 * @category commands
 */
export const issueCommand = Command.make("issue", issueOptions, (o) => Effect.asVoid(issueHandler(o))).pipe(
  Command.withDescription(
    withExamples(
      "签发 Issue a bearer token for a principal (--principal, --role — a principal role or a local role of the " +
        "role table by id or Chinese name —, --unit, and --department for the " +
        "department role; checked like the server checks a token) or, with --kind open311, an Open311 " +
        "api_key for a client (--client, --name). The key is printed ONCE; only a hash is stored, keyed " +
        "with CIVICGRID_TOKEN_SECRET or else the secret kept beside a SQLite file, as the server does. " +
        "The database is migrated first; a missing SQLite file is refused.",
      [
        [
          "civicgrid keys issue --principal cs-wang --role community-staff --unit c-001-001",
          "a bearer token for a community's staff"
        ],
        [
          "civicgrid keys issue --principal cg-liu --role department --unit d-001 --department chengguan",
          "a department's token: it sees what is dispatched to 城管"
        ],
        [
          "civicgrid keys issue --principal pa-li --role 信访代办员 --unit c-001-001",
          "a petition agent's token: a local role acting as a grid worker"
        ],
        ["civicgrid keys issue --kind open311 --client fms --name FixMyStreet", "an Open311 api_key"]
      ]
    )
  )
)

// ---------------------------------------------------------------------------
// list
// ---------------------------------------------------------------------------

/**
 * The lines `keys list` prints for the stored keys: a header, then one line
 * per key (id, kind, created, revoked or `live`, principal or client).
 *
 * @since 0.1.0
 * @category utils
 */
export const listLines = (keys: ReadonlyArray<SqlApiKeys.KeyInfo>): ReadonlyArray<string> => {
  if (keys.length === 0) return ["没有密钥 no keys: issue one with `civicgrid keys issue`"]
  const rows = keys.map((k) => [
    k.id,
    k.kind,
    k.createdAt,
    k.revokedAt === null ? "live" : `revoked ${k.revokedAt}`,
    Option.match(k.principal, {
      onSome: (principal) => describeWho({ principal }),
      onNone: () => Option.match(k.client, { onSome: (client) => describeWho({ client }), onNone: () => "—" })
    })
  ])
  const header = ["id 标识", "kind 种类", "created 创建", "status 状态", "principal / client 主体"]
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? "").length)))
  const line = (cells: ReadonlyArray<string>) =>
    cells
      .map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i] ?? 0)))
      .join("  ")
      .trimEnd()
  return [line(header), ...rows.map(line)]
}

/**
 * 清单 — prints every stored key without its secret.
 *
 * @since 0.1.0
 * @category handlers
 */
export const listHandler = (o: {
  readonly database: Option.Option<string>
}): Effect.Effect<ReadonlyArray<SqlApiKeys.KeyInfo>, KeysError, FileSystem.FileSystem | Path.Path> =>
  Effect.gen(function* () {
    const SqlKeys = yield* Effect.promise(() => import("@civicgrid/sql/SqlApiKeys"))
    const keys = yield* onStore(o.database, SqlKeys.list)
    for (const line of listLines(keys)) yield* Console.log(line)
    return keys
  })

/**
 * The `keys list` subcommand.
 *
 * @since 0.1.0
 * @category commands
 */
export const listCommand = Command.make("list", { database: DatabaseOption.option }, (o) =>
  Effect.asVoid(listHandler(o))
).pipe(
  Command.withDescription(
    withExamples(
      "列出 List the stored keys, bearer and Open311, live and revoked: id, kind, created, status and the " +
        "principal or client. Never a key or its hash.",
      [["civicgrid keys list", `the keys of ./${DatabaseOption.defaultFile}`]]
    )
  )
)

// ---------------------------------------------------------------------------
// revoke
// ---------------------------------------------------------------------------

/**
 * 吊销 — revokes a live key by its id; `KeyNotFound` otherwise.
 *
 * @since 0.1.0
 * @category handlers
 */
export const revokeHandler = (o: {
  readonly id: string
  readonly database: Option.Option<string>
}): Effect.Effect<void, KeysError, FileSystem.FileSystem | Path.Path> =>
  Effect.gen(function* () {
    const SqlKeys = yield* Effect.promise(() => import("@civicgrid/sql/SqlApiKeys"))
    const revoked = yield* onStore(o.database, SqlKeys.revoke(o.id))
    if (!revoked) return yield* new KeyNotFound({ id: o.id })
    yield* Console.log(`已吊销 revoked key ${o.id}: it no longer verifies`)
  })

/**
 * The `keys revoke <id>` subcommand.
 *
 * @since 0.1.0
 * @category commands
 */
export const revokeCommand = Command.make(
  "revoke",
  {
    id: Args.text({ name: "id" }).pipe(Args.withDescription("The key's id (`civicgrid keys list`).")),
    database: DatabaseOption.option
  },
  revokeHandler
).pipe(
  Command.withDescription(
    withExamples(
      "吊销 Revoke a key (bearer or Open311) by its id, for good: it no longer verifies. An unknown or " +
        "already revoked id fails (exit status 1).",
      [["civicgrid keys revoke 3f2a9c0d1e4b5a67", "revoke that key"]]
    )
  )
)

/**
 * The `keys` subcommand: `issue`, `list`, `revoke`.
 *
 * @since 0.1.0
 * @category commands
 */
export const command = Command.make("keys").pipe(
  Command.withDescription(
    withExamples(
      "密钥管理 Bearer tokens and Open311 api_keys in the database's key store: `keys issue` (shown once, " +
        "stored hashed), `keys list` (never the secrets), `keys revoke <id>`. Run `civicgrid keys <command> " +
        "--help` for a command's options.",
      [
        [
          "civicgrid keys issue --principal ds-li --role district-staff --unit d-001",
          "a bearer token, printed once"
        ],
        ["civicgrid keys list", "id, kind, principal or client, created, revoked"],
        ["civicgrid keys revoke 3f2a9c0d1e4b5a67", "that key no longer verifies"]
      ]
    )
  ),
  Command.withSubcommands([issueCommand, listCommand, revokeCommand])
)
