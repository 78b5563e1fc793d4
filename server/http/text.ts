/**
 * The one rule for user text beyond control characters (issue 15: names and titles could
 * spoof what is shown around them).
 *
 * Refused: bidi embeddings, overrides and isolates (U+202A–U+202E, U+2066–U+2069), which
 * reorder the text after them, "invoice.pdf" shown for "fdp.exe…". Removed: invisible
 * characters with no use in names and titles, zero-width space (U+200B), word joiner and
 * invisible operators (U+2060–U+2064), the byte-order mark (U+FEFF) and the Mongolian vowel
 * separator (U+180E), which make two names look the same. Kept: the zero-width (non-)joiners,
 * which Persian, Indic scripts and emoji sequences need, and the left-to-right and
 * right-to-left marks, which reorder nothing beyond their neighbours.
 */
const BIDI_CONTROL = /[\u202a-\u202e\u2066-\u2069]/;
const INVISIBLE = /[\u200b\u2060-\u2064\ufeff\u180e]/g;

export const BIDI_MESSAGE = 'must not contain bidirectional control characters';

export const hasBidiControl = (s: string): boolean => BIDI_CONTROL.test(s);

export const stripInvisible = (s: string): string => s.replace(INVISIBLE, '');
