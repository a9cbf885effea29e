/** The SSM Command document (schema 2.2) that ships the agent; ssm/eni-pbr-agent.json is one of these. */
export interface AgentDocumentParameter {
  readonly type: 'String';
  readonly description: string;
  readonly default: string;
  readonly interpolationType: 'ENV_VAR';
  readonly allowedValues?: readonly string[];
  readonly allowedPattern?: string;
}

export interface AgentDocument {
  readonly schemaVersion: '2.2';
  readonly description: string;
  readonly parameters: { readonly Mode: AgentDocumentParameter; readonly Plan: AgentDocumentParameter };
  readonly mainSteps: readonly [
    {
      readonly action: 'aws:runShellScript';
      readonly name: string;
      readonly precondition: { readonly StringEquals: readonly ['platformType', 'Linux'] };
      readonly inputs: { readonly timeoutSeconds: string; readonly runCommand: readonly string[] };
    },
  ];
}

/** Ends the quoted heredoc that carries the agent's payload (base64 never contains "_"). */
export const AGENT_HEREDOC_TERMINATOR = 'ENI_PBR_AGENT_END_OF_PAYLOAD';

/** The wrapper's own exit code: the embedded agent did not decode to the script whose sha256 it names. */
export const EXIT_PAYLOAD_CORRUPT = 8;

/** Characters per payload line: base64's usual width, so the document reads like any MIME body. */
export const PAYLOAD_LINE_CHARS = 1024;

/** The agent holds its lock ≤ 30 s and applies in well under a second; 120 s leaves room on a loaded host. */
export const AGENT_TIMEOUT_SECONDS = 120;
