/**
 * CSV as spreadsheets read it (RFC 4180): every cell quoted when it holds a
 * quote, comma or line break, rows ended by CRLF. A cell that a spreadsheet
 * would run as a formula (it starts with =, +, -, @, a tab or a carriage
 * return, also after leading spaces or line breaks, which some spreadsheets
 * trim on import) gets a leading apostrophe, so a system name or a person's
 * name such as `=HYPERLINK(…)` is shown as text and never evaluated (OWASP's
 * advice on CSV injection).
 */

const FORMULA_START = /^(?:[ \t\r\n]*[=+\-@]|[\t\r])/;

export function csvCell(value: string): string {
  const safe = FORMULA_START.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) || safe !== safe.trim() ? `"${safe.replace(/"/g, '""')}"` : safe;
}

export function toCsv(rows: readonly (readonly string[])[]): string {
  return rows.map((row) => row.map(csvCell).join(',')).join('\r\n') + '\r\n';
}
