import type { Finding } from './finding';
import type { PlanOperation } from './plan-operation';

export interface Plan {
  readonly operations: readonly PlanOperation[];
  readonly findings: readonly Finding[];
}
