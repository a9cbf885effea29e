/** `eni-pbr help`; kept beside the parser so the two change together. */
export const USAGE = `usage:
  eni-pbr remediate --netns <ns> --enis <describe-network-interfaces.json> --subnets <describe-subnets.json>
                    [--instance-id <i-…>] [--dry-run] [--json] [--connmark auto|always|never] [--manage-primary] [--verbose]
  eni-pbr inspect   --netns <ns> [--json | --raw] [--verbose]
  eni-pbr remove    --netns <ns> [--json]

remediate  runs the pipeline against the host in network namespace <ns>: EC2 facts from the two files
           (aws ec2 describe-network-interfaces / describe-subnets --output json), the agent's inspect,
           the plan, the agent's apply, and verification (a re-plan of the after-state must be empty).
           Interfaces are matched by MAC address. --instance-id defaults to the one instance the ENIs
           are attached to.
inspect    prints the host state as eni-pbr observes it (--json: parsed; --raw: the agent's document).
remove     undoes everything eni-pbr installed in <ns> (rules, routes, addresses, link group, nft table
           or iptables chains, src_valid_mark, persisted state); a clean host is a no-op.

exit codes: 0 verified / nothing missing / printed, 1 drift left (--dry-run: changes pending),
            2 usage, 3 invalid input, 4 agent failure, 70 internal error
`;
