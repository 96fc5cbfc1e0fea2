/**
 * Characters that change what a terminal or a reader sees rather than being text: C0 and C1
 * controls (ESC starts every terminal sequence), DEL, the bidi marks, overrides and isolates (a
 * name can read backwards), and the line and paragraph separators.
 */
export const controlCharacters =
  // eslint-disable-next-line no-control-regex
  /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\u2028\u2029]/g;

const controlsButNewline =
  // eslint-disable-next-line no-control-regex
  /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\u2028\u2029]/g;

/** A control character as text a terminal shows and does not obey: `\x1b`, `\n`, `\u202e`. */
const visible = (char: string): string => {
  const code = char.charCodeAt(0);
  if (char === '\n') return '\\n';
  if (char === '\r') return '\\r';
  if (char === '\t') return '\\t';
  return code <= 0xff
    ? `\\x${code.toString(16).padStart(2, '0')}`
    : `\\u${code.toString(16).padStart(4, '0')}`;
};

/** One value (a table cell, a name in a sentence) made safe for a terminal: every control character shown, none obeyed. */
export const terminalText = (text: string): string => text.replace(controlCharacters, visible);

/** Human output made safe for a terminal: like `terminalText`, but its line breaks stay line breaks. */
export const terminalLines = (text: string): string => text.replace(controlsButNewline, visible);

/** How long stored upstream messages may be (sync history, module health): a few KB. */
export const maxStoredMessageChars = 4000;

/** Cuts `text` to `maxChars`, saying that (and how much) was cut. */
export function cutText(text: string, maxChars: number): string {
  if (text.length <= maxChars) return text;
  return `${text.slice(0, maxChars)}… [cut, ${text.length} characters]`;
}

/** Upstream text made fit to keep and show: one line, no control characters, at most `maxChars`. */
export function cleanUpstreamText(text: string, maxChars: number): string {
  // Cut first: cleaning 20 MB to keep 300 characters would be wasted work.
  const head = text.length > maxChars * 2 ? text.slice(0, maxChars * 2) : text;
  const clean = head.replace(controlCharacters, ' ').replace(/ {2,}/g, ' ').trim();
  return text.length > head.length
    ? `${clean.slice(0, maxChars)}… [cut, ${text.length} characters]`
    : cutText(clean, maxChars);
}
