import preset from '../../jest.preset.js';

/** @type {import('jest').Config} */
export default {
  ...preset,
  coverageThreshold: { global: { lines: 0 } },
  // The tests mostly wait on the CLI processes they start (and on the databases): two files at a time keep both
  // cores busy (jest's default here is one worker). Every test uses its own schema, folder and port.
  maxWorkers: 2,
};
