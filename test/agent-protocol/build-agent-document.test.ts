import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { AGENT_HEREDOC_TERMINATOR } from '../../functions/agent-protocol/agent-document';
import { AgentTextError, buildAgentDocument, extractAgentText } from '../../functions/agent-protocol/build-agent-document';
import { PLAN_ALLOWED_PATTERN } from '../../functions/agent-protocol/plan-parameter-pattern';
import { loadAgentDocument } from '../../functions/adapters/local-runner/load-agent-document';

const root = join(__dirname, '..', '..');
const agentText = readFileSync(join(root, 'scripts', 'agent', 'eni-pbr-agent.sh'), 'utf8');
const committed = readFileSync(join(root, 'ssm', 'eni-pbr-agent.json'), 'utf8');

describe('the SSM Command document', () => {
  const document = loadAgentDocument();
  const step = document.mainSteps[0];

  it('is the committed output of the generator for the current agent (run npm run build:document)', () => {
    expect(committed).toBe(`${JSON.stringify(buildAgentDocument(agentText))}\n`);
  });

  it('embeds the current agent byte for byte', () => {
    expect(extractAgentText(document)).toBe(agentText);
  });

  it('is a schema 2.2 document with one Linux runShellScript step and an explicit timeout', () => {
    expect(document.schemaVersion).toBe('2.2');
    expect(document.mainSteps).toHaveLength(1);
    expect(step.action).toBe('aws:runShellScript');
    expect(step.precondition).toEqual({ StringEquals: ['platformType', 'Linux'] });
    expect(Number(step.inputs.timeoutSeconds)).toBeGreaterThan(0);
  });

  it('declares Mode by allowedValues and Plan by allowedPattern, both as environment variables', () => {
    expect(document.parameters.Mode).toMatchObject({ type: 'String', allowedValues: ['inspect', 'apply'], interpolationType: 'ENV_VAR', default: 'inspect' });
    expect(document.parameters.Plan).toMatchObject({ type: 'String', allowedPattern: PLAN_ALLOWED_PATTERN, interpolationType: 'ENV_VAR', default: '' });
    expect(Object.keys(document.parameters).sort()).toEqual(['Mode', 'Plan']);
  });

  it('falls back to text interpolation only inside double quotes, only when SSM_<Name> is unset', () => {
    const lines = step.inputs.runCommand;
    const placeholders = lines.filter((line) => line.includes('{{'));
    expect(placeholders).toEqual([
      'if [ -z "${SSM_Mode+x}" ]; then export SSM_Mode="{{ Mode }}"; fi',
      'if [ -z "${SSM_Plan+x}" ]; then export SSM_Plan="{{ Plan }}"; fi',
    ]);
  });

  it('hands the agent to bash through a quoted heredoc, never to sh', () => {
    const lines = step.inputs.runCommand;
    expect(lines).toContain(`cat > "$eni_pbr_agent" <<'${AGENT_HEREDOC_TERMINATOR}' || exit 7`);
    expect(lines.filter((line) => line === AGENT_HEREDOC_TERMINATOR)).toHaveLength(1);
    expect(lines).toContain('bash "$eni_pbr_agent" "$SSM_Mode" || eni_pbr_rc=$?');
  });

  it('stays under the 64 KB SSM allows for a document', () => {
    expect(Buffer.byteLength(committed)).toBeLessThan(64 * 1024);
  });
});

describe('buildAgentDocument', () => {
  it('refuses an agent that contains "{{", which SSM would interpolate', () => {
    expect(() => buildAgentDocument('echo "{{ Plan }}"\n')).toThrow(AgentTextError);
  });

  it('refuses an agent that contains the heredoc terminator line', () => {
    expect(() => buildAgentDocument(`echo hi\n${AGENT_HEREDOC_TERMINATOR}\nreboot\n`)).toThrow(AgentTextError);
  });

  it('accepts the current agent, which has neither', () => {
    expect(agentText.includes('{{')).toBe(false);
    expect(agentText.split('\n')).not.toContain(AGENT_HEREDOC_TERMINATOR);
  });
});
