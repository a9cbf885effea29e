/** Network namespaces need root: CI runs as root, a developer's unprivileged run skips and says why. */
export const isRoot = (): boolean => process.getuid?.() === 0;

/** `describe` that skips, saying why, when the tests cannot create namespaces. */
export const describeAsRoot: jest.Describe = isRoot()
  ? describe
  : (((name: string, fn: () => void) => {
      describe.skip(`${name} (skipped: needs root for network namespaces)`, fn);
    }) as unknown as jest.Describe);
