import type { RemediationJob } from '../remediation-job';

/**
 * The ports the fleet audit runs behind. The Lambda function and the CLI plug in the EC2, SSM, CloudWatch
 * Logs, SQS and EventBridge adapters; tests and the bench plug in the same adapters over mocked clients.
 */

/** The fields of an EC2 NetworkInterface the audit groups by; the core validates the rest. */
export interface FleetNetworkInterface {
  readonly NetworkInterfaceId?: string;
  readonly SubnetId?: string;
  readonly Attachment?: { readonly InstanceId?: string; readonly Status?: string };
}

export interface FleetEc2Port {
  /** Attached ENIs in SDK shape: every one in the Region, or those of the given instances. */
  describeAttachedInterfaces(instanceIds?: readonly string[]): Promise<readonly FleetNetworkInterface[]>;
  /** DescribeSubnets output entries for these subnets. */
  describeSubnets(subnetIds: readonly string[]): Promise<readonly unknown[]>;
  /** Running instances carrying every one of these tags. */
  findInstancesByTags(tags: Readonly<Record<string, string>>): Promise<readonly string[]>;
  /** instanceId → value of the tag `eni-pbr:managed`, for the instances that carry it. */
  readManagedTags(): Promise<ReadonlyMap<string, string>>;
}

export interface ManagedNode {
  readonly instanceId: string;
  readonly pingStatus: string; // Online | ConnectionLost | Inactive
  readonly platformType?: string;
}

/** A command's progress as ListCommands reports it. */
export interface CommandProgress {
  readonly commandId: string;
  readonly status: string; // Pending | InProgress | Success | Failed | TimedOut | Cancelling | Cancelled
  readonly targetCount: number;
  readonly completedCount: number;
}

/** One instance's invocation of a command as ListCommandInvocations / GetCommandInvocation report it. */
export interface InvocationStatus {
  readonly instanceId: string;
  readonly status: string; // Success | Failed | TimedOut | Cancelled | Undeliverable | Terminated | …
  readonly statusDetails?: string;
  readonly responseCode?: number;
}

/** SendCommand refused the batch because of its targets (InvalidInstanceId): some instance left meanwhile. */
export class InvalidCommandTargetsError extends Error {
  override readonly name = 'InvalidCommandTargetsError';

  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}

export interface FleetSsmPort {
  /** DescribeInstanceInformation for these instances; the ones SSM does not know are absent. */
  describeManagedNodes(instanceIds: readonly string[]): Promise<ReadonlyMap<string, ManagedNode>>;
  /** SendCommand Mode=inspect to ≤ 50 instances, output to CloudWatch Logs; returns the command id. */
  sendInspect(instanceIds: readonly string[]): Promise<string>;
  /** ListCommands for the audit's document since `since` (one call covers every batch). */
  listCommandProgress(since: Date): Promise<readonly CommandProgress[]>;
  /** ListCommandInvocations (no output): why instances of a command produced no output. */
  listInvocations(commandId: string): Promise<readonly InvocationStatus[]>;
  /** GetCommandInvocation: the fallback for output that did not reach CloudWatch Logs. */
  getInvocationOutput(commandId: string, instanceId: string): Promise<InvocationStatus & { readonly stdout: string }>;
}

/** The document's stdout as the SSM Agent streamed it to CloudWatch Logs, one text per instance. */
export interface CommandOutputReader {
  readStdout(commandId: string, instanceIds: readonly string[]): Promise<ReadonlyMap<string, string>>;
}

export interface RemediationQueuePort {
  /** The jobs on the FIFO queue (MessageGroupId = instanceId): instanceId → null when enqueued, else why not. */
  enqueueAll(jobs: readonly RemediationJob[]): Promise<ReadonlyMap<string, string | null>>;
}

export interface AuditClock {
  now(): number; // ms
  sleep(ms: number): Promise<void>;
}

export const systemClock: AuditClock = {
  now: () => Date.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};

export type AuditPhase = 'targets' | 'sent' | 'completed' | 'read' | 'judged';

/** Progress for a terminal: `done` of `total` in the phase named. */
export type AuditProgressListener = (phase: AuditPhase, done: number, total: number) => void;
