/**
 * Items grouped by a key, in first-seen order, in one pass. The planner reads hosts that may hold tens
 * of thousands of near-identical entries (issue 14): nothing here may copy a group per item.
 */
export function groupByKey<T>(items: Iterable<T>, keyOf: (item: T) => string | null): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const key = keyOf(item);
    if (key === null) continue;
    const group = groups.get(key);
    if (group === undefined) groups.set(key, [item]);
    else group.push(item);
  }
  return groups;
}
