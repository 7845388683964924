import { gunzipSync } from 'node:zlib';
import { IcebergNotFoundError, isIcebergNotFoundError } from '../../errors.js';
import { joinLocation, type FileIO } from '../io/file-io.js';
import { parseJson } from '../util/parse-json.js';
import { parseTableMetadata, type TableMetadata } from './table-metadata.js';

const METADATA_FILE = /(\.metadata\.json(\.gz)?|\.gz\.metadata\.json)$/i;

/** True when a location names a metadata file rather than a table folder. */
export function isMetadataFileLocation(location: string): boolean {
  return METADATA_FILE.test(location) || /\.json$/i.test(location);
}

/** Reads and parses a (possibly gzip-compressed) `*.metadata.json`. */
export async function readTableMetadata(io: FileIO, location: string, signal?: AbortSignal): Promise<TableMetadata> {
  let bytes = await io.readFile(location, signal);
  if (bytes[0] === 0x1f && bytes[1] === 0x8b) bytes = gunzipSync(bytes);
  const text = new TextDecoder().decode(bytes);
  return parseTableMetadata(parseJson(text, location), location);
}

function versionOf(name: string): number | undefined {
  const m = /^v(\d+)[.-]/i.exec(name) ?? /^(\d+)-/.exec(name);
  return m ? Number(m[1]) : undefined;
}

async function fromVersionHint(io: FileIO, metadataDir: string, signal?: AbortSignal): Promise<string | undefined> {
  let hint: string;
  try {
    hint = new TextDecoder().decode(await io.readFile(joinLocation(metadataDir, 'version-hint.text'), signal)).trim();
  } catch (e) {
    if (isIcebergNotFoundError(e)) return undefined;
    throw e;
  }
  if (hint === '') return undefined;
  const candidates = /^\d+$/.test(hint)
    ? [`v${hint}.metadata.json`, `v${hint}.gz.metadata.json`, `v${hint}.metadata.json.gz`]
    : METADATA_FILE.test(hint)
      ? [hint]
      : [`${hint}.metadata.json`, `${hint}.gz.metadata.json`, hint];
  for (const name of candidates) {
    const location = joinLocation(metadataDir, name);
    if (await io.stat(location, signal)) return location;
  }
  if (/^\d+$/.test(hint)) {
    const names = (await io.list(metadataDir, signal)) ?? [];
    const match = names.find((n) => METADATA_FILE.test(n) && versionOf(n) === Number(hint));
    if (match) return joinLocation(metadataDir, match);
  }
  return undefined;
}

async function newestByContent(io: FileIO, locations: string[], signal?: AbortSignal): Promise<string> {
  let best: { location: string; seq: bigint; ms: number } | undefined;
  for (const location of locations) {
    const meta = await readTableMetadata(io, location, signal);
    const better =
      !best ||
      meta.lastSequenceNumber > best.seq ||
      (meta.lastSequenceNumber === best.seq && meta.lastUpdatedMs > best.ms);
    if (better) best = { location, seq: meta.lastSequenceNumber, ms: meta.lastUpdatedMs };
  }
  return (best as { location: string }).location;
}

/**
 * Finds the current metadata file of a table folder: `metadata/version-hint.text` when present
 * (a version number `N` → `vN.metadata.json`, or a file name), else the newest `*.metadata.json`
 * (highest version number in the file name; ties and unnumbered names are decided by
 * `last-sequence-number`, then `last-updated-ms`).
 */
export async function locateMetadataFile(io: FileIO, tableLocation: string, signal?: AbortSignal): Promise<string> {
  const metadataDir = joinLocation(tableLocation, 'metadata');
  const hinted = await fromVersionHint(io, metadataDir, signal);
  if (hinted) return hinted;
  const names = await io.list(metadataDir, signal);
  if (names === null) {
    throw new IcebergNotFoundError(
      tableLocation,
      `No metadata/version-hint.text under "${tableLocation}" and this storage cannot be listed: open the table by its metadata.json URI (metadataUri)`,
    );
  }
  const files = names.filter((n) => METADATA_FILE.test(n));
  if (files.length === 0) {
    throw new IcebergNotFoundError(
      tableLocation,
      `No Iceberg table at "${tableLocation}": found neither metadata/version-hint.text nor any *.metadata.json in "${metadataDir}"`,
    );
  }
  const versions = files.map(versionOf);
  const numbered = versions.filter((v): v is number => v !== undefined);
  const max = numbered.length > 0 ? Math.max(...numbered) : undefined;
  const contenders = files.filter((_, i) => versions[i] === undefined || versions[i] === max);
  if (contenders.length === 1) return joinLocation(metadataDir, contenders[0] as string);
  return newestByContent(
    io,
    contenders.map((n) => joinLocation(metadataDir, n)),
    signal,
  );
}
