/**
 * Test support: the NATS server under test (`CIVICGRID_NATS_URL`, default
 * nats://127.0.0.1:4222), a unique stream and subject prefix per test (the
 * stream deleted at the end), the stream's messages as stored, and a TCP
 * proxy in front of the server that a test can cut and restore, or watch.
 */
import { createServer, type Server, Socket } from "node:net"
import { jetstreamManager } from "@nats-io/jetstream"
import { connect } from "@nats-io/transport-node"
import * as Effect from "effect/Effect"
import type * as Scope from "effect/Scope"

export const natsUrl: string = process.env["CIVICGRID_NATS_URL"] ?? "nats://127.0.0.1:4222"

const target = new URL(natsUrl.replace(/^nats:/, "http:"))
export const natsHost: string = target.hostname
export const natsPort: number = Number(target.port === "" ? "4222" : target.port)

let counter = 0
/** A unique suffix (letters and digits). */
export const unique = (): string =>
  `${Date.now().toString(36)}${process.pid.toString(36)}${(counter++).toString(36)}${Math.floor(Math.random() * 1e6).toString(36)}`.toUpperCase()

/** A message as the stream stores it. */
export interface Stored {
  readonly seq: number
  readonly subject: string
  readonly headers: Readonly<Record<string, string>>
  readonly data: string
}

/** An admin connection to the server (closed with the scope). */
export interface Admin {
  /** Every message of the stream, in stream order. */
  readonly messages: (stream: string) => Promise<ReadonlyArray<Stored>>
  /** The stream's message count. */
  readonly count: (stream: string) => Promise<number>
  readonly deleteStream: (stream: string) => Promise<void>
}

export const makeAdmin = async (): Promise<Admin & { readonly close: () => Promise<void> }> => {
  const nc = await connect({ servers: natsUrl })
  const jsm = await jetstreamManager(nc)
  return {
    messages: async (stream) => {
      const info = await jsm.streams.info(stream)
      const out: Array<Stored> = []
      for (let seq = info.state.first_seq; seq <= info.state.last_seq && info.state.messages > 0; seq++) {
        const m = await jsm.streams.getMessage(stream, { seq })
        if (m === null) continue
        const headers: Record<string, string> = {}
        for (const [k, v] of m.header ?? []) headers[k] = v[0] ?? ""
        out.push({ seq: m.seq, subject: m.subject, headers, data: m.string() })
      }
      return out
    },
    count: async (stream) => (await jsm.streams.info(stream)).state.messages,
    deleteStream: async (stream) => {
      await jsm.streams.delete(stream).catch(() => false)
    },
    close: () => nc.close()
  }
}

/** A unique stream and prefix for one test, the admin connection, the stream deleted at the end. */
export const fixture: Effect.Effect<
  { readonly stream: string; readonly prefix: string; readonly admin: Admin },
  never,
  Scope.Scope
> = Effect.gen(function* () {
  const u = unique()
  const stream = `CGTEST_${u}`
  const prefix = `cgtest.${u.toLowerCase()}`
  const admin = yield* Effect.acquireRelease(
    Effect.promise(() => makeAdmin()),
    (a) => Effect.promise(() => a.deleteStream(stream).then(() => a.close()))
  )
  return { stream, prefix, admin }
})

/**
 * A TCP proxy to the NATS server on a fixed local port: `cut` closes it (every
 * open connection dropped, new ones refused), `restore` listens again;
 * `onServerBytes` sees what the server sends before it is forwarded and may
 * hold it back (answering false drops the chunk).
 */
export interface Proxy {
  readonly url: string
  readonly cut: () => Promise<void>
  readonly restore: () => Promise<void>
  readonly close: () => Promise<void>
}

export const makeProxy = async (onServerBytes: (chunk: Buffer) => boolean = () => true): Promise<Proxy> => {
  const sockets = new Set<Socket>()
  let port = 0
  const make = (): Server =>
    createServer((client) => {
      const upstream = new Socket()
      sockets.add(client)
      sockets.add(upstream)
      const drop = () => {
        client.destroy()
        upstream.destroy()
        sockets.delete(client)
        sockets.delete(upstream)
      }
      client.on("error", drop)
      upstream.on("error", drop)
      client.on("close", drop)
      upstream.on("close", drop)
      client.setNoDelay(true)
      upstream.setNoDelay(true)
      upstream.connect(natsPort, natsHost)
      client.on("data", (chunk: Buffer) => upstream.write(chunk))
      upstream.on("data", (chunk: Buffer) => {
        if (onServerBytes(chunk)) client.write(chunk)
      })
    })
  let server = make()
  const listen = () =>
    new Promise<void>((resolve, reject) => {
      server.once("error", reject)
      server.listen(port, "127.0.0.1", () => {
        const address = server.address()
        if (address !== null && typeof address === "object") port = address.port
        resolve()
      })
    })
  await listen()
  const cut = async () => {
    await new Promise<void>((resolve) => {
      server.close(() => resolve())
      for (const s of sockets) s.destroy()
      sockets.clear()
    })
  }
  return {
    url: `nats://127.0.0.1:${port}`,
    cut,
    restore: async () => {
      server = make()
      await listen()
    },
    close: cut
  }
}
