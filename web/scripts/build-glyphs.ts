// Builds MapLibre SDF glyph ranges (glyphs.proto PBF) from the Noto Sans font of the npm package @fontsource/noto-sans,
// so the map's labels need nothing from the internet. Pure Node: opentype.js gives the outlines, the signed distance
// is computed exactly from the flattened outline (the way fontnik does it), pbf encodes.
// Run: npx tsx web/scripts/build-glyphs.ts  → web/public/fonts/<fontstack>/<start>-<end>.pbf (committed).
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import opentype from 'opentype.js';
import { PbfWriter } from 'pbf';

const require = createRequire(import.meta.url);
const FONT_DIR = path.join(path.dirname(require.resolve('@fontsource/noto-sans/package.json')), 'files');
const OUT = path.join(path.dirname(new URL(import.meta.url).pathname), '..', 'public', 'fonts');
const SIZE = 24; // MapLibre's glyph size
const BUFFER = 3; // border around each bitmap
const RADIUS = 8;
const CUTOFF = 0.25;
const RANGES = [0, 256, 512, 8192];
const STACKS: Record<string, number> = { 'Noto Sans Regular': 400, 'Noto Sans Bold': 700 };

type Seg = [number, number, number, number];

function loadFonts(weight: number): opentype.Font[] {
  return ['latin', 'latin-ext'].map((sub) => {
    const buf = fs.readFileSync(path.join(FONT_DIR, `noto-sans-${sub}-${weight}-normal.woff`));
    return opentype.parse(buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength));
  });
}

/** The outline as straight segments (y down, baseline at 0, SIZE px per em). */
function segments(p: opentype.Path): Seg[] {
  const segs: Seg[] = [];
  let x = 0, y = 0, sx = 0, sy = 0;
  const STEPS = 8;
  for (const c of p.commands) {
    if (c.type === 'M') { x = sx = c.x; y = sy = c.y; } else if (c.type === 'L') { segs.push([x, y, c.x, c.y]); x = c.x; y = c.y; } else if (c.type === 'Q') {
      for (let i = 1; i <= STEPS; i++) { const t = i / STEPS, u = 1 - t; const nx = u * u * x + 2 * u * t * c.x1 + t * t * c.x; const ny = u * u * y + 2 * u * t * c.y1 + t * t * c.y; segs.push([x, y, nx, ny]); x = nx; y = ny; }
      x = c.x; y = c.y;
    } else if (c.type === 'C') {
      const x0 = x, y0 = y; let px = x, py = y;
      for (let i = 1; i <= STEPS; i++) { const t = i / STEPS, u = 1 - t; const nx = u ** 3 * x0 + 3 * u * u * t * c.x1 + 3 * u * t * t * c.x2 + t ** 3 * c.x; const ny = u ** 3 * y0 + 3 * u * u * t * c.y1 + 3 * u * t * t * c.y2 + t ** 3 * c.y; segs.push([px, py, nx, ny]); px = nx; py = ny; }
      x = c.x; y = c.y;
    } else if (c.type === 'Z') { if (x !== sx || y !== sy) segs.push([x, y, sx, sy]); x = sx; y = sy; }
  }
  return segs;
}

function distToSeg(px: number, py: number, [ax, ay, bx, by]: Seg): number {
  const dx = bx - ax, dy = by - ay; const l2 = dx * dx + dy * dy;
  const t = l2 ? Math.max(0, Math.min(1, ((px - ax) * dx + (py - ay) * dy) / l2)) : 0;
  const qx = ax + t * dx - px, qy = ay + t * dy - py;
  return Math.sqrt(qx * qx + qy * qy);
}

/** Non-zero winding: TrueType/CFF outlines fill by it. */
function inside(px: number, py: number, segs: Seg[]): boolean {
  let w = 0;
  for (const [ax, ay, bx, by] of segs) {
    if (ay <= py) { if (by > py && (bx - ax) * (py - ay) - (px - ax) * (by - ay) > 0) w++; } else if (by <= py && (bx - ax) * (py - ay) - (px - ax) * (by - ay) < 0) w--;
  }
  return w !== 0;
}

type Glyph = { id: number; bitmap?: Uint8Array; width: number; height: number; left: number; top: number; advance: number };

function renderGlyph(fonts: opentype.Font[], cp: number): Glyph | null {
  const ch = String.fromCodePoint(cp);
  const font = fonts.find((f) => f.charToGlyph(ch).index > 0);
  if (!font) return null;
  const g = font.charToGlyph(ch);
  const scale = SIZE / font.unitsPerEm;
  const advance = Math.round((g.advanceWidth ?? 0) * scale);
  const ascender = Math.round(font.ascender * scale);
  const p = g.getPath(0, 0, SIZE);
  const segs = segments(p);
  if (!segs.length) return { id: cp, width: 0, height: 0, left: 0, top: -ascender, advance };
  const bb = p.getBoundingBox();
  const left = Math.floor(bb.x1), right = Math.ceil(bb.x2), top = Math.floor(bb.y1), bottom = Math.ceil(bb.y2);
  const width = right - left, height = bottom - top;
  const W = width + 2 * BUFFER, H = height + 2 * BUFFER;
  const bitmap = new Uint8Array(W * H);
  for (let j = 0; j < H; j++) {
    for (let i = 0; i < W; i++) {
      const px = left - BUFFER + i + 0.5, py = top - BUFFER + j + 0.5;
      let d = Infinity;
      for (const s of segs) d = Math.min(d, distToSeg(px, py, s));
      if (inside(px, py, segs)) d = -d;
      bitmap[j * W + i] = Math.max(0, Math.min(255, Math.round(255 - 255 * (d / RADIUS + CUTOFF))));
    }
  }
  // top: the glyph's upper edge relative to the ascender line, as MapLibre's shaping expects
  return { id: cp, bitmap, width, height, left, top: -top - ascender, advance };
}

function encode(name: string, start: number, glyphs: Glyph[]): Uint8Array {
  const pbf = new PbfWriter();
  pbf.writeMessage(1, (_: unknown, p: PbfWriter) => {
    p.writeStringField(1, name);
    p.writeStringField(2, `${start}-${start + 255}`);
    for (const g of glyphs) {
      p.writeMessage(3, (gl: Glyph, q: PbfWriter) => {
        q.writeVarintField(1, gl.id);
        if (gl.bitmap) q.writeBytesField(2, gl.bitmap);
        q.writeVarintField(3, gl.width);
        q.writeVarintField(4, gl.height);
        q.writeSVarintField(5, gl.left);
        q.writeSVarintField(6, gl.top);
        q.writeVarintField(7, gl.advance);
      }, g);
    }
  }, null);
  return pbf.finish();
}

for (const [stack, weight] of Object.entries(STACKS)) {
  const fonts = loadFonts(weight);
  const dir = path.join(OUT, stack);
  fs.mkdirSync(dir, { recursive: true });
  for (const start of RANGES) {
    const glyphs: Glyph[] = [];
    for (let cp = start; cp < start + 256; cp++) { const g = renderGlyph(fonts, cp); if (g) glyphs.push(g); }
    const buf = encode(stack, start, glyphs);
    fs.writeFileSync(path.join(dir, `${start}-${start + 255}.pbf`), buf);
    console.log(`${stack} ${start}-${start + 255}: ${glyphs.length} glyphs, ${buf.length} bytes`);
  }
}
