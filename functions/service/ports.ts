/**
 * The ports the service's use cases run behind (no SDK types here): the adapters under
 * functions/adapters implement them, tests plug in aws-sdk-client-mock'd adapters or fakes.
 */
import type { RemediationJob } from './remediation-job';

/** One ENI attachment: what the intake needs to turn an attachment or ENI id into an instance. */
export interface AttachmentRef {
  readonly attachmentId: string;
  readonly instanceId: string;
  readonly eniId: string;
}

/** DescribeNetworkInterfaces by attachment or ENI id; null when EC2 knows no attached ENI by it. */
export interface InterfaceLookupPort {
  findByAttachment(attachmentId: string): Promise<AttachmentRef | null>;
  findByInterface(eniId: string): Promise<AttachmentRef | null>;
}

/** The attachment → instance map (DynamoDB), for Detach events whose ENI is already gone. */
export interface AttachmentMapPort {
  remember(ref: AttachmentRef): Promise<void>;
  lookup(attachmentId: string): Promise<AttachmentRef | null>;
}

export interface JobQueuePort {
  enqueue(job: RemediationJob): Promise<void>;
}

/** An ENI attached to the instance, as EC2 describes it now. */
export interface InterfaceSummary extends AttachmentRef {
  readonly deviceIndex: number;
  readonly networkCardIndex: number;
  readonly attachmentStatus: string; // attaching | attached | detaching | detached
  readonly sourceDestCheck: boolean;
  readonly subnetId: string;
}

export interface InstanceInterfaces {
  /** the DescribeNetworkInterfaces answer (all pages), handed to the core's parser untouched */
  readonly raw: unknown;
  readonly interfaces: readonly InterfaceSummary[];
}

export interface InstanceRecord {
  readonly instanceId: string;
  readonly state: string; // pending | running | stopping | stopped | shutting-down | terminated
  readonly tags: Readonly<Record<string, string>>;
}

export interface InstancePort {
  /** null when EC2 no longer knows the instance (InvalidInstanceID.NotFound) */
  readInstance(instanceId: string): Promise<InstanceRecord | null>;
  readInterfaces(instanceId: string): Promise<InstanceInterfaces>;
  describeSubnets(subnetIds: readonly string[]): Promise<unknown>;
  disableSourceDestCheck(eniId: string): Promise<void>;
}

/** SSM's view of the agent: Online | ConnectionLost | Inactive, or null when not registered. */
export interface AgentStatusPort {
  pingStatus(instanceId: string): Promise<string | null>;
}

/**
 * Instances opted out while stopped: no command reaches them then, and their boot unit re-applies
 * eni-pbr at the next start, so the removal waits for it (the `running` event's job takes it up).
 */
export interface PendingRemovalPort {
  mark(instanceId: string): Promise<void>;
  isPending(instanceId: string): Promise<boolean>;
  clear(instanceId: string): Promise<void>;
}

export interface ResultPublisherPort {
  publish(detail: Readonly<Record<string, unknown>>): Promise<void>;
}

export interface ServiceLogger {
  debug(message: string, fields?: Record<string, unknown>): void;
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
}
