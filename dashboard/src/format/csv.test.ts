import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { csvField, parseCsv, toCsv } from './csv';

describe('CSV', () => {
  it('quotes commas, quotes and line breaks; doubles quotes', () => {
    expect(csvField('plain')).toBe('plain');
    expect(csvField('a,b')).toBe('"a,b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField('two\nlines')).toBe('"two\nlines"');
    expect(csvField(null)).toBe('');
    expect(csvField(12)).toBe('12');
  });

  it('defuses spreadsheet formulas but keeps negative numbers', () => {
    expect(csvField('=SUM(A1:A2)')).toBe("'=SUM(A1:A2)");
    expect(csvField('@cmd')).toBe("'@cmd");
    expect(csvField('+1')).toBe("'+1");
    expect(csvField('-5.00')).toBe('-5.00');
    expect(csvField('-x')).toBe("'-x");
  });

  it('writes a header and CRLF rows', () => {
    const csv = toCsv(
      [
        { header: 'id', value: (r: { id: string; n: number }) => r.id },
        { header: 'n', value: (r) => r.n },
      ],
      [{ id: 'a,1', n: 2 }],
    );
    expect(csv).toBe('id,n\r\n"a,1",2\r\n');
  });

  it('round-trips any text that does not start like a formula', () => {
    const cell = fc.string({ unit: 'grapheme' }).filter((s) => !/^[=+@\t\r-]/.test(s));
    fc.assert(
      fc.property(fc.array(fc.array(cell, { minLength: 2, maxLength: 2 }), { maxLength: 6 }), (rows) => {
        const columns = [0, 1].map((i) => ({ header: `c${i}`, value: (r: string[]) => r[i] }));
        const parsed = parseCsv(toCsv(columns, rows));
        expect(parsed).toEqual([['c0', 'c1'], ...rows]);
      }),
    );
  });
});
