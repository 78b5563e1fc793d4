/**
 * The type of an upload, decided from its first bytes only: the file name and the client's
 * Content-Type are the sender's claim, and a renamed HTML or SVG file must not pass as a photo.
 */

export const PHOTO_TYPES = ['image/jpeg', 'image/png', 'image/webp', 'image/heic', 'image/heif'] as const;
export type PhotoType = (typeof PHOTO_TYPES)[number];
export type SniffedType = PhotoType | 'application/pdf';

/** How many leading bytes sniffing needs. */
export const SNIFF_BYTES = 64;

const startsWith = (head: Uint8Array, bytes: number[], at = 0): boolean => bytes.every((b, i) => head[at + i] === b);
const ascii = (head: Uint8Array, from: number, to: number): string => String.fromCharCode(...head.subarray(from, to));

// HEIF brands (ISO/IEC 23008-12): HEVC-coded "HEIC" brands, and the generic image brands (AVIF included).
const HEIC_BRANDS = new Set(['heic', 'heix', 'heim', 'heis', 'hevc', 'hevx']);
const HEIF_BRANDS = new Set(['mif1', 'msf1', 'avif']);

function heifType(head: Uint8Array): PhotoType | null {
  if (ascii(head, 4, 8) !== 'ftyp') return null;
  const boxSize = ((head[0]! << 24) | (head[1]! << 16) | (head[2]! << 8) | head[3]!) >>> 0;
  const end = Math.min(boxSize, head.length);
  // The major brand at 8, then the compatible brands after the minor version.
  const brands = [ascii(head, 8, 12)];
  for (let at = 16; at + 4 <= end; at += 4) brands.push(ascii(head, at, at + 4));
  if (brands.some((b) => HEIC_BRANDS.has(b))) return 'image/heic';
  if (brands.some((b) => HEIF_BRANDS.has(b))) return 'image/heif';
  return null;
}

/** The type the bytes are, among the ones we accept; null for anything else (SVG, HTML, text, executables…). */
export function sniff(head: Uint8Array): SniffedType | null {
  if (startsWith(head, [0xff, 0xd8, 0xff])) return 'image/jpeg';
  if (startsWith(head, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return 'image/png';
  if (ascii(head, 0, 4) === 'RIFF' && ascii(head, 8, 12) === 'WEBP') return 'image/webp';
  if (ascii(head, 0, 5) === '%PDF-') return 'application/pdf';
  return heifType(head);
}

export const isPhotoType = (t: SniffedType): t is PhotoType => (PHOTO_TYPES as readonly string[]).includes(t);
