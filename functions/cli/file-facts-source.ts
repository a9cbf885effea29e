import { readFile } from 'node:fs/promises';
import type { Ec2Answers, InstanceFactsSource } from '../use-cases/ports';
import { InvalidInputError } from './cli-errors';

/** EC2 answers saved as files (`aws ec2 describe-… --output json`, or the lab's): one instance's facts. */
export function fileFactsSource(files: { enisFile: string; subnetsFile: string }): InstanceFactsSource {
  return {
    describeInstance: async () => readAnswers(files),
  };
}

export async function readAnswers(files: { enisFile: string; subnetsFile: string }): Promise<Ec2Answers> {
  const [describeNetworkInterfaces, describeSubnets] = await Promise.all([readJson(files.enisFile), readJson(files.subnetsFile)]);
  return { describeNetworkInterfaces, describeSubnets };
}

/**
 * The instance the file's ENIs are attached to, when there is exactly one. The core validates the id;
 * this only picks it, so `--instance-id` can be left out for a file about one instance.
 */
export function soleInstanceId(describeNetworkInterfaces: unknown): string {
  const ids = attachedInstanceIds(describeNetworkInterfaces);
  if (ids.size !== 1) {
    throw new InvalidInputError(`the ENIs are attached to ${ids.size} instances: pass --instance-id`);
  }
  return [...ids][0] as string;
}

/** A file about another instance would plan "nothing to do" and exit 0: refuse it instead. */
export function assertAttachedTo(describeNetworkInterfaces: unknown, instanceId: string): void {
  if (!attachedInstanceIds(describeNetworkInterfaces).has(instanceId)) {
    throw new InvalidInputError(`no ENI in the file is attached to ${instanceId}`);
  }
}

function attachedInstanceIds(describeNetworkInterfaces: unknown): Set<string> {
  const interfaces = (describeNetworkInterfaces as { NetworkInterfaces?: unknown })?.NetworkInterfaces;
  const ids = new Set<string>();
  if (Array.isArray(interfaces)) {
    for (const eni of interfaces) {
      const id = (eni as { Attachment?: { InstanceId?: unknown } })?.Attachment?.InstanceId;
      if (typeof id === 'string') ids.add(id);
    }
  }
  return ids;
}

async function readJson(path: string): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (cause) {
    throw new InvalidInputError(`cannot read ${path}`, { cause });
  }
  try {
    return JSON.parse(text);
  } catch (cause) {
    throw new InvalidInputError(`${path} is not JSON`, { cause });
  }
}
