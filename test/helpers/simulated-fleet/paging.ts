/** A page of `items` from the NextToken the client sent (an offset here), and the token for the next. */
export function pageOf<T>(items: readonly T[], maxResults: number | undefined, limit: number, nextToken: string | undefined): { page: T[]; next: string | undefined } {
  const size = Math.min(maxResults ?? limit, limit);
  const start = nextToken === undefined ? 0 : Number(nextToken);
  const end = start + size;
  return { page: items.slice(start, end), next: end < items.length ? String(end) : undefined };
}

export function filterValues(filters: readonly { Name?: string; Values?: string[] }[] | undefined, name: string): string[] | undefined {
  return filters?.find((filter) => filter.Name === name)?.Values;
}
