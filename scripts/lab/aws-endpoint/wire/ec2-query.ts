/**
 * EC2's query protocol sends `Action=…&Version=…&Filter.1.Name=…&Filter.1.Value.1=…`. This turns the form
 * into nested objects and arrays (`{ Filter: [{ Name, Value: [...] }] }`), 1-based indexes in order.
 */
export type QueryValue = string | QueryValue[] | { [key: string]: QueryValue };

export function parseEc2Query(body: string): Record<string, QueryValue> {
  const root: Record<string, QueryValue> = {};
  for (const [key, value] of new URLSearchParams(body)) {
    const path = key.split('.');
    let node: Record<string, QueryValue> | QueryValue[] = root;
    path.forEach((segment, index) => {
      const last = index === path.length - 1;
      const nextIsIndex = !last && /^\d+$/.test(path[index + 1] ?? '');
      const slot = Array.isArray(node) ? Number(segment) - 1 : segment;
      const holder = node as Record<string | number, QueryValue>;
      if (last) {
        holder[slot] = value;
        return;
      }
      holder[slot] ??= nextIsIndex ? [] : {};
      node = holder[slot] as Record<string, QueryValue> | QueryValue[];
    });
  }
  return root;
}

/** `Name.1`, `Name.2`… as a string list (absent → []). */
export function queryList(input: Record<string, QueryValue>, name: string): string[] {
  const value = input[name];
  if (value === undefined) return [];
  return (Array.isArray(value) ? value : [value]).filter((item): item is string => typeof item === 'string');
}

export interface Ec2Filter {
  readonly name: string;
  readonly values: readonly string[];
}

export function queryFilters(input: Record<string, QueryValue>): Ec2Filter[] {
  const filters = input.Filter;
  if (!Array.isArray(filters)) return [];
  return filters.map((filter) => {
    const record = filter as Record<string, QueryValue>;
    return { name: String(record.Name ?? ''), values: queryList(record, 'Value') };
  });
}

export function queryString(input: Record<string, QueryValue>, name: string): string | undefined {
  const value = input[name];
  return typeof value === 'string' ? value : undefined;
}
