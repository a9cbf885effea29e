import { AwsError } from '../aws-error';

export type PingStatus = 'Online' | 'ConnectionLost' | 'Inactive';

/** An instance whose SSM Agent registered: where its commands run (a lab namespace) and whether it answers. */
export interface ManagedInstance {
  readonly instanceId: string;
  readonly netns: string;
  pingStatus: PingStatus;
}

export class ManagedInstances {
  private readonly instances = new Map<string, ManagedInstance>();

  register(instanceId: string, netns: string, pingStatus: PingStatus = 'Online'): void {
    this.instances.set(instanceId, { instanceId, netns, pingStatus });
  }

  setPingStatus(instanceId: string, pingStatus: PingStatus): void {
    this.require(instanceId).pingStatus = pingStatus;
  }

  get(instanceId: string): ManagedInstance | undefined {
    return this.instances.get(instanceId);
  }

  /** SendCommand refuses instances SSM has never seen (no agent registered): InvalidInstanceId. */
  require(instanceId: string): ManagedInstance {
    const instance = this.instances.get(instanceId);
    if (instance === undefined) throw new AwsError('InvalidInstanceId', `Instances [[${instanceId}]] not in a valid state for account 123456789012`);
    return instance;
  }

  all(): ManagedInstance[] {
    return [...this.instances.values()];
  }
}
