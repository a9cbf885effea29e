import { AwsError } from './aws-error';

/** One injected failure: the next `times` calls of `operation` (e.g. `ssm:GetCommandInvocation`) fail with `code`. */
export interface Fault {
  readonly operation: string;
  readonly code: string;
  readonly status?: number;
  times: number;
}

/**
 * Throttling and other transient errors on demand, so a test can prove the adapters retry: the real
 * service throttles by account-wide rates the endpoint does not model.
 */
export class FaultInjector {
  private readonly faults: Fault[] = [];

  inject(operation: string, code: string, times = 1, status = 400): void {
    this.faults.push({ operation, code, status, times });
  }

  /** Throws the first pending fault for this operation, if any. */
  check(operation: string): void {
    const fault = this.faults.find((candidate) => candidate.operation === operation && candidate.times > 0);
    if (fault === undefined) return;
    fault.times -= 1;
    throw new AwsError(fault.code, `injected ${fault.code} for ${operation}`, fault.status);
  }
}
