import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { csvCell, toCsv } from '../../src/leads/csv.js';
import { fileNamePart } from '../../src/leads/export-csv.js';
import { parseCsv } from './support/csv-parse.js';

const FORMULA = /^(?:[ \t\r\n]*[=+\-@]|[\t\r])/;

describe('CSV', () => {
  it('quotes cells with quotes, commas, line breaks or edge spaces, and leaves plain ones bare', () => {
    expect(csvCell('Resume screener')).toBe('Resume screener');
    expect(csvCell('a, b')).toBe('"a, b"');
    expect(csvCell('say "hi"')).toBe('"say ""hi"""');
    expect(csvCell('two\nlines')).toBe('"two\nlines"');
    expect(csvCell(' padded ')).toBe('" padded "');
    expect(csvCell('')).toBe('');
  });

  it('neutralises anything a spreadsheet would run as a formula', () => {
    expect(csvCell('=HYPERLINK("http://x","y")')).toBe(`"'=HYPERLINK(""http://x"",""y"")"`);
    expect(csvCell('+1+1')).toBe("'+1+1");
    expect(csvCell('-2')).toBe("'-2");
    expect(csvCell('@SUM(A1)')).toBe("'@SUM(A1)");
    expect(csvCell('\t=1')).toBe("'\t=1");
    expect(csvCell('\r=1')).toBe(`"'\r=1"`);
    expect(csvCell('a=1')).toBe('a=1');
    // Spreadsheets that trim cells on import would find the formula behind the spaces or the line break.
    expect(csvCell(' =1+1')).toBe("' =1+1");
    expect(csvCell('\n@SUM(A1)')).toBe(`"'\n@SUM(A1)"`);
    expect(csvCell('  plain')).toBe('"  plain"');
  });

  it('reads back as the same cells (formulas prefixed), whatever the text', () => {
    fc.assert(
      fc.property(fc.array(fc.array(fc.string({ unit: fc.constantFrom('a', 'b', ',', '"', '\n', '\r', ' ', '=', '+', '-', '@', '\t', 'é', "'") }), { minLength: 1, maxLength: 6 }), { minLength: 1, maxLength: 6 }), (rows) => {
        const text = toCsv(rows);
        expect(text.endsWith('\r\n')).toBe(true);
        const back = parseCsv(text);
        expect(back).toEqual(rows.map((row) => row.map((cell) => (FORMULA.test(cell) ? `'${cell}` : cell))));
        for (const cell of back.flat()) expect(FORMULA.test(cell)).toBe(false);
      }),
      { numRuns: 300 },
    );
  });
});

describe('a CSV file named after its channel', () => {
  it('keeps a channel name that is safe as it is, without its #', () => {
    expect(fileNamePart('#ai-reviews', 'C0AI')).toBe('ai-reviews');
    expect(fileNamePart('#ml_platform-2', 'C0ML')).toBe('ml_platform-2');
  });

  it('makes anything else safe in a file name, and falls back to the id', () => {
    expect(fileNamePart('#../../etc/passwd', 'C0X')).toBe('etc-passwd');
    expect(fileNamePart('#équipe ia', 'C0X')).toBe('quipe-ia');
    expect(fileNamePart('#日本', 'C0JP')).toBe('C0JP');
    // A name that could not be looked up is the id itself.
    expect(fileNamePart('C0NOTFOUND', 'C0NOTFOUND')).toBe('C0NOTFOUND');
    expect(fileNamePart(`#${'a'.repeat(200)}`, 'C0X')).toHaveLength(80);
    fc.assert(
      fc.property(fc.string(), (name) => {
        expect(fileNamePart(name, 'C0FALLBACK')).toMatch(/^[A-Za-z0-9][A-Za-z0-9_-]{0,79}$/);
      }),
    );
  });
});
