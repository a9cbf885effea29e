import type { AgentDocument } from '../../agent-protocol/agent-document';

export type AgentParameters = { readonly Mode: 'inspect' | 'apply' | 'remove'; readonly Plan?: string };

export class ParameterValidationError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ParameterValidationError';
  }
}

/** Fills defaults and checks allowedValues / allowedPattern as SSM does before sending the command. */
export function resolveParameters(document: AgentDocument, parameters: AgentParameters): Record<string, string> {
  const resolved: Record<string, string> = {};
  for (const [name, definition] of Object.entries(document.parameters)) {
    const given = (parameters as Record<string, string | undefined>)[name];
    const value = given ?? definition.default;
    if (definition.allowedValues && !definition.allowedValues.includes(value)) {
      throw new ParameterValidationError(`parameter ${name} is not one of ${definition.allowedValues.join(', ')}`);
    }
    if (definition.allowedPattern && !new RegExp(definition.allowedPattern).test(value)) {
      throw new ParameterValidationError(`parameter ${name} does not match its allowedPattern`);
    }
    resolved[name] = value;
  }
  return resolved;
}

/** SSM's text interpolation: `{{ Name }}` (spaces optional) → the value, in every runCommand line. */
export function interpolateText(lines: readonly string[], values: Record<string, string>): string {
  return lines
    .map((line) => line.replace(/\{\{\s*([A-Za-z0-9_]+)\s*\}\}/g, (whole, name: string) => values[name] ?? whole))
    .join('\n');
}
