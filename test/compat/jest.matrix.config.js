/**
 * The compatibility matrix as one jest run (scripts/ci/compat.sh writes ENI_PBR_COMPAT_ROWS): a project per
 * row, so the rows share the workers instead of each paying jest's start-up and idling a core. Each
 * project hands its userland to the tests through jest's globals (test/compat/userland.ts reads them).
 * @type {import('jest').Config}
 */
// eslint-disable-next-line @typescript-eslint/no-require-imports -- jest loads its configs as CommonJS, like the base one
const base = require('../../jest.config.js');

/** @type {{ name: string, root: string, layer: string, tests: string[] }[]} */
const rows = JSON.parse(process.env.ENI_PBR_COMPAT_ROWS || '[]');

module.exports = {
  rootDir: `${__dirname}/../..`,
  testTimeout: base.testTimeout,
  projects: rows.map((row) => ({
    displayName: row.name,
    rootDir: `${__dirname}/../..`,
    roots: ['<rootDir>/test'],
    testEnvironment: base.testEnvironment,
    transform: base.transform,
    transformIgnorePatterns: base.transformIgnorePatterns,
    testMatch: row.tests.map((test) => `<rootDir>/${test}`),
    globals: { ENI_PBR_USERLAND: { root: row.root, layer: row.layer } },
  })),
};
