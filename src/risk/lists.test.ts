import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ListIndex, normaliseListValue, parseListFile, type ListKind } from './lists.ts';
import { parseCidr, parseIp } from './ip.ts';
import { riskContext } from './testing.ts';

function index(entries: Array<[ListKind, string]>): ListIndex {
  const list = new ListIndex();
  for (const [kind, raw] of entries) assert.equal(list.addRaw(kind, raw), null, `${kind} ${raw}`);
  return list.seal();
}

describe('IP parsing', () => {
  it('reads IPv4, IPv6, compressed and v4-mapped forms', () => {
    assert.deepEqual([...parseIp('10.0.0.1')!], [10, 0, 0, 1]);
    assert.deepEqual([...parseIp('::ffff:10.0.0.1')!], [10, 0, 0, 1]);
    assert.equal(parseIp('2001:db8::1')!.length, 16);
    assert.deepEqual(parseIp('2001:DB8:0:0:0:0:0:1'), parseIp('2001:db8::1'));
    for (const bad of ['10.0.0', '10.0.0.256', '01.2.3.4', '1::2::3', '2001:db8::g', '1:2:3:4:5:6:7:8:9', '']) assert.equal(parseIp(bad), null, bad);
  });
  it('masks CIDR networks', () => {
    assert.deepEqual([...parseCidr('10.1.2.3/8')!.bytes], [10, 0, 0, 0]);
    assert.equal(parseCidr('10.0.0.0/33'), null);
    assert.equal(parseCidr('2001:db8::/129'), null);
    assert.equal(parseCidr('2001:db8::/32')!.prefix, 32);
  });
});

describe('list index', () => {
  it('matches card fingerprints, emails, email domains and their subdomains, customers, devices, issuer countries', () => {
    const list = index([
      ['card_fingerprint', 'fp_aaaaaaaaaaaaaaaaaaaa'],
      ['email', 'Bad@Example.org'],
      ['email_domain', '@mailinator.com'],
      ['customer_id', 'cust_9'],
      ['device_id', 'dev_9'],
      ['issuer_country', 'ng'],
    ]);
    assert.deepEqual(list.match(riskContext()), { kind: 'card_fingerprint', value: 'fp_aaaaaaaaaaaaaaaaaaaa' });
    const noCard = { card: null };
    assert.equal(list.match(riskContext(noCard)), null);
    assert.equal(list.match(riskContext({ ...noCard, email: 'bad@example.org' }))?.kind, 'email');
    assert.equal(list.match(riskContext({ ...noCard, email: 'x@eu.MAILINATOR.com' }))?.kind, 'email_domain');
    assert.equal(list.match(riskContext({ ...noCard, email: 'x@notmailinator.com' })), null);
    assert.equal(list.match(riskContext({ ...noCard, customerId: 'cust_9' }))?.kind, 'customer_id');
    assert.equal(list.match(riskContext({ ...noCard, deviceId: 'dev_9' }))?.kind, 'device_id');
    const ng = riskContext({ card: { ...riskContext().card!, fingerprint: 'fp_other_______________', issuerCountry: 'NG' } });
    assert.equal(list.match(ng)?.kind, 'issuer_country');
  });

  it('matches BINs exactly, by 8-digit entry, and by range; a 6-digit card only when the whole BIN is covered', () => {
    const card = (bin: string, extendedBin: string | null) => riskContext({ card: { ...riskContext().card!, fingerprint: null, bin, extendedBin } });
    const list = index([
      ['bin', '411111'],
      ['bin', '52000000-52999999'],
      ['bin', '60000012'],
    ]);
    assert.equal(list.match(card('411111', '41111122'))?.kind, 'bin');
    assert.equal(list.match(card('411111', null))?.kind, 'bin');
    assert.equal(list.match(card('411112', '41111200')), null);
    assert.equal(list.match(card('524000', null))?.kind, 'bin');
    assert.equal(list.match(card('530000', '53000000')), null);
    assert.equal(list.match(card('600000', '60000012'))?.kind, 'bin');
    assert.equal(list.match(card('600000', null)), null, 'an 8-digit entry does not block the whole 6-digit BIN');
  });

  it('matches IPv4 and IPv6 addresses and CIDR networks', () => {
    const list = index([
      ['ip', '198.51.100.4'],
      ['ip', '10.0.0.0/8'],
      ['ip', '2001:db8::/32'],
      ['ip', '2001:db9::5'],
    ]);
    const ip = (clientIp: string) => list.match(riskContext({ card: null, clientIp }))?.kind ?? null;
    assert.equal(ip('198.51.100.4'), 'ip');
    assert.equal(ip('198.51.100.5'), null);
    assert.equal(ip('10.200.3.4'), 'ip');
    assert.equal(ip('::ffff:10.1.1.1'), 'ip');
    assert.equal(ip('11.0.0.1'), null);
    assert.equal(ip('2001:db8:ffff::1'), 'ip');
    assert.equal(ip('2001:0DB9:0::5'), 'ip');
    assert.equal(ip('2001:db9::6'), null);
    assert.equal(ip('not-an-ip'), null);
  });

  it('rejects malformed values with a reason', () => {
    for (const [kind, v] of [
      ['bin', '4111'],
      ['bin', '499999-400000'],
      ['email', 'nobody'],
      ['ip', '10.0.0.0/40'],
      ['issuer_country', 'IND'],
      ['card_fingerprint', '4111111111111111 '],
    ] as Array<[ListKind, string]>) {
      const n = normaliseListValue(kind, v);
      assert.equal(n.ok, false, `${kind} ${v}`);
    }
    assert.equal(normaliseListValue('card_fingerprint', '4111 1111 1111 1111').ok, false);
  });

  it('parses newline and CSV files', () => {
    assert.deepEqual(parseListFile('value,note\n1.2.3.4, bad\n\n# comment\r\n"5.6.7.8",x\n9.9.9.9'), ['value', '1.2.3.4', '5.6.7.8', '9.9.9.9']);
  });

  it('loads many entries and agrees with a plain set on lookups', () => {
    const list = new ListIndex();
    const emails = new Set<string>();
    for (let i = 0; i < 50_000; i++) {
      const e = `user${i * 7}@example.com`;
      emails.add(e);
      list.add('email', e);
    }
    list.seal();
    for (let i = 0; i < 2_000; i++) {
      const e = `user${i}@example.com`;
      assert.equal(list.match(riskContext({ card: null, email: e }))?.kind === 'email', emails.has(e), e);
    }
  });
});
