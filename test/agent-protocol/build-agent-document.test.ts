import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { AGENT_HEREDOC_TERMINATOR } from '../../functions/agent-protocol/agent-document';
import { AgentTextError, buildAgentDocument, extractAgentText } from '../../functions/agent-protocol/build-agent-document';
import { PLAN_ALLOWED_PATTERN } from '../../functions/agent-protocol/plan-parameter-pattern';
import { loadAgentDocument } from '../../functions/adapters/local-runner/load-agent-document';
import { assembleAgent } from '../../scripts/ssm/assemble-agent';

const committed = readFileSync(join(__dirname, '..', '..', 'ssm', 'eni-pbr-agent.json'), 'utf8');
const agentText = assembleAgent();

describe('the SSM Command document', () => {
  const document = loadAgentDocument();
  const step = document.mainSteps[0];

  it('is, byte for byte, a fresh build of the agent in scripts/agent/ (run npm run build:document)', () => {
    expect(committed).toBe(`${JSON.stringify(buildAgentDocument(agentText))}\n`);
  });

  it('carries the assembled agent, which its sha256 names', () => {
    expect(extractAgentText(document)).toBe(agentText);
  });

  it('takes at most 32 KB, leaving the rest of SSM\'s 64 KB to the plan', () => {
    expect(Buffer.byteLength(committed)).toBeLessThanOrEqual(32 * 1024);
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
    const placeholders = step.inputs.runCommand.filter((line) => line.includes('{{'));
    expect(placeholders).toEqual([
      'if [ -z "${SSM_Mode+x}" ]; then export SSM_Mode="{{ Mode }}"; fi',
      'if [ -z "${SSM_Plan+x}" ]; then export SSM_Plan="{{ Plan }}"; fi',
    ]);
  });

  it('decodes the payload from a quoted heredoc, checks it, writes it privately and hands it to bash, never to sh', () => {
    const lines = step.inputs.runCommand;
    expect(lines).toContain(`eni_pbr_script="$(base64 -d <<'${AGENT_HEREDOC_TERMINATOR}' | gzip -dc`);
    expect(lines.filter((line) => line === AGENT_HEREDOC_TERMINATOR)).toHaveLength(1);
    expect(lines).toContain('eni_pbr_agent="$(mktemp "${TMPDIR:-/tmp}/eni-pbr-agent.XXXXXXXX")" || exit 7');
    expect(lines).toContain(`printf '%s\\n' "$eni_pbr_script" > "$eni_pbr_agent" || exit 7`);
    expect(lines).toContain('bash "$eni_pbr_agent" "$SSM_Mode" || eni_pbr_rc=$?');
  });
});

describe('buildAgentDocument', () => {
  it('builds the same bytes twice', () => {
    expect(JSON.stringify(buildAgentDocument(agentText))).toBe(JSON.stringify(buildAgentDocument(agentText)));
  });

  it.each([
    ['no final newline', 'echo hi'],
    ['two final newlines, which $(…) would drop', 'echo hi\n\n'],
    ['a carriage return', 'echo hi\r\n'],
    ['a NUL byte', 'echo \0\n'],
  ])('refuses an agent with %s', (_name, text) => {
    expect(() => buildAgentDocument(text)).toThrow(AgentTextError);
  });

  it('carries an agent holding "{{" and the terminator line inertly: the payload is base64', () => {
    const text = `echo "{{ Plan }}"\n${AGENT_HEREDOC_TERMINATOR}\n`;

    const lines = buildAgentDocument(text).mainSteps[0].inputs.runCommand;

    expect(lines.filter((line) => line.includes('{{'))).toHaveLength(2);
    expect(extractAgentText(buildAgentDocument(text))).toBe(text);
  });
});

describe('extractAgentText', () => {
  const lines = loadAgentDocument().mainSteps[0].inputs.runCommand;
  const withLines = (runCommand: string[]) => {
    const document = loadAgentDocument();
    return { ...document, mainSteps: [{ ...document.mainSteps[0], inputs: { ...document.mainSteps[0].inputs, runCommand } }] as const };
  };
  const payloadAt = lines.findIndex((line) => line.startsWith('H4sI'));

  it('refuses a payload one character of which changed', () => {
    const line = lines[payloadAt + 3] as string;
    const flipped = [...lines];
    flipped[payloadAt + 3] = `${line.slice(0, 10)}${line[10] === 'A' ? 'B' : 'A'}${line.slice(11)}`;

    expect(() => extractAgentText(withLines(flipped))).toThrow(AgentTextError);
  });

  it('refuses a payload cut short', () => {
    const cut = lines.filter((_line, index) => index !== payloadAt + 5);

    expect(() => extractAgentText(withLines(cut))).toThrow(AgentTextError);
  });
});
