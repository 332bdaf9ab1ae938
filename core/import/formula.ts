// Spreadsheet formula injection: a cell that starts with = + - @ (or a tab or carriage return,
// which some spreadsheets skip before reading the rest as a formula) is run as a formula when the
// data is opened in Excel or Sheets, e.g. =HYPERLINK("http://evil","click"). Imported text keeps
// such a value, visibly, behind an apostrophe (what spreadsheets themselves use to mean "this is
// text"): nothing a person typed is lost, and it can never become a formula when exported again.
// Plain numbers and phone numbers ("-12.5", "+1 555 0100") are data, not formulas, and stay as
// they are.

const TRIGGER = /^[=+\-@\t\r]/;
const NUMBER_OR_PHONE = /^[+-]?[\d\s().\-/]+$/;

export const isFormulaLike = (value: string) => TRIGGER.test(value) && !NUMBER_OR_PHONE.test(value);

export const neutralizeFormula = (value: string) => (isFormulaLike(value) ? `'${value}` : value);
