import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

/** This package's version, from its package.json (two levels up from `src/internal` and `dist/internal`). */
export const PACKAGE_VERSION: string = (require('../../package.json') as { version: string }).version;
