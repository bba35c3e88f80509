// IP addresses as bytes (4 for IPv4, 16 for IPv6), so exact addresses and CIDR ranges compare on
// one canonical form whatever the merchant wrote ("::ffff:10.0.0.1" is 10.0.0.1, "2001:DB8::1"
// is "2001:db8:0:0:0:0:0:1"). Pure: no DNS, no node:net.

export type IpBytes = Uint8Array;

function parseV4(s: string): IpBytes | null {
  const parts = s.split('.');
  if (parts.length !== 4) return null;
  const out = new Uint8Array(4);
  for (let i = 0; i < 4; i++) {
    const p = parts[i];
    if (!/^\d{1,3}$/.test(p) || (p.length > 1 && p[0] === '0')) return null;
    const n = Number(p);
    if (n > 255) return null;
    out[i] = n;
  }
  return out;
}

function parseV6(s: string): IpBytes | null {
  if (s.length > 45 || !/^[0-9a-fA-F:.]+$/.test(s)) return null;
  let tail: IpBytes | null = null;
  let text = s;
  const lastColon = s.lastIndexOf(':');
  if (s.includes('.', lastColon)) {
    tail = parseV4(s.slice(lastColon + 1));
    if (!tail) return null;
    text = `${s.slice(0, lastColon + 1)}0:0`;
  }
  const halves = text.split('::');
  if (halves.length > 2) return null;
  const groups = (h: string): string[] | null => (h === '' ? [] : h.split(':'));
  const head = groups(halves[0]);
  const rest = halves.length === 2 ? groups(halves[1]) : [];
  if (!head || !rest) return null;
  const missing = 8 - head.length - rest.length;
  if (halves.length === 1 ? missing !== 0 : missing < 1) return null;
  const all = [...head, ...Array<string>(halves.length === 2 ? missing : 0).fill('0'), ...rest];
  const out = new Uint8Array(16);
  for (let i = 0; i < 8; i++) {
    if (!/^[0-9a-fA-F]{1,4}$/.test(all[i])) return null;
    const n = parseInt(all[i], 16);
    out[i * 2] = n >> 8;
    out[i * 2 + 1] = n & 0xff;
  }
  if (tail) out.set(tail, 12);
  // An IPv4-mapped address is that IPv4 address.
  if (out.subarray(0, 10).every((b) => b === 0) && out[10] === 0xff && out[11] === 0xff) return out.slice(12);
  return out;
}

/** The address's bytes, or null when it is not an IP address. */
export function parseIp(value: string): IpBytes | null {
  const s = value.trim();
  if (s.includes(':')) return parseV6(s);
  return parseV4(s);
}

/** "a.b.c.d/n" or "x::/n": the network's bytes and prefix length, or null when malformed. */
export function parseCidr(value: string): { bytes: IpBytes; prefix: number } | null {
  const [addr, len, extra] = value.trim().split('/');
  if (extra !== undefined || len === undefined || !/^\d{1,3}$/.test(len)) return null;
  const bytes = parseIp(addr);
  if (!bytes) return null;
  // A v4-mapped v6 network (::ffff:10.0.0.0/104) is the v4 network /8.
  let prefix = Number(len);
  if (bytes.length === 4 && addr.includes(':')) prefix -= 96;
  if (prefix < 0 || prefix > bytes.length * 8) return null;
  return { bytes: maskBytes(bytes, prefix), prefix };
}

export function maskBytes(bytes: IpBytes, prefix: number): IpBytes {
  const out = bytes.slice();
  for (let i = 0; i < out.length; i++) {
    const bits = Math.max(0, Math.min(8, prefix - i * 8));
    out[i] &= bits === 0 ? 0 : (0xff << (8 - bits)) & 0xff;
  }
  return out;
}

/**
 * An address or network key (`4:c6336407`, `4:cb007100/24`, `6:<32 hex>/48`) as people write it
 * (`198.51.100.7`, `203.0.113.0/24`, `2001:db8::/48`); null when it is not such a key.
 */
export function ipKeyText(key: string): string | null {
  const m = /^([46]):([0-9a-f]+)(\/\d{1,3})?$/.exec(key);
  if (!m) return null;
  const [, family, hex, prefix = ''] = m as unknown as [string, string, string, string | undefined];
  if (family === '4' && hex.length === 8) return `${[0, 2, 4, 6].map((i) => parseInt(hex.slice(i, i + 2), 16)).join('.')}${prefix}`;
  if (family !== '6' || hex.length !== 32) return null;
  const groups = Array.from({ length: 8 }, (_, i) => parseInt(hex.slice(i * 4, i * 4 + 4), 16).toString(16));
  // The longest run of two or more zero groups becomes "::" (RFC 5952).
  let best = -1;
  let bestLength = 1;
  for (let i = 0; i < 8; ) {
    if (groups[i] !== '0') {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === '0') j++;
    if (j - i > bestLength) {
      best = i;
      bestLength = j - i;
    }
    i = j;
  }
  const text = best < 0 ? groups.join(':') : `${groups.slice(0, best).join(':')}::${groups.slice(best + bestLength).join(':')}`;
  return `${text}${prefix}`;
}

/** A canonical string key of an address (or a masked network) and its family. */
export function ipKey(bytes: IpBytes): string {
  let s = bytes.length === 4 ? '4:' : '6:';
  for (let i = 0; i < bytes.length; i++) s += bytes[i].toString(16).padStart(2, '0');
  return s;
}
