/**
 * The NATS client calls behind `JetStream`: connecting, the stream, publishing.
 * Nothing here decides what is delivered — the core's `EventDelivery` does.
 */
import {
  JetStreamApiError,
  type JetStreamClient,
  type JetStreamManager,
  jetstream,
  jetstreamManager,
  type PubAck
} from "@nats-io/jetstream"
import { connect, headers, type NatsConnection } from "@nats-io/transport-node"

/** A connection and its JetStream client. */
export interface Connection {
  readonly nc: NatsConnection
  readonly js: JetStreamClient
}

/** What `open` needs (secrets already revealed, durations in milliseconds). */
export interface ConnectOptions {
  readonly servers: ReadonlyArray<string>
  readonly name: string
  readonly timeout: number
  readonly reconnectWait: number
  readonly token?: string | undefined
  readonly user?: string | undefined
  readonly password?: string | undefined
}

/** Connects; the client then reconnects on its own, for ever, while the connection is open. */
export const open = async (options: ConnectOptions): Promise<Connection> => {
  const nc = await connect({
    servers: [...options.servers],
    name: options.name,
    timeout: options.timeout,
    maxReconnectAttempts: -1,
    reconnectTimeWait: options.reconnectWait,
    ...(options.token === undefined ? {} : { token: options.token }),
    ...(options.user === undefined ? {} : { user: options.user }),
    ...(options.password === undefined ? {} : { pass: options.password })
  })
  return { nc, js: jetstream(nc, { timeout: options.timeout }) }
}

/** Drains the connection (pending publishes flushed), closing it outright after `timeout` ms. */
export const close = async (connection: Connection, timeout: number): Promise<void> => {
  if (connection.nc.isClosed()) return
  let timer: ReturnType<typeof setTimeout> | undefined
  const late = new Promise<"late">((resolve) => {
    timer = setTimeout(() => resolve("late"), timeout)
  })
  try {
    const outcome = await Promise.race([connection.nc.drain().then(() => "drained" as const), late])
    if (outcome === "late") await connection.nc.close()
  } catch {
    await connection.nc.close().catch(() => undefined)
  } finally {
    if (timer !== undefined) clearTimeout(timer)
  }
}

const streamNotFound = 10059

/**
 * Whether the subject filter `pattern` captures every subject under `<prefix>.>`
 * (`*` one token, `>` one or more trailing tokens).
 */
export const covers = (pattern: string, prefix: string): boolean => {
  const tokens = pattern.split(".")
  const wanted = prefix.split(".")
  const last = tokens.length - 1
  if (tokens[last] !== ">" || last > wanted.length) return false
  for (let k = 0; k < last; k++) if (tokens[k] !== "*" && tokens[k] !== wanted[k]) return false
  return true
}

/**
 * The stream `name` captures `<prefix>.>`: created (file storage, the
 * duplicate window in nanoseconds) when missing, its subjects extended when
 * none of them captures the prefix; an existing stream's other settings are
 * the operator's and kept. Answers what it did.
 */
export const ensureStream = async (
  connection: Connection,
  options: {
    readonly name: string
    readonly prefix: string
    readonly duplicateWindowNanos: number
    readonly timeout: number
  }
): Promise<"created" | "extended" | "present"> => {
  const jsm: JetStreamManager = await jetstreamManager(connection.nc, { timeout: options.timeout })
  const wildcard = `${options.prefix}.>`
  const info = await jsm.streams.info(options.name).catch((error: unknown) => {
    if (error instanceof JetStreamApiError && error.code === streamNotFound) return undefined
    throw error
  })
  if (info === undefined) {
    await jsm.streams.add({
      name: options.name,
      subjects: [wildcard],
      duplicate_window: options.duplicateWindowNanos
    })
    return "created"
  }
  const subjects = info.config.subjects ?? []
  if (subjects.some((s) => covers(s, options.prefix))) return "present"
  await jsm.streams.update(options.name, { subjects: [...subjects, wildcard] })
  return "extended"
}

/** Publishes one message and waits for the stream's acknowledgement. */
export const publish = (
  connection: Connection,
  message: {
    readonly subject: string
    readonly data: string
    readonly msgId: string
    readonly headers: Readonly<Record<string, string>>
    readonly stream: string
    readonly timeout: number
  }
): Promise<PubAck> => {
  const h = headers()
  for (const [name, value] of Object.entries(message.headers)) h.set(name, value)
  return connection.js.publish(message.subject, message.data, {
    msgID: message.msgId,
    headers: h,
    timeout: message.timeout,
    expect: { streamName: message.stream }
  })
}

/** A client error as one line. */
export const describe = (error: unknown): string => {
  if (error instanceof Error) {
    const cause = error.cause instanceof Error ? `: ${error.cause.message}` : ""
    return `${error.message}${cause}`
  }
  return String(error)
}
