// CSV for spreadsheets (RFC 4180: CRLF rows, fields quoted when they hold a comma, quote or
// line break, quotes doubled). Text that a spreadsheet would run as a formula (starting with
// = + - @, or a tab or carriage return that hides one) gets a leading apostrophe, so a
// student named "=HYPERLINK(...)" stays text when the file is opened.

type Cell = string | number | null | undefined;

const FORMULA_START = /^[=+\-@\t\r]/;

export function csvCell(value: Cell): string {
  if (value === null || value === undefined) return "";
  let text = String(value);
  if (typeof value === "string" && FORMULA_START.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** The whole file, with a byte-order mark so spreadsheet apps read it as UTF-8. */
export function toCsv(rows: Cell[][]): string {
  return `\uFEFF${rows.map((row) => row.map(csvCell).join(",")).join("\r\n")}\r\n`;
}
