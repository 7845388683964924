import preset from '../../jest.preset.js';

/** @type {import('jest').Config} */
export default {
  ...preset,
  // The README's examples import the package by name: map it to the sources.
  moduleNameMapper: { '^@floe/ingestion-dlt$': '<rootDir>/src/index.ts', ...preset.moduleNameMapper },
  // Type-only modules compile to nothing: they have no lines to run.
  collectCoverageFrom: ['src/**/*.ts', '!src/engine/destination/types.ts'],
  coverageThreshold: { global: { lines: 80 } },
};
