/**
 * Streams a request body to a temporary file: hashed and counted on the way, never held whole
 * in memory, cut off (and the file removed) as soon as it passes the size limit or the sender
 * goes away. Only a complete, flushed file comes back.
 */
import { createHash } from 'node:crypto';
import { open, unlink } from 'node:fs/promises';
import { ApiError } from '../http/errors.js';
import { SNIFF_BYTES } from './sniff.js';

export interface Received {
  path: string;
  size: number;
  sha256: string;
  /** The first bytes, for sniffing the type. */
  head: Uint8Array;
}

export const tooLarge = (max: number): ApiError =>
  new ApiError(413, 'file_too_large', `The file is larger than ${Math.round(max / (1024 * 1024))} MB.`, { file: `must be at most ${max} bytes` });

export async function receiveToFile(body: ReadableStream<Uint8Array> | null, path: string, maxBytes: number): Promise<Received> {
  if (!body) throw new ApiError(400, 'empty_file', 'The file is empty.', { file: 'is empty' });
  const file = await open(path, 'wx');
  const hash = createHash('sha256');
  const head = new Uint8Array(SNIFF_BYTES);
  let headLength = 0;
  let size = 0;
  const reader = body.getReader();
  try {
    for (;;) {
      let chunk: ReadableStreamReadResult<Uint8Array>;
      try {
        chunk = await reader.read();
      } catch {
        throw new ApiError(400, 'upload_incomplete', 'The upload ended before the whole file arrived. Please try again.');
      }
      if (chunk.done) break;
      const bytes = chunk.value;
      size += bytes.byteLength;
      if (size > maxBytes) throw tooLarge(maxBytes);
      if (headLength < SNIFF_BYTES) {
        const take = bytes.subarray(0, SNIFF_BYTES - headLength);
        head.set(take, headLength);
        headLength += take.byteLength;
      }
      hash.update(bytes);
      // Awaiting each write is the back-pressure: the socket is read no faster than the disk takes it.
      await file.write(bytes);
    }
    if (size === 0) throw new ApiError(400, 'empty_file', 'The file is empty.', { file: 'is empty' });
    await file.sync();
  } catch (error) {
    await reader.cancel().catch(() => {});
    await file.close();
    await unlink(path).catch(() => {});
    throw error;
  }
  await file.close();
  return { path, size, sha256: hash.digest('hex'), head: head.subarray(0, headLength) };
}
