/** `eni-pbr` exit codes; docs/lab.md documents them. */
export const EXIT = {
  ok: 0, // verified (remediate), nothing missing (--dry-run), state printed (inspect)
  driftLeft: 1, // applied but a re-plan still wants changes; with --dry-run: changes are pending
  usage: 2, // unknown command or option, missing argument
  invalidInput: 3, // unreadable or invalid EC2 JSON, unknown namespace, bad plan option
  agentFailure: 4, // the agent failed, timed out, refused or rolled back the plan, or printed something unusable
  stale: 5, // the host's eni-pbr state changed between inspect and apply: nothing applied, run again
  internal: 70, // a bug in eni-pbr (EX_SOFTWARE)
} as const;

export type ExitCode = (typeof EXIT)[keyof typeof EXIT];
