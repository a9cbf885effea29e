/**
 * The three ports the remediation use case runs behind. The CLI and the lab plug in files and a local
 * namespace runner; the Lambda functions plug in EC2 and SSM adapters. Nothing local-only lives here.
 */

/** The raw EC2 answers for one instance, SDK v3 shapes; the core parses and validates them. */
export interface Ec2Answers {
  readonly describeNetworkInterfaces: unknown;
  readonly describeSubnets: unknown;
}

/** Where the EC2 facts come from: DescribeNetworkInterfaces/DescribeSubnets, or files that hold them. */
export interface InstanceFactsSource {
  describeInstance(instanceId: string): Promise<Ec2Answers>;
}

/** The fields of SSM GetCommandInvocation the use case reads (SSM's names, so adapters pass them through). */
export interface AgentCommandResult {
  readonly Status: string; // 'Success' | 'Failed' | 'TimedOut' | … as SSM reports it
  readonly ResponseCode: number;
  readonly StandardOutputContent: string;
  readonly StandardErrorContent: string;
}

export interface AgentCommandRequest {
  readonly instanceId: string;
  readonly parameters: { readonly Mode: 'inspect' | 'apply' | 'remove'; readonly Plan?: string };
}

/** How the agent document is run on the instance: SSM SendCommand + wait, or `ip netns exec` locally. */
export interface AgentCommandPort {
  run(request: AgentCommandRequest): Promise<AgentCommandResult>;
}

/** Structured logging: constant messages, data in fields (Powertools' Logger satisfies this). */
export interface LoggerPort {
  debug(message: string, fields?: Record<string, unknown>): void;
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
}

export const silentLogger: LoggerPort = {
  debug: () => undefined,
  info: () => undefined,
  warn: () => undefined,
};
