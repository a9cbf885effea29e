/** At most this many issues are named: a hostile document can fail every field, and one line is the goal. */
const MAX_ISSUES = 3;

interface SchemaIssue {
  readonly path: readonly PropertyKey[];
  readonly message: string;
}

/**
 * A zod error's issues as one line, each with its path: `links[3].ifname: Invalid input: expected string`.
 * zod's own message is the issues as pretty JSON, whose first line is `[` — all a one-line log keeps.
 */
export function describeSchemaIssues(error: { readonly issues: readonly SchemaIssue[] }): string {
  const named = error.issues.slice(0, MAX_ISSUES).map((issue) => `${pathText(issue.path)}: ${issue.message}`);
  const more = error.issues.length - named.length;
  return more > 0 ? `${named.join('; ')} (and ${more} more)` : named.join('; ');
}

/** Whether a value carries zod's issue list (an instance of any zod copy in the bundle). */
export function hasSchemaIssues(value: unknown): value is { readonly issues: readonly SchemaIssue[] } {
  return typeof value === 'object' && value !== null && Array.isArray((value as { issues?: unknown }).issues);
}

function pathText(path: readonly PropertyKey[]): string {
  if (path.length === 0) return '(document)';
  return path.map((key, index) => (typeof key === 'number' ? `[${key}]` : `${index === 0 ? '' : '.'}${String(key)}`)).join('');
}
