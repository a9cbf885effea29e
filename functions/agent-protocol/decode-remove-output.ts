/** What `agent remove` reports (docs/agent-protocol.md, Remove). */
export const REMOVE_STATUSES = ['removed', 'unchanged', 'failed', 'refused'] as const;
export type RemoveStatus = (typeof REMOVE_STATUSES)[number];

export interface RemoveResult {
  readonly status: RemoveStatus;
  readonly operations: number;
  readonly error: string | null;
}

/** `agent remove`'s stdout → its result; undefined when it printed none (a crash, another mode's output). */
export function decodeRemoveOutput(stdout: string): RemoveResult | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(stdout);
  } catch {
    return undefined;
  }
  if (typeof parsed !== 'object' || parsed === null) return undefined;
  const { mode, result } = parsed as { mode?: unknown; result?: unknown };
  if (mode !== 'remove' || typeof result !== 'object' || result === null) return undefined;
  const { status, operations, error } = result as { status?: unknown; operations?: unknown; error?: unknown };
  if (!(REMOVE_STATUSES as readonly unknown[]).includes(status) || typeof operations !== 'number' || !Number.isInteger(operations) || operations < 0) return undefined;
  return { status: status as RemoveStatus, operations, error: typeof error === 'string' ? error : null };
}
