// Checks a ZIP container (an XLSX workbook, a zipped Shapefile) from its central directory before anything is
// expanded: at most `maxEntries` entries and `maxExpandedBytes` declared expanded size (no zip bombs); ZIP64 archives
// are refused. Declared sizes can lie: verifyExpandedSizes then inflates each entry into a counter (nothing kept) and
// refuses one that expands beyond what it declared, before any reader expands anything. `what` names the file in
// the messages ("the workbook", "the zipped Shapefile").
import zlib from 'node:zlib';
import { ImportFileError } from './errors.js';

export type ZipEntry = { name: string; method: number; compressedSize: number; size: number; localOffset: number };

/** `what` names the file in messages ("the workbook"), `format` what it should be ("XLSX workbook"). */
export type ZipLimits = { maxEntries: number; maxExpandedBytes: number; what: string; format: string };

/** The entries of a ZIP held in memory, after the limits were checked on their declared sizes. */
export function checkZip(buf: Buffer, limits: ZipLimits): ZipEntry[] {
  // the end-of-central-directory record: in the last 22 + 65535 bytes (a comment may follow it)
  let eocd = -1;
  for (let i = buf.length - 22; i >= Math.max(0, buf.length - 22 - 0xffff); i--) {
    if (buf.readUInt32LE(i) === 0x06054b50) { eocd = i; break; }
  }
  if (eocd < 0) throw new ImportFileError(`the file is not a readable ${limits.format} (no ZIP directory)`);
  const entries = buf.readUInt16LE(eocd + 10);
  const dirSize = buf.readUInt32LE(eocd + 12);
  const dirOffset = buf.readUInt32LE(eocd + 16);
  if (entries === 0xffff || dirOffset === 0xffffffff) throw new ImportFileError(`${limits.what} is a ZIP64 archive, which is not accepted`);
  if (entries > limits.maxEntries) throw new ImportFileError(`${limits.what} has ${entries} ZIP entries, more than the limit of ${limits.maxEntries}`);
  if (dirOffset + dirSize > buf.length) throw new ImportFileError(`the file is not a readable ${limits.format} (damaged ZIP directory)`);
  const names: ZipEntry[] = [];
  let expanded = 0;
  let p = dirOffset;
  for (let n = 0; n < entries; n++) {
    if (p + 46 > buf.length || buf.readUInt32LE(p) !== 0x02014b50) throw new ImportFileError(`the file is not a readable ${limits.format} (damaged ZIP directory)`);
    const size = buf.readUInt32LE(p + 24);
    if (size === 0xffffffff) throw new ImportFileError(`${limits.what} is a ZIP64 archive, which is not accepted`);
    expanded += size;
    if (expanded > limits.maxExpandedBytes) throw new ImportFileError(`${limits.what} expands to more than ${limits.maxExpandedBytes} bytes, the limit; it was not expanded`);
    const nameLen = buf.readUInt16LE(p + 28), extraLen = buf.readUInt16LE(p + 30), commentLen = buf.readUInt16LE(p + 32);
    names.push({ name: buf.toString('utf8', p + 46, p + 46 + nameLen), method: buf.readUInt16LE(p + 10), compressedSize: buf.readUInt32LE(p + 20), size, localOffset: buf.readUInt32LE(p + 42) });
    p += 46 + nameLen + extraLen + commentLen;
  }
  return names;
}

/** Bytes an entry's deflate stream expands to, refused as soon as it passes `limit` (the output is counted, not kept). */
function inflatedSize(data: Buffer, limit: number, name: string, what: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const z = zlib.createInflateRaw();
    let n = 0;
    z.on('data', (c: Buffer) => {
      n += c.length;
      if (n > limit) { z.destroy(); reject(new ImportFileError(`${what}'s entry ${name} expands beyond the ${limit} bytes it declares (a zip bomb?); it was not read`)); }
    });
    z.on('end', () => resolve(n));
    z.on('error', (e) => reject(new ImportFileError(`${what} is damaged (${name}: ${e.message})`)));
    z.end(data);
  });
}

/** Every entry expands to no more than it declares (stored or deflated; other methods are refused). */
export async function verifyExpandedSizes(buf: Buffer, entries: ZipEntry[], what: string): Promise<void> {
  for (const e of entries) {
    const data = entryData(buf, e, what);
    if (e.method === 0) { if (e.compressedSize !== e.size) throw new ImportFileError(`${what} is damaged (${e.name}: stored size differs)`); continue; }
    if (e.method !== 8) throw new ImportFileError(`${what}'s entry ${e.name} uses ZIP compression method ${e.method}; only stored and deflated entries are read`);
    await inflatedSize(data, e.size, e.name, what);
  }
}

/** The compressed bytes of one entry (after its local header). */
function entryData(buf: Buffer, e: ZipEntry, what: string): Buffer {
  const p = e.localOffset;
  if (p + 30 > buf.length || buf.readUInt32LE(p) !== 0x04034b50) throw new ImportFileError(`${what} is damaged (${e.name}: no local header)`);
  const start = p + 30 + buf.readUInt16LE(p + 26) + buf.readUInt16LE(p + 28);
  const data = buf.subarray(start, start + e.compressedSize);
  if (data.length !== e.compressedSize) throw new ImportFileError(`${what} is damaged (${e.name}: truncated)`);
  return data;
}

/** One entry expanded, after verifyExpandedSizes: never more than the size it declares. */
export function expandEntry(buf: Buffer, e: ZipEntry, what: string): Buffer {
  const data = entryData(buf, e, what);
  if (e.method === 0) return Buffer.from(data);
  try {
    return zlib.inflateRawSync(data, { maxOutputLength: Math.max(1, e.size) });
  } catch (err) {
    throw new ImportFileError(`${what} is damaged (${e.name}: ${(err as Error).message})`);
  }
}
