/** What `agent apply` prints, once its `after` envelope is unwrapped (docs/agent-protocol.md, Apply). */
// stale: the plan's `state=` digest no longer matches the host (compare-and-swap); nothing changed, exit 9
export type ApplyStatus = 'applied' | 'unchanged' | 'refused' | 'rolled-back' | 'rollback-failed' | 'stale';

export interface ApplyResult {
  readonly status: ApplyStatus;
  readonly operations: number;
  readonly before: string; // sha256 of the owned-state dump
  readonly after: string;
  readonly error: string | null;
}

export interface ApplyOutput {
  readonly result: ApplyResult;
  readonly after: unknown; // the inspect document, unwrapped; null when apply stopped before inspecting
  readonly afterTooLarge?: OutputSize; // set when the agent left the document out: stdout would pass its limit
}

/** What the agent prints in place of a document longer than stdout keeps. */
export interface OutputSize {
  readonly chars: number;
  readonly limit: number;
}

export const APPLY_STATUSES: readonly ApplyStatus[] = ['applied', 'unchanged', 'refused', 'rolled-back', 'rollback-failed', 'stale'];

/** The agent's exit code for a stale plan (docs/agent-protocol.md, Exit codes). */
export const STALE_PLAN_EXIT = 9;
