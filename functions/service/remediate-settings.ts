import type { PlanOptions } from '../core/model/plan-options';
import type { ManagedTagMode } from './instance-tags';

/** The deployment's choices, as the remediate use case takes them (config.ts maps the environment here). */
export interface RemediateSettings {
  readonly mode: 'fix' | 'check';
  readonly managedTagMode: ManagedTagMode;
  readonly disableSourceDestCheck: boolean;
  readonly planOptions: PlanOptions;
  readonly agentWaitSeconds: number;
  readonly readyPollMs?: number;
}
