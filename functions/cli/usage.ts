/** `eni-pbr help`; kept beside the parser so the two change together. */
export const USAGE = `usage:
  eni-pbr remediate --netns <ns> --enis <describe-network-interfaces.json> --subnets <describe-subnets.json>
                    [--instance-id <i-…>] [--dry-run] [--json] [--connmark auto|always|never] [--manage-primary] [--verbose]
  eni-pbr inspect   --netns <ns> [--json | --raw] [--verbose]
  eni-pbr audit     --region <region> [--profile <name>] [--instance-ids <i-…,i-…>] [--tag <key=value>]…
                    [--include-single-eni] [--fix --queue-url <url>] [--stage <stage>] [--managed-tag-mode opt-out|opt-in]
                    [--json] [--verbose]
  eni-pbr remove    --netns <ns> [--json]

remediate  runs the pipeline against the host in network namespace <ns>: EC2 facts from the two files
           (aws ec2 describe-network-interfaces / describe-subnets --output json), the agent's inspect,
           the plan, the agent's apply, and verification (a re-plan of the after-state must be empty).
           Interfaces are matched by MAC address. --instance-id defaults to the one instance the ENIs
           are attached to.
inspect    prints the host state as eni-pbr observes it (--json: parsed; --raw: the agent's document).
audit      checks a deployed stack's fleet with your AWS credentials (default chain, or --profile): every
           instance with two ENIs or more that SSM manages, or the ones named / tagged. --fix enqueues a
           remediation job per drifted instance on the stack's queue (--queue-url: its RemediationQueueUrl
           output). --stage names the stack's document and log group (default dev).
remove     undoes everything eni-pbr installed in <ns> (rules, routes, addresses, link group, nft table
           or iptables chains, src_valid_mark, persisted state); a clean host is a no-op.

exit codes: 0 verified / nothing missing / printed, 1 drift left (--dry-run, audit: changes pending),
            2 usage, 3 invalid input (audit: also credentials), 4 agent failure (audit: an instance
            could not be inspected), 70 internal error
`;
