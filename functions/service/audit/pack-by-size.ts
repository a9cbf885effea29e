/**
 * Greedy packing in order: groups of at most `maxCount` items whose sizes add up to at most `maxBytes`.
 * An item larger than `maxBytes` alone gets a group of its own (the caller bounds items beforehand).
 */
export function packBySize<T>(items: readonly T[], sizeOf: (item: T) => number, limits: { readonly maxBytes: number; readonly maxCount?: number }): T[][] {
  const maxCount = limits.maxCount ?? Number.POSITIVE_INFINITY;
  const groups: T[][] = [];
  let current: T[] = [];
  let bytes = 0;
  for (const item of items) {
    const size = sizeOf(item);
    if (current.length > 0 && (current.length === maxCount || bytes + size > limits.maxBytes)) {
      groups.push(current);
      current = [];
      bytes = 0;
    }
    current.push(item);
    bytes += size;
  }
  if (current.length > 0) groups.push(current);
  return groups;
}
