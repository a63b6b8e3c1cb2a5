import { promisify } from 'node:util';
import { gunzip } from 'node:zlib';
import { AwsServiceError } from '../state/aws-error.js';

/**
 * Request bodies as clients send them: the AWS SDKs and botocore gzip
 * PutMetricData bodies over 10 KB (`Content-Encoding: gzip`). Decoding is
 * bounded by the same limit as the raw body, so a small gzip bomb is a 413,
 * never a process out of memory.
 */

const gunzipAsync = promisify(gunzip);

export function tooLarge(maxBytes: number): AwsServiceError {
  return new AwsServiceError('RequestEntityTooLargeException', `Request body is larger than ${maxBytes} bytes.`, 413);
}

/** The body after undoing each listed encoding (last applied first); `maxBytes` bounds every decoded size. */
export async function decodeBody(raw: Buffer, contentEncoding: string | undefined, maxBytes: number): Promise<Buffer> {
  const encodings = (contentEncoding ?? '').split(',').map((e) => e.trim().toLowerCase()).filter((e) => e !== '' && e !== 'identity');
  let body = raw;
  for (const encoding of encodings.reverse()) {
    if (encoding !== 'gzip' && encoding !== 'x-gzip') {
      throw new AwsServiceError('UnsupportedContentEncoding', `Content-Encoding ${encoding} is not supported by the codedeploy-hooks emulator (gzip is).`, 415);
    }
    try {
      body = await gunzipAsync(body, { maxOutputLength: maxBytes });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE') throw tooLarge(maxBytes);
      throw new AwsServiceError('SerializationException', `The request body is not valid gzip (Content-Encoding: gzip): ${(err as Error).message}`);
    }
  }
  return body;
}
