/**
 * Photos are re-encoded before anyone sees them: orientation applied, every piece of metadata
 * dropped (EXIF with its GPS position, XMP, IPTC, comments), and only the decoded pixels written
 * out again, so nothing appended to or hidden in the upload (an HTML payload, a second format)
 * survives. One display size and one thumbnail are kept; the original bytes are not.
 */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { availableParallelism } from 'node:os';
import sharp from 'sharp';
import { ApiError } from '../http/errors.js';

// libvips' operation cache would keep decoded images alive between uploads; each upload is new.
sharp.cache(false);
// One libvips thread per photo: photos are already decoded side by side (the gate below), and
// each extra thread holds its own pixel buffers and only contends for the same cores.
sharp.concurrency(1);

export const DISPLAY_EDGE = 2048;
export const THUMB_EDGE = 400;
/** Larger pixel counts are refused before decoding (a small file can claim a huge image). */
const MAX_PIXELS = 80_000_000;

export interface Encoded {
  path: string;
  size: number;
  sha256: string;
  width: number;
  height: number;
}

export interface Reencoded {
  display: Encoded;
  thumb: Encoded;
}

function sha256Of(path: string): Promise<string> {
  return new Promise((ok, fail) => {
    const hash = createHash('sha256');
    createReadStream(path)
      .on('data', (chunk) => hash.update(chunk))
      .on('error', fail)
      .on('end', () => ok(hash.digest('hex')));
  });
}

/** Runs at most `limit` pieces of work at once; the rest wait their turn, first come first served. */
export class Gate {
  private running = 0;
  private readonly waiting: (() => void)[] = [];
  constructor(private readonly limit: number) {}
  async run<T>(work: () => Promise<T>): Promise<T> {
    if (this.running >= this.limit) await new Promise<void>((ok) => this.waiting.push(ok));
    this.running++;
    try {
      return await work();
    } finally {
      this.running--;
      this.waiting.shift()?.();
    }
  }
}
/**
 * At most this many photos are decoded at once: each holds decoded pixel rows, so concurrent
 * uploads wait here instead of multiplying the server's memory.
 */
const gate = new Gate(Math.max(1, Math.floor(availableParallelism() / 2)));

async function encode(pipeline: ReturnType<typeof sharp>, path: string): Promise<Encoded> {
  const info = await pipeline.toFile(path);
  return { path, size: info.size, sha256: await sha256Of(path), width: info.width, height: info.height };
}

/** Re-encodes the photo at `input` into `displayPath` and `thumbPath` (JPEG). 415 when it cannot be decoded. */
export function reencodePhoto(input: string, displayPath: string, thumbPath: string): Promise<Reencoded> {
  return gate.run(async () => {
    let display: Encoded;
    try {
      display = await encode(
        sharp(input, { limitInputPixels: MAX_PIXELS, sequentialRead: true, failOn: 'error' })
          .rotate()
          .resize(DISPLAY_EDGE, DISPLAY_EDGE, { fit: 'inside', withoutEnlargement: true })
          .flatten({ background: '#ffffff' })
          // Baseline, not progressive: a progressive encoder holds the whole image's coefficients
          // in memory, a baseline one writes strip by strip as the decoder delivers them.
          .jpeg({ quality: 82, progressive: false }),
        displayPath,
      );
    } catch {
      throw new ApiError(
        415,
        'unreadable_image',
        'This photo could not be read. It may be damaged, too large in pixels, or a HEIC photo this server cannot decode: send it as JPEG or PNG.',
        { file: 'could not be read as an image' },
      );
    }
    // The thumbnail comes from the display image: already upright, stripped and much smaller.
    const thumb = await encode(
      sharp(displayPath, { sequentialRead: true }).resize(THUMB_EDGE, THUMB_EDGE, { fit: 'inside', withoutEnlargement: true }).jpeg({ quality: 75 }),
      thumbPath,
    );
    return { display, thumb };
  });
}
