/**
 * Characters that change what a terminal or a reader sees rather than being text: C0 and C1
 * controls (ESC starts every terminal sequence), DEL, the bidi overrides and isolates (a name can
 * read backwards), and the line and paragraph separators.
 */
export const controlCharacters =
  // eslint-disable-next-line no-control-regex
  /[\u0000-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069\u2028\u2029]/g;

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
