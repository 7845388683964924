import { isInteger, isSafeNumber, parse } from 'lossless-json';
import { IcebergMetadataError } from '../../errors.js';

/**
 * Parses JSON without losing 64-bit integers: integers beyond 2^53 (snapshot ids, long defaults)
 * become `bigint`, every other number stays a `number`.
 */
export function parseJson(text: string, location: string): unknown {
  try {
    return parse(text, null, (digits: string) =>
      isInteger(digits) && !isSafeNumber(digits) ? BigInt(digits) : Number(digits),
    );
  } catch (cause) {
    throw new IcebergMetadataError(`Invalid JSON in ${location}: ${(cause as Error).message}`, { location, cause });
  }
}
