import { mockFleetEc2 } from './fleet-ec2-mock';
import { VirtualClock, type SimulatedInstance } from './fleet-model';
import { mockFleetSinks } from './fleet-sinks-mock';
import { mockFleetSsm } from './fleet-ssm-mock';

export interface SimulatedFleet {
  readonly clock: VirtualClock;
  instances: SimulatedInstance[];
  /** every SDK call the code made, by `service:Operation` */
  readonly calls: Map<string, number>;
  /** the NextToken of each paginated call, in order (the SDK's paginators reuse one input object) */
  readonly tokens: Map<string, (string | undefined)[]>;
  readonly mocks: ReturnType<typeof buildMocks>;
  totalCalls(): number;
  /** the next `times` calls of `name` (`service:Operation`) fail with `error`, as a throttled call does once the SDK's retries are spent */
  failNext(name: string, error: Error, times?: number): void;
  restore(): void;
}

/**
 * A Region's worth of EC2, SSM, CloudWatch Logs, SQS and EventBridge, answered by aws-sdk-client-mock over
 * `instances` in virtual time: every call is counted and costs `latencyMs` of virtual time (calls are
 * taken one after another, an upper bound on the wall time of calls made in parallel).
 */
export function simulateFleet(instances: SimulatedInstance[], latencyMs = 0): SimulatedFleet {
  const clock = new VirtualClock();
  const calls = new Map<string, number>();
  const tokens = new Map<string, (string | undefined)[]>();
  const failures = new Map<string, Error[]>();
  const fleet: SimulatedFleet = {
    clock,
    instances,
    calls,
    tokens,
    mocks: buildMocks(() => fleet.instances, clock, (name, nextToken) => {
      calls.set(name, (calls.get(name) ?? 0) + 1);
      tokens.set(name, [...(tokens.get(name) ?? []), nextToken]);
      clock.advance(latencyMs);
      const failure = failures.get(name)?.shift();
      if (failure !== undefined) throw failure;
    }),
    failNext: (name, error, times = 1) => failures.set(name, [...(failures.get(name) ?? []), ...Array.from({ length: times }, () => error)]),
    totalCalls: () => [...calls.values()].reduce((sum, count) => sum + count, 0),
    restore: () => {
      for (const mock of Object.values(fleet.mocks)) if (typeof mock === 'object' && 'restore' in mock) mock.restore();
    },
  };
  return fleet;
}

function buildMocks(instances: () => readonly SimulatedInstance[], clock: VirtualClock, onCall: (name: string, nextToken?: string) => void) {
  const { ssm, logs, commands } = mockFleetSsm(instances, clock, onCall);
  return { ec2: mockFleetEc2(instances, onCall), ssm, logs, commands, ...mockFleetSinks(onCall) };
}
