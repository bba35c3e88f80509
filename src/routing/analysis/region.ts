// Sets of payments as unions of boxes over a ClassSpace: a box holds, per dimension, the set of
// classes allowed (a bit mask); a region is a list of boxes (they may overlap). Intersection,
// difference and emptiness are exact. Sizes are capped: past the cap an operation gives up
// (TooComplex) rather than run away on a pathological logic.

export type Box = bigint[];
export type Region = Box[];

export class TooComplex extends Error {
  constructor() {
    super('the logic is too complex to analyse exactly');
  }
}

/** At most this many boxes in one region. */
export const MAX_BOXES = 4_000;

export function fullMask(size: number): bigint {
  return (1n << BigInt(size)) - 1n;
}

export function fullBox(sizes: readonly number[]): Box {
  return sizes.map(fullMask);
}

function isEmptyBox(b: Box): boolean {
  for (const m of b) if (m === 0n) return true;
  return false;
}

export function intersectBox(a: Box, b: Box): Box | null {
  const out: Box = new Array(a.length);
  for (let i = 0; i < a.length; i++) {
    const m = a[i] & b[i];
    if (m === 0n) return null;
    out[i] = m;
  }
  return out;
}

export function intersect(a: Region, b: Region): Region {
  const out: Region = [];
  for (const x of a) {
    for (const y of b) {
      const z = intersectBox(x, y);
      if (z) out.push(z);
      if (out.length > MAX_BOXES) throw new TooComplex();
    }
  }
  return out;
}

/** a \ b for one box each: at most one box per dimension where they differ. */
export function subtractBox(a: Box, b: Box): Region {
  if (!intersectBox(a, b)) return [a];
  const out: Region = [];
  const cur = [...a];
  for (let i = 0; i < a.length; i++) {
    const outside = cur[i] & ~b[i];
    if (outside !== 0n) {
      const piece = [...cur];
      piece[i] = outside;
      out.push(piece);
    }
    cur[i] = cur[i] & b[i];
  }
  return out;
}

export function subtract(a: Region, b: Region): Region {
  let out = a;
  for (const y of b) {
    const next: Region = [];
    for (const x of out) {
      for (const z of subtractBox(x, y)) next.push(z);
      if (next.length > MAX_BOXES) throw new TooComplex();
    }
    out = next;
    if (out.length === 0) break;
  }
  return out;
}

export function isEmpty(r: Region): boolean {
  return r.every(isEmptyBox);
}

/** The lowest class of every dimension of the region's first box: one payment in the region. */
export function pointOf(r: Region): number[] | null {
  const box = r.find((b) => !isEmptyBox(b));
  if (!box) return null;
  return box.map((m) => {
    let i = 0;
    while (((m >> BigInt(i)) & 1n) === 0n) i++;
    return i;
  });
}
