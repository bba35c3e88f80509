// Block and allow lists: one in-memory index per merchant and list, built once from its entries
// and consulted on every payment. Exact values live in hash sets; BIN entries (6 or 8 digits, or
// a "lo-hi" range) become merged intervals on an 8-digit scale searched by bisection; CIDR
// networks sit in one hash set per prefix length, so a lookup is a few hash probes whatever
// the list's size (a million entries load in about a second: see docs/risk.md).
import { ipKey, maskBytes, parseCidr, parseIp } from './ip.ts';
import type { RiskContext } from './types.ts';

export const LIST_KINDS = ['card_fingerprint', 'bin', 'email', 'email_domain', 'ip', 'customer_id', 'issuer_country', 'device_id'] as const;
export type ListKind = (typeof LIST_KINDS)[number];

export function isListKind(value: unknown): value is ListKind {
  return typeof value === 'string' && (LIST_KINDS as readonly string[]).includes(value);
}

export type Normalised = { ok: true; value: string } | { ok: false; reason: string };

const EMAIL = /^[^\s@]{1,64}@[^\s@]{1,255}$/;
const DOMAIN = /^(?=.{1,253}$)([a-z0-9-]{1,63}\.)+[a-z]{2,63}$/;

/** The canonical form of a list value of a kind, or why it is not one. */
export function normaliseListValue(kind: ListKind, raw: string): Normalised {
  const v = raw.trim();
  if (v === '') return { ok: false, reason: 'is empty' };
  switch (kind) {
    case 'card_fingerprint':
      // Digits only would be a card number: refused, so a list never stores one in clear.
      return /^[A-Za-z0-9_-]{16,64}$/.test(v) && !/^\d+$/.test(v) ? { ok: true, value: v } : { ok: false, reason: 'is not a card fingerprint (16 to 64 base64url characters, not a card number)' };
    case 'bin': {
      const range = /^(\d{6}|\d{8})-(\d{6}|\d{8})$/.exec(v);
      if (range) {
        const [lo, hi] = [scaleLow(range[1]), scaleHigh(range[2])];
        return lo <= hi ? { ok: true, value: `${range[1]}-${range[2]}` } : { ok: false, reason: 'is a BIN range whose start is after its end' };
      }
      return /^(\d{6}|\d{8})$/.test(v) ? { ok: true, value: v } : { ok: false, reason: 'is not a BIN (6 or 8 digits) or a BIN range (lo-hi)' };
    }
    case 'email':
      return EMAIL.test(v) ? { ok: true, value: v.toLowerCase() } : { ok: false, reason: 'is not an email address' };
    case 'email_domain': {
      const d = v.toLowerCase().replace(/^@/, '');
      return DOMAIN.test(d) ? { ok: true, value: d } : { ok: false, reason: 'is not a domain name' };
    }
    case 'ip': {
      if (v.includes('/')) {
        const net = parseCidr(v);
        return net ? { ok: true, value: `${ipKey(net.bytes)}/${net.prefix}` } : { ok: false, reason: 'is not an IPv4 or IPv6 CIDR network' };
      }
      const ip = parseIp(v);
      return ip ? { ok: true, value: ipKey(ip) } : { ok: false, reason: 'is not an IPv4 or IPv6 address' };
    }
    case 'customer_id':
    case 'device_id':
      return v.length <= 128 ? { ok: true, value: v } : { ok: false, reason: 'is longer than 128 characters' };
    case 'issuer_country':
      return /^[A-Za-z]{2}$/.test(v) ? { ok: true, value: v.toUpperCase() } : { ok: false, reason: 'is not an ISO 3166 two-letter country code' };
  }
}

function scaleLow(bin: string): number {
  return bin.length === 6 ? Number(bin) * 100 : Number(bin);
}
function scaleHigh(bin: string): number {
  return bin.length === 6 ? Number(bin) * 100 + 99 : Number(bin);
}

export interface ListHit {
  kind: ListKind;
  /** What matched, as shown to the merchant (never a card number: fingerprints and BINs only). */
  value: string;
}

/** An index over one list's entries (values already normalised). */
export class ListIndex {
  private readonly exact = new Map<ListKind, Set<string>>();
  private readonly cidrs = new Map<string, Set<string>>(); // "4/24" -> masked network keys
  private cidrPrefixes: Array<{ family: 4 | 6; prefix: number; set: Set<string> }> = [];
  private binLo: number[] = [];
  private binHi: number[] = [];
  private rangesLo: Float64Array = new Float64Array(0);
  private rangesHi: Float64Array = new Float64Array(0);
  private dirty = false;
  size = 0;

  /** Adds a normalised value; returns false when it is not a valid value of the kind. */
  add(kind: ListKind, value: string): boolean {
    this.size++;
    if (kind === 'bin') {
      const dash = value.indexOf('-');
      const lo = dash < 0 ? value : value.slice(0, dash);
      const hi = dash < 0 ? value : value.slice(dash + 1);
      this.binLo.push(scaleLow(lo));
      this.binHi.push(scaleHigh(hi));
      this.dirty = true;
      return true;
    }
    if (kind === 'ip' && value.includes('/')) {
      const slash = value.indexOf('/');
      const family = value[0] === '4' ? 4 : 6;
      const bucket = `${family}/${value.slice(slash + 1)}`;
      let set = this.cidrs.get(bucket);
      if (!set) {
        set = new Set();
        this.cidrs.set(bucket, set);
        this.cidrPrefixes.push({ family, prefix: Number(value.slice(slash + 1)), set });
      }
      set.add(value.slice(0, slash));
      return true;
    }
    let set = this.exact.get(kind);
    if (!set) {
      set = new Set();
      this.exact.set(kind, set);
    }
    set.add(value);
    return true;
  }

