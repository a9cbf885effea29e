import type { ObservedHost, OwnedState } from '../model/observed-host';
import { readKernelIfname, readOpaqueText } from '../validation/kernel-names';
import { describeSchemaIssues } from '../validation/describe-schema-issues';
import { InvalidValueError } from '../validation/invalid-value-error';
import { type InspectDocument, inspectDocumentSchema } from './inspect-schemas';
import { InvalidInspectDocumentError } from './invalid-inspect-document-error';
import { parseAddresses, parseLinks } from './parse-links';
import { parseOwnIptables } from './parse-own-iptables';
import { parseOwnTable } from './parse-own-table';
import { parseRoutes } from './parse-routes';
import { parseRules } from './parse-rules';
import { foreignMarkBitsOf, hasDnat, hasMasquerade } from './read-firewall-evidence';

const MAX_HOSTNAME = 253; // a DNS name's limit; the kernel's own is 64
const MAX_ERROR = 1000; // the agent cuts ip/nft error text at 1,000 characters

/** The agent's inspect document (docs/agent-protocol.md, envelope already unwrapped) → the observed host. */
export function parseInspectDocument(doc: unknown): ObservedHost {
  const shape = inspectDocumentSchema.safeParse(doc);
  if (!shape.success) throw new InvalidInspectDocumentError(`inspect document has an unexpected shape: ${describeSchemaIssues(shape.error)}`, { cause: shape.error });
  const raw = shape.data;
  try {
    const bridges = raw.bridges.map((name, index) => readKernelIfname(`bridges[${index}]`, name));
    const rules = [...parseRules(raw.rules4, 4, 'rules4'), ...parseRules(raw.rules6, 6, 'rules6')];
    // Mark and NAT lines are only scanned for evidence (hex marks, masquerade/dnat): any text will do.
    const { markLines, natLines } = raw.firewall;
    const rpFilter: Record<string, number> = {};
    for (const [name, value] of Object.entries(raw.sysctl.rpFilter)) rpFilter[readKernelIfname('sysctl.rpFilter', name)] = Number(value);
    return {
      schemaVersion: 1,
      // Reported only: the kernel's `(none)` or any other text the host was given is not a reason to fail it.
      hostname: readOpaqueText('host.hostname', raw.host.hostname, MAX_HOSTNAME),
      links: parseLinks(raw.links, new Set(bridges)),
      bridges,
      addresses: parseAddresses(raw.addr),
      rules,
      routes: [...parseRoutes(raw.routes4, 4, 'routes4'), ...parseRoutes(raw.routes6, 6, 'routes6')],
      firewall: {
        backend: raw.firewall.backend,
        ownConnmark: raw.firewall.backend === 'nft' ? parseOwnTable(raw.firewall.ownTable) : raw.firewall.backend === 'iptables' ? parseOwnIptables(raw.firewall.ownIptables) : null,
        foreignMarkBits: foreignMarkBitsOf(markLines, rules),
        masquerade: hasMasquerade(natLines),
        dnat: hasDnat(natLines),
      },
      sysctls: { ipForward: raw.sysctl.ipForward === '1', srcValidMark: raw.sysctl.srcValidMark === '1', rpFilter },
      managers: raw.managers,
      ...(raw.state === undefined ? {} : { ownedState: ownedStateOf(raw.state) }),
    };
  } catch (error) {
    if (error instanceof InvalidValueError) throw new InvalidInspectDocumentError(`invalid inspect document: ${error.message}`, { cause: error });
    throw error;
  }
}

function ownedStateOf(state: NonNullable<InspectDocument['state']>): OwnedState {
  const recovered = state.recovered.map((entry, index) => ({
    startedAt: entry.startedAt,
    outcome: entry.outcome,
    error: entry.error === null ? null : readOpaqueText(`state.recovered[${index}].error`, entry.error, MAX_ERROR),
  }));
  return { digest: state.digest, recovered };
}
