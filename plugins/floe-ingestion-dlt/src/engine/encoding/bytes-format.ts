/** Base64 of `bytes[start, end)`. */
export function base64(buffer: Buffer, start: number, end: number): string {
  return buffer.toString('base64', start, end);
}

/** `xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx` of 16 bytes at `start`. */
export function uuidText(buffer: Buffer, start: number): string {
  const hex = buffer.toString('hex', start, start + 16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** The Arrow extension name of a field (`ARROW:extension:name`), e.g. `arrow.uuid`. */
export function extensionName(metadata: ReadonlyMap<string, string> | undefined): string | undefined {
  return metadata?.get('ARROW:extension:name');
}
