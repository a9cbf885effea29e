import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { AgentDocument } from '../../agent-protocol/agent-document';

export class AgentDocumentError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'AgentDocumentError';
  }
}

export const AGENT_DOCUMENT_PATH = join(__dirname, '..', '..', '..', 'ssm', 'eni-pbr-agent.json');

/** Reads the committed document: what runs locally is what is deployed. */
export function loadAgentDocument(path: string = AGENT_DOCUMENT_PATH): AgentDocument {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(path, 'utf8'));
  } catch (cause) {
    throw new AgentDocumentError(`cannot read the agent document at ${path}`, { cause });
  }
  const document = parsed as AgentDocument;
  const step = document?.mainSteps?.[0];
  if (document?.schemaVersion !== '2.2' || step?.action !== 'aws:runShellScript' || !Array.isArray(step.inputs?.runCommand)) {
    throw new AgentDocumentError(`${path} is not a schema 2.2 runShellScript document`);
  }
  return document;
}
