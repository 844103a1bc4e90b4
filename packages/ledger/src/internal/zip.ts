/**
 * A bounded look inside a ZIP archive (an XLSX workbook) before a workbook
 * library inflates it: the central directory is read from the bytes, and
 * every entry is inflated as a stream whose output is counted and thrown
 * away, so a ZIP bomb costs CPU time up to the limit and almost no memory.
 * The declared sizes of the directory are not trusted: the bytes that come
 * out of the inflater are counted. Rows of worksheet parts are counted on the
 * way (`<row` elements), so a sheet with too many rows is refused before it
 * is parsed.
 *
 * @since 0.1.0
 */
import * as zlib from "node:zlib"

/** An entry of the central directory. */
export interface Entry {
  readonly name: string
  readonly method: number
  readonly compressedSize: number
  readonly localHeaderOffset: number
}

/** Why a scan stopped. */
export type Stop =
  | { readonly _tag: "NotZip"; readonly detail: string }
  | {
      readonly _tag: "Inflated"
      readonly rule: "inflated-size" | "compression-ratio"
      readonly entry: string
    }
  | { readonly _tag: "Rows"; readonly entry: string }

/** The limits of a scan. */
export interface ScanLimits {
  /** The most bytes all entries may inflate to together. */
  readonly maxInflatedBytes: number
  /** The most the inflated total may be, as a multiple of the archive's size (past `ratioFloorBytes`). */
  readonly maxCompressionRatio: number
  /** Archives inflating to at most this many bytes are exempt from the ratio rule. */
  readonly ratioFloorBytes: number
  /** The most `<row>` elements a worksheet part may hold. */
  readonly maxRows: number
}

/** What a scan found: the entries, the inflated total, the rows per worksheet part. */
export interface Scanned {
  readonly entries: ReadonlyArray<Entry>
  readonly inflatedBytes: number
  readonly rows: ReadonlyMap<string, number>
}

const u16 = (b: Uint8Array, at: number): number => (b[at] ?? 0) | ((b[at + 1] ?? 0) << 8)
const u32 = (b: Uint8Array, at: number): number => (u16(b, at) + u16(b, at + 2) * 0x10000) >>> 0
const u64 = (b: Uint8Array, at: number): number => u32(b, at) + u32(b, at + 4) * 0x1_0000_0000

const eocdSignature = 0x06054b50
const zip64LocatorSignature = 0x07064b50
const zip64EocdSignature = 0x06064b50
const centralSignature = 0x02014b50
const localSignature = 0x04034b50

class NotZip {
  constructor(readonly detail: string) {}
}

const findEocd = (b: Uint8Array): number => {
  const last = Math.max(0, b.length - 22 - 0xffff)
  for (let at = b.length - 22; at >= last; at--) if (u32(b, at) === eocdSignature) return at
  throw new NotZip("no end of central directory (not a ZIP archive)")
}

/** Reads the central directory. Throws `NotZip`. */
const readEntries = (b: Uint8Array): ReadonlyArray<Entry> => {
  const eocd = findEocd(b)
  let count = u16(b, eocd + 10)
  let offset = u32(b, eocd + 16)
  if (count === 0xffff || offset === 0xffffffff) {
    const locator = eocd - 20
    if (locator < 0 || u32(b, locator) !== zip64LocatorSignature) throw new NotZip("bad ZIP64 locator")
    const at = u64(b, locator + 8)
    if (u32(b, at) !== zip64EocdSignature) throw new NotZip("bad ZIP64 end of central directory")
    count = u64(b, at + 32)
    offset = u64(b, at + 48)
  }
  const decoder = new TextDecoder()
  const entries: Array<Entry> = []
  let at = offset
  for (let i = 0; i < count; i++) {
    if (at + 46 > b.length || u32(b, at) !== centralSignature) throw new NotZip("bad central directory")
    const method = u16(b, at + 10)
    let compressedSize = u32(b, at + 20)
    const uncompressed = u32(b, at + 24)
    const nameLength = u16(b, at + 28)
    const extraLength = u16(b, at + 30)
    const commentLength = u16(b, at + 32)
    let localHeaderOffset = u32(b, at + 42)
    const name = decoder.decode(b.subarray(at + 46, at + 46 + nameLength))
    // ZIP64 extended information: the 64-bit values of the fields set to 0xFFFFFFFF, in this order
    let extra = at + 46 + nameLength
    const extraEnd = extra + extraLength
    while (extra + 4 <= extraEnd) {
      const id = u16(b, extra)
      const size = u16(b, extra + 2)
      if (id === 0x0001) {
        let field = extra + 4
        if (uncompressed === 0xffffffff) field += 8
        if (compressedSize === 0xffffffff) {
          compressedSize = u64(b, field)
          field += 8
        }
        if (localHeaderOffset === 0xffffffff) localHeaderOffset = u64(b, field)
      }
      extra += 4 + size
    }
    entries.push({ name, method, compressedSize, localHeaderOffset })
    at = extraEnd + commentLength
  }
  return entries
}

