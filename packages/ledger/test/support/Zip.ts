/**
 * Hostile workbooks built in memory: a minimal ZIP writer whose entries are
 * deflated as streams (so an entry of hundreds of MiB is never held), and a
 * ZIP bomb — a worksheet of repeated cells that inflates to `inflatedMiB`
 * MiB from well under 1 MB — wrapped as an XLSX with the parts a workbook
 * reader expects. Shared by the tests and the bench.
 */
import { Buffer } from "node:buffer"
import * as zlib from "node:zlib"

/** An entry: its name and its content, as chunks produced on demand. */
export interface Entry {
  readonly name: string
  readonly chunks: () => Iterable<Uint8Array>
}

const deflate = async (
  chunks: Iterable<Uint8Array>
): Promise<{ data: Buffer; size: number; crc: number }> => {
  const deflater = zlib.createDeflateRaw({ level: 9, memLevel: 9 })
  const out: Array<Buffer> = []
  deflater.on("data", (c: Buffer) => out.push(c))
  const done = new Promise<void>((resolve, reject) => {
    deflater.on("end", resolve)
    deflater.on("error", reject)
  })
  let size = 0
  let crc = 0
  for (const chunk of chunks) {
    size += chunk.length
    crc = zlib.crc32(chunk, crc)
    if (!deflater.write(chunk)) await new Promise((resolve) => deflater.once("drain", resolve))
  }
  deflater.end()
  await done
  return { data: Buffer.concat(out), size, crc }
}

/** Writes a ZIP archive (deflate, no ZIP64: every entry below 4 GiB). */
export const zip = async (entries: ReadonlyArray<Entry>): Promise<Uint8Array> => {
  const parts: Array<Buffer> = []
  const central: Array<Buffer> = []
  let offset = 0
  for (const entry of entries) {
    const name = Buffer.from(entry.name, "utf8")
    const { data, size, crc } = await deflate(entry.chunks())
    const local = Buffer.alloc(30)
    local.writeUInt32LE(0x04034b50, 0)
    local.writeUInt16LE(20, 4)
    local.writeUInt16LE(0x0800, 6)
    local.writeUInt16LE(8, 8)
    local.writeUInt32LE(crc >>> 0, 14)
    local.writeUInt32LE(data.length, 18)
    local.writeUInt32LE(size >>> 0, 22)
    local.writeUInt16LE(name.length, 26)
    const header = Buffer.alloc(46)
    header.writeUInt32LE(0x02014b50, 0)
    header.writeUInt16LE(20, 4)
    header.writeUInt16LE(20, 6)
    header.writeUInt16LE(0x0800, 8)
    header.writeUInt16LE(8, 10)
    header.writeUInt32LE(crc >>> 0, 16)
    header.writeUInt32LE(data.length, 20)
    header.writeUInt32LE(size >>> 0, 24)
    header.writeUInt16LE(name.length, 28)
    header.writeUInt32LE(offset, 42)
    parts.push(local, name, data)
    central.push(header, name)
    offset += local.length + name.length + data.length
  }
  const directory = Buffer.concat(central)
  const end = Buffer.alloc(22)
  end.writeUInt32LE(0x06054b50, 0)
  end.writeUInt16LE(entries.length, 8)
  end.writeUInt16LE(entries.length, 10)
  end.writeUInt32LE(directory.length, 12)
  end.writeUInt32LE(offset, 16)
  return new Uint8Array(Buffer.concat([...parts, directory, end]))
}

const text =
  (s: string): Entry["chunks"] =>
  () => [Buffer.from(s, "utf8")]

/** The parts of a one-sheet workbook around a worksheet part. */
export const workbook = (sheet: Entry["chunks"], sheetName = "问题清单"): ReadonlyArray<Entry> => [
  {
    name: "[Content_Types].xml",
    chunks: text(
      '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">' +
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>' +
        '<Default Extension="xml" ContentType="application/xml"/>' +
        '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>' +
        '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>' +
        "</Types>"
    )
  },
  {
    name: "_rels/.rels",
    chunks: text(
      '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">' +
        '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>' +
        "</Relationships>"
    )
  },
  {
    name: "xl/workbook.xml",
    chunks: text(
      '<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" ' +
        'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">' +
        `<sheets><sheet name="${sheetName}" sheetId="1" r:id="rId1"/></sheets></workbook>`
    )
  },
  {
    name: "xl/_rels/workbook.xml.rels",
    chunks: text(
      '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">' +
        '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>' +
        "</Relationships>"
    )
  },
  { name: "xl/worksheets/sheet1.xml", chunks: sheet }
]

const MiB = 1024 * 1024

/**
 * A ZIP bomb: an XLSX whose one sheet is a few rows of the same number
 * cell repeated until the sheet's XML is `inflatedMiB` MiB.
 */
export const bomb = (inflatedMiB: number): Promise<Uint8Array> => {
  const head = Buffer.from(
    '<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
  )
  const tail = Buffer.from("</sheetData></worksheet>")
  const cell = "<c><v>1</v></c>"
  // one row of 40,000 cells (about 0.6 MiB) per chunk, until the sheet is large enough
  const row = (r: number) => Buffer.from(`<row r="${r}">${cell.repeat(40_000)}</row>`)
  const perRow = row(1).length
  return zip(
    workbook(function* () {
      yield head
      const rows = Math.ceil((inflatedMiB * MiB) / perRow)
      for (let r = 1; r <= rows; r++) yield row(r)
      yield tail
    })
  )
}
