// The list API answers IP entries as the engine's keys (`4:c6336407`, `4:cb007100/24`,
// `6:<32 hex digits>/48`); people read and type addresses. The dashboard shows the address and
// sends it back in that form to remove an entry (the API normalises it to the same key).

function ipv6Text(hex: string): string {
  const groups = Array.from({ length: 8 }, (_, i) => parseInt(hex.slice(i * 4, i * 4 + 4), 16).toString(16));
  // The longest run of two or more zero groups becomes "::".
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
  if (best < 0) return groups.join(':');
  return `${groups.slice(0, best).join(':')}::${groups.slice(best + bestLength).join(':')}`;
}

/** An IP list entry as an address or CIDR network; any other value unchanged. */
export function listValueText(kind: string, value: string): string {
  if (kind !== 'ip') return value;
  const m = /^([46]):([0-9a-f]+)(\/\d+)?$/.exec(value);
  if (!m) return value;
  const [, family, hex, prefix = ''] = m;
  if (family === '4' && hex!.length === 8) return `${[0, 2, 4, 6].map((i) => parseInt(hex!.slice(i, i + 2), 16)).join('.')}${prefix}`;
  if (family === '6' && hex!.length === 32) return `${ipv6Text(hex!)}${prefix}`;
  return value;
}