/** The compressed bytes of an entry (after its local header). Throws `NotZip`. */
const dataOf = (b: Uint8Array, entry: Entry): Uint8Array => {
  const at = entry.localHeaderOffset
  if (at + 30 > b.length || u32(b, at) !== localSignature)
    throw new NotZip(`bad local header of ${entry.name}`)
  const start = at + 30 + u16(b, at + 26) + u16(b, at + 28)
  const end = start + entry.compressedSize
  if (end > b.length) throw new NotZip(`${entry.name} is cut off`)
  return b.subarray(start, end)
}

/** Whether a part is a worksheet (`xl/worksheets/sheet1.xml`). */
export const isWorksheet = (name: string): boolean => /^xl\/worksheets\/[^/]+\.xml$/i.test(name)

const rowTag = Buffer.from("<row")

/** Counts `<row` followed by a delimiter; the last 4 bytes of a chunk are carried into the next. */
const rowCounter = () => {
  let tail: Buffer = Buffer.alloc(0)
  let rows = 0
  return {
    add: (chunk: Buffer): number => {
      const b = tail.length === 0 ? chunk : Buffer.concat([tail, chunk])
      let at = b.indexOf(rowTag)
      while (at !== -1 && at + 4 < b.length) {
        const next = b[at + 4]
        if (
          next === 0x20 ||
          next === 0x3e ||
          next === 0x2f ||
          next === 0x09 ||
          next === 0x0a ||
          next === 0x0d
        ) {
          rows++
        }
        at = b.indexOf(rowTag, at + 1)
      }
      tail = Buffer.from(b.subarray(Math.max(0, b.length - 4)))
      return rows
    }
  }
}

/**
 * Inflates every entry as a stream, counting what comes out, and stops at the
 * first limit passed. Never holds more than one inflater chunk of output.
 */
export const scan = async (
  bytes: Uint8Array,
  limits: ScanLimits
): Promise<{ readonly _tag: "Ok"; readonly scanned: Scanned } | Stop> => {
  let entries: ReadonlyArray<Entry>
  try {
    entries = readEntries(bytes)
  } catch (e) {
    if (e instanceof NotZip) return { _tag: "NotZip", detail: e.detail }
    throw e
  }
  const ratioCap = Math.max(limits.ratioFloorBytes, limits.maxCompressionRatio * bytes.length)
  let total = 0
  const rows = new Map<string, number>()
  for (const entry of entries) {
    if (entry.name.endsWith("/")) continue
    let data: Uint8Array
    try {
      data = dataOf(bytes, entry)
    } catch (e) {
      if (e instanceof NotZip) return { _tag: "NotZip", detail: e.detail }
      throw e
    }
    const counter = isWorksheet(entry.name) ? rowCounter() : undefined
    const check = (size: number): Stop | undefined => {
      if (total > limits.maxInflatedBytes)
        return { _tag: "Inflated", rule: "inflated-size", entry: entry.name }
      if (total > ratioCap) return { _tag: "Inflated", rule: "compression-ratio", entry: entry.name }
      if (counter !== undefined && size > limits.maxRows) return { _tag: "Rows", entry: entry.name }
      return undefined
    }
    if (entry.method === 0) {
      total += data.length
      const n = counter?.add(Buffer.from(data.buffer, data.byteOffset, data.byteLength)) ?? 0
      if (counter !== undefined) rows.set(entry.name, n)
      const stop = check(n)
      if (stop !== undefined) return stop
      continue
    }
    if (entry.method !== 8)
      return { _tag: "NotZip", detail: `${entry.name}: unsupported compression ${entry.method}` }
    const result = await new Promise<Stop | undefined>((resolve) => {
      const inflater = zlib.createInflateRaw()
      let settled = false
      const settle = (value: Stop | undefined) => {
        if (settled) return
        settled = true
        resolve(value)
      }
      inflater.on("data", (chunk: Buffer) => {
        total += chunk.length
        const n = counter?.add(chunk) ?? 0
        if (counter !== undefined) rows.set(entry.name, n)
        const stop = check(n)
        if (stop !== undefined) {
          settle(stop)
          inflater.destroy()
        }
      })
      inflater.on("error", (e) => settle({ _tag: "NotZip", detail: `${entry.name}: ${e.message}` }))
      inflater.on("end", () => settle(undefined))
      inflater.on("close", () => settle(undefined))
      inflater.end(data)
    })
    if (result !== undefined) return result
  }
  return { _tag: "Ok", scanned: { entries, inflatedBytes: total, rows } }
}
