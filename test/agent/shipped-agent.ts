/**
 * The agent the committed SSM document ships, decoded (and checked against its sha256) once per test
 * process into a private file: the tests that run the script directly run what an instance runs.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadAgentDocument } from '../../functions/adapters/local-runner/load-agent-document';
import { extractAgentText } from '../../functions/agent-protocol/extract-agent-text';

let shipped: string | undefined;

export function shippedAgentPath(): string {
  if (shipped !== undefined) return shipped;
  const dir = mkdtempSync(join(tmpdir(), 'eni-pbr-shipped-'));
  shipped = join(dir, 'eni-pbr-agent.sh');
  writeFileSync(shipped, extractAgentText(loadAgentDocument()), { mode: 0o700 });
  process.once('exit', () => rmSync(dir, { recursive: true, force: true }));
  return shipped;
}
