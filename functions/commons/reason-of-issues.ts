// Three issues say enough; a hostile event could produce hundreds.
const MAX_ISSUES = 3;

/** Zod / Standard Schema issues (a ParseError's cause) → one short line naming each bad field. */
export function reasonOfIssues(cause: unknown): string {
  if (!Array.isArray(cause) || cause.length === 0) return 'does not match the schema';
  return cause
    .slice(0, MAX_ISSUES)
    .map((issue: { message?: unknown; path?: readonly unknown[] }) => {
      const path = (issue.path ?? []).map((part) => (typeof part === 'object' && part !== null && 'key' in part ? String(part.key) : String(part))).join('.');
      return `${path === '' ? '(event)' : path}: ${String(issue.message ?? 'invalid')}`;
    })
    .join('; ');
}
