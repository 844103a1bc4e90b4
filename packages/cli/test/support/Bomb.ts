/**
 * A ZIP bomb for the CLI tests: a `.xlsx` whose one worksheet part is
 * `inflatedMiB` MiB of repeated cells, deflated as a stream (never held
 * inflated) into well under 1 MB. Only the worksheet part is there: the
 * import refuses the archive while inflating it, before any workbook reader
 * would look for the others.
 */
import { Buffer } from "node:buffer"
import * as zlib from "node:zlib"

const MiB = 1024 * 1024

export const bomb = async (inflatedMiB: number): Promise<Uint8Array> => {
  const name = Buffer.from("xl/worksheets/sheet1.xml")
  const deflater = zlib.createDeflateRaw({ level: 9, memLevel: 9 })
  const out: Array<Buffer> = []
  deflater.on("data", (c: Buffer) => out.push(c))
  const done = new Promise<void>((resolve, reject) => {
    deflater.on("end", resolve)
    deflater.on("error", reject)
  })
  const row = (r: number) => Buffer.from(`<row r="${r}">${"<c><v>1</v></c>".repeat(40_000)}</row>`)
  const rows = Math.ceil((inflatedMiB * MiB) / row(1).length)
  let size = 0
  let crc = 0
  const write = async (chunk: Buffer) => {
    size += chunk.length
    crc = zlib.crc32(chunk, crc)
    if (!deflater.write(chunk)) await new Promise((resolve) => deflater.once("drain", resolve))
  }
  await write(Buffer.from('<?xml version="1.0" encoding="UTF-8"?><worksheet><sheetData>'))
  for (let r = 1; r <= rows; r++) await write(row(r))
  await write(Buffer.from("</sheetData></worksheet>"))
  deflater.end()
  await done
  const data = Buffer.concat(out)
  const local = Buffer.alloc(30)
  local.writeUInt32LE(0x04034b50, 0)
  local.writeUInt16LE(20, 4)
  local.writeUInt16LE(8, 8)
  local.writeUInt32LE(crc >>> 0, 14)
  local.writeUInt32LE(data.length, 18)
  local.writeUInt32LE(size >>> 0, 22)
  local.writeUInt16LE(name.length, 26)
  const central = Buffer.alloc(46)
  central.writeUInt32LE(0x02014b50, 0)
  central.writeUInt16LE(20, 4)
  central.writeUInt16LE(20, 6)
  central.writeUInt16LE(8, 10)
  central.writeUInt32LE(crc >>> 0, 16)
  central.writeUInt32LE(data.length, 20)
  central.writeUInt32LE(size >>> 0, 24)
  central.writeUInt16LE(name.length, 28)
  const end = Buffer.alloc(22)
  end.writeUInt32LE(0x06054b50, 0)
  end.writeUInt16LE(1, 8)
  end.writeUInt16LE(1, 10)
  end.writeUInt32LE(central.length + name.length, 12)
  end.writeUInt32LE(local.length + name.length + data.length, 16)
  return new Uint8Array(Buffer.concat([local, name, data, central, name, end]))
}
