// readTable: XLSX and CSV told apart by their first bytes, checked before parsing (zip bombs, JSON, binary), and a
// column mapping applied (Swedish headers, Excel dates, decimal commas, DD/MM/YYYY, category values).
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import type { ColumnMapping } from './column-mapping.js';
import { ImportFileError } from './errors.js';
import { readTable, type TableHeader } from './table-reader.js';

const FIX = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../../test/fixtures/imports');

async function read(buf: Buffer | string, mapping?: ColumnMapping) {
  let header!: TableHeader;
  const rows: { line: number; fields: string[] }[] = [];
  await readTable(Readable.from([Buffer.from(buf)]), (h) => { header = h; }, (r) => { rows.push(r); }, mapping);
  return { header, rows };
}
const refused = async (buf: Buffer | string) => {
  try { await read(buf); } catch (e) { if (e instanceof ImportFileError) return e.message; throw e; }
  throw new Error('expected a refusal');
};

/** A ZIP whose central directory declares one entry expanding to `size` bytes (nothing to expand). */
function fakeZip(size: number, entries = 1): Buffer {
  const name = Buffer.from('xl/workbook.xml');
  const cd = Buffer.alloc(46 + name.length);
  cd.writeUInt32LE(0x02014b50, 0); cd.writeUInt32LE(10, 20); cd.writeUInt32LE(size, 24); cd.writeUInt16LE(name.length, 28); name.copy(cd, 46);
  const local = Buffer.from([0x50, 0x4b, 0x03, 0x04, 0, 0, 0, 0]);
  const eocd = Buffer.alloc(22);
  eocd.writeUInt32LE(0x06054b50, 0); eocd.writeUInt16LE(entries, 8); eocd.writeUInt16LE(entries, 10); eocd.writeUInt32LE(cd.length, 12); eocd.writeUInt32LE(local.length, 16);
  return Buffer.concat([local, cd, eocd]);
}

/** A real ZIP with one deflated entry (10 MB of zeros) whose directory declares it expands to 100 bytes. */
function lyingZip(): Buffer {
  const name = Buffer.from('xl/workbook.xml');
  const data = zlib.deflateRawSync(Buffer.alloc(10_000_000));
  const local = Buffer.alloc(30 + name.length);
  local.writeUInt32LE(0x04034b50, 0); local.writeUInt16LE(8, 8); local.writeUInt32LE(data.length, 18); local.writeUInt32LE(100, 22); local.writeUInt16LE(name.length, 26); name.copy(local, 30);
  const cd = Buffer.alloc(46 + name.length);
  cd.writeUInt32LE(0x02014b50, 0); cd.writeUInt16LE(8, 10); cd.writeUInt32LE(data.length, 20); cd.writeUInt32LE(100, 24); cd.writeUInt16LE(name.length, 28); cd.writeUInt32LE(0, 42); name.copy(cd, 46);
  const eocd = Buffer.alloc(22);
  eocd.writeUInt32LE(0x06054b50, 0); eocd.writeUInt16LE(1, 8); eocd.writeUInt16LE(1, 10); eocd.writeUInt32LE(cd.length, 12); eocd.writeUInt32LE(local.length + data.length, 16);
  return Buffer.concat([local, data, cd, eocd]);
}

describe('readTable', () => {
  it('reads the XLSX fixture: sheet row numbers as lines, Excel dates as ISO local time, text as it is', async () => {
    const { header, rows } = await read(fs.readFileSync(path.join(FIX, 'crimes-sv.xlsx')));
    expect(header.format).toBe('xlsx');
    expect(header.columns).toEqual(['ärendenummer', 'brottsdatum', 'brottskod', 'x_koordinat', 'y_koordinat', 'beskrivning']);
    expect(rows).toHaveLength(20);
    expect(rows[0]).toEqual({ line: 2, fields: ['5000-K1000-25', '2025-03-01T08:00:00', 'misshandel', '666000,0', '6585000,0', 'Händelse 1'] });
    expect(rows[15]).toMatchObject({ line: 17, fields: ['5000-K1015-25', '2025-02-30', 'olaga-hot', '672022,5', '6588052,5', 'Händelse 16'] });
  });

  it('applies a mapping: target columns in the project\'s formats, other columns passed on', async () => {
    const m: ColumnMapping = { columns: { id: 'Ärendenummer', occurred_from: 'Brottsdatum', category: 'Brottskod', x: 'X-koordinat', y: 'Y-koordinat' }, decimalMark: ',', values: { 'Skadegörelse på bil': 'skadegorelse' } };
    const { header, rows } = await read(fs.readFileSync(path.join(FIX, 'crimes-sv.xlsx')), m);
    expect(header.columns).toEqual(['id', 'occurred_from', 'category', 'x', 'y', 'beskrivning']);
    expect(rows[7]).toEqual({ line: 9, fields: ['5000-K1007-25', '2025-03-08T15:49:00', 'skadegorelse', '668810.5', '6586424.5', 'Händelse 8'] });
    const csv = await read('Nr;Datum;Typ;Lat;Lon\n7;31/12/2024 23:30;Rån;59,33;18,06\n8;45717,5;x;59,3;18\n',
      { columns: { id: 'Nr', occurred_from: 'Datum', category: 'Typ', lat: 'Lat', lon: 'Lon' }, dateFormat: 'DD/MM/YYYY', values: { rån: 'ran' } });
    expect(csv.header.format).toBe('csv');
    expect(csv.rows[0]).toEqual({ line: 2, fields: ['7', '2024-12-31T23:30:00', 'ran', '59.33', '18.06'] });
    expect(csv.rows[1].fields[1]).toBe('45717,5'); // not DD/MM/YYYY: left for the validator to name
    const proto = await read('id,occurred_from,category\n1,2025-01-01,__proto__\n2,2025-01-01,constructor\n', { columns: { id: 'id', occurred_from: 'occurred_from', category: 'category' }, values: { a: 'b' } });
    expect(proto.rows.map((r) => r.fields[2])).toEqual(['__proto__', 'constructor']); // not Object.prototype's members
    const serial = await read('id,when\n1,45717.5\n', { columns: { id: 'id', occurred_from: 'when' }, dateFormat: 'excel-serial' });
    expect(serial.rows[0].fields).toEqual(['1', '2025-03-01T12:00:00']);
    await expect(read('a,b\n1,2\n', { columns: { id: 'Ärendenummer' } })).rejects.toThrow(/takes id from column "Ärendenummer", which the file does not have \(found: a, b\)/);
  });

  it('checks the type and the size before parsing: zip bombs, JSON, binary, ZIPs that are not workbooks', async () => {
    expect(await refused(fakeZip(0xfffffff0 - 1))).toMatch(/expands to more than \d+ bytes, the limit; it was not expanded/);
    expect(await refused(lyingZip())).toMatch(/entry xl\/workbook.xml expands beyond the 100 bytes it declares \(a zip bomb\?\); it was not read/);
    expect(await refused(fakeZip(10, 6000))).toMatch(/6000 ZIP entries, more than the limit of 5000/);
    expect(await refused('{"type":"FeatureCollection"}')).toMatch(/is JSON, but this kind takes a CSV or XLSX table/);
    expect(await refused(Buffer.from([0xff, 0xfe, 0x69, 0x00, 0x64, 0x00]))).toMatch(/UTF-16/);
    expect(await refused(Buffer.concat([Buffer.from('PK\x03\x04'), Buffer.alloc(40)]))).toMatch(/not a readable XLSX workbook/);
  });
});
