// The XML reader and writer Braintree answers are read with (xml.ts).
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { readAnswer } from './transformers.ts';
import { parseXml, readXmlDocument, writeXml, xml, xmlValue, XmlError } from './xml.ts';

describe('the XML reader and writer', () => {
  test('reads typed values the way the SDK does: nil, integer, boolean, array, collection, repeated elements', () => {
    const document = `<?xml version="1.0" encoding="UTF-8"?>
<credit-card-transactions type="collection">
  <page-size type="integer">50</page-size>
  <transaction><id>a1</id><status>settled</status><amount>10.00</amount><refund-ids type="array"><item>c1</item><item>c2</item></refund-ids><tax-exempt type="boolean">false</tax-exempt><order-id nil="true"/></transaction>
  <transaction><id>a2</id><status>voided</status><refund-ids type="array"/></transaction>
</credit-card-transactions>`;
    const { root, value } = readXmlDocument(document);
    assert.equal(root, 'credit-card-transactions');
    assert.deepEqual(value, {
      'page-size': 50,
      transaction: [
        { id: 'a1', status: 'settled', amount: '10.00', 'refund-ids': ['c1', 'c2'], 'tax-exempt': false, 'order-id': null },
        { id: 'a2', status: 'voided', 'refund-ids': [] },
      ],
    });
    const answer = readAnswer(document);
    assert.equal(answer.kind === 'transactions' && answer.transactions.length, 2);
  });

  test('entities and character references are decoded; an element named __proto__ is plain data', () => {
    const value = xmlValue(parseXml('<a><b>&lt;x&gt; &amp; &quot;y&quot; &apos;z&apos; &#233;&#x41;</b><__proto__><polluted>yes</polluted></__proto__></a>')) as Record<string, unknown>;
    assert.equal(value.b, '<x> & "y" \'z\' éA');
    assert.equal(({} as Record<string, unknown>).polluted, undefined);
    assert.deepEqual(Object.keys(value), ['b', '__proto__']);
  });

  test('refuses what a Braintree answer never holds: DOCTYPE and entities, mismatched or unclosed tags, mixed content, stray ampersands, bad typed values, two roots', () => {
    for (const bad of [
      '<!DOCTYPE a [<!ENTITY x SYSTEM "file:///etc/passwd">]><a>&x;</a>',
      '<a><b></a></b>',
      '<a><b>',
      '<a>text<b/></a>',
      '<a>AT&T</a>',
      '<a>&nbsp;</a>',
      '<a type="integer">1.5</a>',
      '<a type="boolean">yes</a>',
      '<a/><b/>',
      '<a x="1" x="2"/>',
      '<?php echo 1; ?><a/>',
      '',
    ]) {
      assert.throws(() => xmlValue(parseXml(bad)), XmlError, bad);
    }
    assert.equal(readAnswer('<html>oops</html>').kind, 'unreadable');
    assert.equal(readAnswer('not xml').kind, 'unreadable');
  });

  test('whatever text is written is read back unchanged (property)', () => {
    fc.assert(
      fc.property(
        fc.string({ unit: 'binary', maxLength: 60 }).filter((s) => !/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ud800-\udfff\ufffe\uffff]/.test(s) && s.trim() === s && s !== ''),
        (text) => {
          const written = writeXml(xml.obj('root', [xml.str('text', text), xml.int('n', 42), xml.bool('b', true), xml.nil('none'), xml.array('list', [xml.str('item', text)])]));
          assert.deepEqual(readXmlDocument(written).value, { text, n: 42, b: true, none: null, list: [text] });
        },
      ),
      { numRuns: 300 },
    );
  });
});
