import { existsSync } from 'node:fs';
import { runDocumentLocally } from '../adapters/local-runner/run-document-locally';
import type { AgentCommandPort } from '../use-cases/ports';
import { InvalidInputError } from './cli-errors';

// `ip netns add` keeps its namespaces here; `ip netns exec` finds them nowhere else.
const NETNS_DIR = '/run/netns';

/** Runs the real SSM document inside a named network namespace, as the SSM Agent would on the instance. */
export function netnsAgentCommand(netns: string, timeoutMs?: number): AgentCommandPort {
  // `.` and `..` pass the pattern and exist (the directory and its parent): iproute2 refuses both as
  // names (is_valid_netns_name), so they are the operator's mistake, not an agent failure.
  if (!/^[A-Za-z0-9_.-]{1,64}$/.test(netns) || netns === '.' || netns === '..' || !existsSync(`${NETNS_DIR}/${netns}`)) {
    throw new InvalidInputError(`no network namespace named ${JSON.stringify(netns)} (ip netns list)`);
  }
  return {
    run: async ({ parameters }) =>
      runDocumentLocally({ netns, parameters, ...(timeoutMs === undefined ? {} : { timeoutMs }) }),
  };
}
