// Checks a ZIP container (an XLSX workbook is one) from its central directory before anything is expanded: at most
// `maxEntries` entries and `maxExpandedBytes` declared expanded size (no zip bombs); ZIP64 archives are refused.
import { ImportFileError } from './errors.js';

export type ZipLimits = { maxEntries: number; maxExpandedBytes: number };

/** The entry names of a ZIP held in memory, after the limits were checked. */
export function checkZip(buf: Buffer, limits: ZipLimits): string[] {
  // the end-of-central-directory record: in the last 22 + 65535 bytes (a comment may follow it)
  let eocd = -1;
  for (let i = buf.length - 22; i >= Math.max(0, buf.length - 22 - 0xffff); i--) {
    if (buf.readUInt32LE(i) === 0x06054b50) { eocd = i; break; }
  }
  if (eocd < 0) throw new ImportFileError('the file is not a readable XLSX workbook (no ZIP directory)');
  const entries = buf.readUInt16LE(eocd + 10);
  const dirSize = buf.readUInt32LE(eocd + 12);
  const dirOffset = buf.readUInt32LE(eocd + 16);
  if (entries === 0xffff || dirOffset === 0xffffffff) throw new ImportFileError('the workbook is a ZIP64 archive, which is not accepted');
  if (entries > limits.maxEntries) throw new ImportFileError(`the workbook has ${entries} ZIP entries, more than the limit of ${limits.maxEntries}`);
  if (dirOffset + dirSize > buf.length) throw new ImportFileError('the file is not a readable XLSX workbook (damaged ZIP directory)');
  const names: string[] = [];
  let expanded = 0;
  let p = dirOffset;
  for (let n = 0; n < entries; n++) {
    if (p + 46 > buf.length || buf.readUInt32LE(p) !== 0x02014b50) throw new ImportFileError('the file is not a readable XLSX workbook (damaged ZIP directory)');
    const size = buf.readUInt32LE(p + 24);
    if (size === 0xffffffff) throw new ImportFileError('the workbook is a ZIP64 archive, which is not accepted');
    expanded += size;
    if (expanded > limits.maxExpandedBytes) throw new ImportFileError(`the workbook expands to more than ${limits.maxExpandedBytes} bytes, the limit; it was not expanded`);
    const nameLen = buf.readUInt16LE(p + 28), extraLen = buf.readUInt16LE(p + 30), commentLen = buf.readUInt16LE(p + 32);
    names.push(buf.toString('utf8', p + 46, p + 46 + nameLen));
    p += 46 + nameLen + extraLen + commentLen;
  }
  return names;
}