  /** Adds a raw value after normalising it; returns the reason when it is not valid. */
  addRaw(kind: ListKind, raw: string): string | null {
    const n = normaliseListValue(kind, raw);
    if (!n.ok) return n.reason;
    this.add(kind, n.value);
    return null;
  }

  private buildRanges(): void {
    const n = this.binLo.length;
    const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => this.binLo[a] - this.binLo[b]);
    const lo: number[] = [];
    const hi: number[] = [];
    for (const i of order) {
      const last = lo.length - 1;
      if (last >= 0 && this.binLo[i] <= hi[last] + 1) hi[last] = Math.max(hi[last], this.binHi[i]);
      else {
        lo.push(this.binLo[i]);
        hi.push(this.binHi[i]);
      }
    }
    this.rangesLo = Float64Array.from(lo);
    this.rangesHi = Float64Array.from(hi);
    this.dirty = false;
  }

  /** Is the whole interval [lo, hi] (8-digit scale) inside the list's BIN ranges? */
  private binCovered(lo: number, hi: number): boolean {
    if (this.dirty) this.buildRanges();
    let a = 0;
    let b = this.rangesLo.length - 1;
    while (a <= b) {
      const m = (a + b) >> 1;
      if (this.rangesLo[m] > lo) b = m - 1;
      else if (this.rangesHi[m] < lo) a = m + 1;
      else return this.rangesHi[m] >= hi;
    }
    return false;
  }

  has(kind: ListKind, value: string): boolean {
    return this.exact.get(kind)?.has(value) ?? false;
  }

  /** Call after loading: builds what lookups need, so the first payment does not pay for it. */
  seal(): this {
    if (this.dirty) this.buildRanges();
    return this;
  }

  /** The first entry the payment matches, in the order of LIST_KINDS, or null. */
  match(ctx: RiskContext): ListHit | null {
    const card = ctx.card;
    if (card?.fingerprint && this.has('card_fingerprint', card.fingerprint)) return { kind: 'card_fingerprint', value: card.fingerprint };
    if (card && this.binLo.length > 0) {
      const hit = card.extendedBin ? this.binCovered(Number(card.extendedBin), Number(card.extendedBin)) : this.binCovered(scaleLow(card.bin), scaleHigh(card.bin));
      if (hit) return { kind: 'bin', value: card.extendedBin ?? card.bin };
    }
    if (ctx.email) {
      const email = ctx.email.trim().toLowerCase();
      if (this.has('email', email)) return { kind: 'email', value: email };
      const domain = email.slice(email.lastIndexOf('@') + 1);
      if (domain && this.hasDomain(domain)) return { kind: 'email_domain', value: domain };
    }
    if (ctx.clientIp) {
      const bytes = parseIp(ctx.clientIp);
      if (bytes) {
        const key = ipKey(bytes);
        if (this.has('ip', key)) return { kind: 'ip', value: ctx.clientIp };
        const family = bytes.length === 4 ? 4 : 6;
        for (const c of this.cidrPrefixes) {
          if (c.family === family && c.set.has(ipKey(maskBytes(bytes, c.prefix)))) return { kind: 'ip', value: `${ctx.clientIp} in /${c.prefix}` };
        }
      }
    }
    if (ctx.customerId && this.has('customer_id', ctx.customerId)) return { kind: 'customer_id', value: ctx.customerId };
    if (card?.issuerCountry && this.has('issuer_country', card.issuerCountry.toUpperCase())) return { kind: 'issuer_country', value: card.issuerCountry.toUpperCase() };
    if (ctx.deviceId && this.has('device_id', ctx.deviceId)) return { kind: 'device_id', value: ctx.deviceId };
    return null;
  }

  /** A domain or any of its parents (mail.example.com is caught by example.com). */
  private hasDomain(domain: string): boolean {
    const set = this.exact.get('email_domain');
    if (!set) return false;
    let d = domain;
    for (;;) {
      if (set.has(d)) return true;
      const dot = d.indexOf('.');
      if (dot < 0) return false;
      d = d.slice(dot + 1);
    }
  }
}

/** Parses a blocklist file: one value per line, or CSV with the value in the first column. Blank lines and "#" comments are skipped; the importer validates each value (a CSV header fails validation and is reported, not stored). */
export function parseListFile(text: string): string[] {
  const out: string[] = [];
  for (const line of text.split(/\r?\n/)) {
    const t = line.trim();
    if (t === '' || t.startsWith('#')) continue;
    const first = t.includes(',') ? t.slice(0, t.indexOf(',')).trim().replace(/^"|"$/g, '') : t;
    if (first !== '') out.push(first);
  }
  return out;
}
