import { IcebergUnsupportedError } from '../../errors.js';
import { schemeOf, type FileIO, type RangeReader } from './file-io.js';
import type { Fetcher } from './http-fetch.js';
import { HttpFileIO } from './http-file-io.js';
import { LocalFileIO } from './local-file-io.js';
import { resolveS3Settings, S3FileIO, type S3SettingsInput } from './s3-file-io.js';

export interface FileIOOptions {
  /** S3 settings; unset fields come from the `AWS_*` environment variables. */
  s3?: S3SettingsInput;
  /** fetch used for http(s) locations (default: global fetch). */
  fetch?: Fetcher;
}

/** Dispatches each location to the local, HTTP or S3 backend by its scheme. */
export class RoutingFileIO implements FileIO {
  private readonly local = new LocalFileIO();
  private readonly http: HttpFileIO;
  private s3: S3FileIO | undefined;

  constructor(private readonly options: FileIOOptions = {}) {
    this.http = new HttpFileIO(options.fetch);
  }

  private backend(location: string): FileIO {
    const scheme = schemeOf(location);
    switch (scheme) {
      case 'file':
        return this.local;
      case 'http':
        return this.http;
      case 's3':
        this.s3 ??= new S3FileIO(resolveS3Settings(this.options.s3));
        return this.s3;
      default:
        throw new IcebergUnsupportedError(
          `${scheme}:// storage`,
          `Unsupported storage scheme "${scheme}://" in ${location} (supported: local paths, file://, http(s)://, s3://)`,
        );
    }
  }

  readFile(location: string, signal?: AbortSignal): Promise<Uint8Array> {
    return this.backend(location).readFile(location, signal);
  }

  stat(location: string, signal?: AbortSignal): Promise<{ size: number } | null> {
    return this.backend(location).stat(location, signal);
  }

  list(folder: string, signal?: AbortSignal): Promise<string[] | null> {
    return this.backend(folder).list(folder, signal);
  }

  openReader(location: string, size?: number, signal?: AbortSignal): Promise<RangeReader> {
    return this.backend(location).openReader(location, size, signal);
  }
}
