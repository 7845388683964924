import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { LocalFileIO } from '../../../src/internal/io/local-file-io.js';
import { locateMetadataFile, readTableMetadata } from '../../../src/internal/metadata/locate-metadata.js';
import { fixture, tempDir } from '../../support/fixtures.js';

let root: string;
let cleanup: () => Promise<void>;
let v4: string;
let v5: string;
const io = new LocalFileIO();

async function table(name: string, files: Record<string, string | Uint8Array>): Promise<string> {
  const dir = join(root, name);
  await mkdir(join(dir, 'metadata'), { recursive: true });
  for (const [file, content] of Object.entries(files)) await writeFile(join(dir, 'metadata', file), content);
  return dir;
}

beforeAll(async () => {
  ({ dir: root, cleanup } = await tempDir());
  v4 = await readFile(fixture('icebird/java/bunnies/metadata/v4.metadata.json'), 'utf8');
  v5 = await readFile(fixture('icebird/java/bunnies/metadata/v5.metadata.json'), 'utf8');
});
afterAll(async () => cleanup());

describe('locateMetadataFile', () => {
  it('reads a gzip-compressed metadata file named by the version hint', async () => {
    const dir = await table('gz', {
      'version-hint.text': '5\n',
      'v5.gz.metadata.json': gzipSync(v5),
      'v4.metadata.json': v4,
    });
    const location = await locateMetadataFile(io, dir);
    expect(location).toBe(join(dir, 'metadata', 'v5.gz.metadata.json'));
    expect((await readTableMetadata(io, location)).currentSnapshotId).toBe(9158179788527662767n);
  });

  it('falls back to the newest numbered file when the hinted version is missing', async () => {
    const dir = await table('stale', {
      'version-hint.text': '9',
      'v4.metadata.json': v4,
      'v10.metadata.json': v5,
      'notes.txt': 'x',
    });
    expect(await locateMetadataFile(io, dir)).toBe(join(dir, 'metadata', 'v10.metadata.json'));
  });

  it('accepts a version hint holding a file name with its extension', async () => {
    const dir = await table('named', {
      'version-hint.text': 'custom.metadata.json',
      'custom.metadata.json': v4,
      'v9.metadata.json': v5,
    });
    expect(await locateMetadataFile(io, dir)).toBe(join(dir, 'metadata', 'custom.metadata.json'));
  });

  it('compares sequence numbers when metadata file names carry no version', async () => {
    const dir = await table('uuids', { 'a1b2.metadata.json': v5, 'f9e8.metadata.json': v4, 'version-hint.text': '' });
    expect(await locateMetadataFile(io, dir)).toBe(join(dir, 'metadata', 'a1b2.metadata.json'));
  });

  it('throws a not-found error naming the folder when there is no metadata', async () => {
    const dir = await table('empty', {});
    await expect(locateMetadataFile(io, dir)).rejects.toThrow(`No Iceberg table at "${dir}"`);
  });
});
