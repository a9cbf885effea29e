import { InvalidInputError } from '../../functions/cli/cli-errors';
import { exitCodeOf } from '../../functions/cli/exit-code-of';
import { EXIT } from '../../functions/cli/exit-codes';
import { netnsAgentCommand } from '../../functions/cli/netns-agent-command';

describe('netnsAgentCommand', () => {
  it.each([
    ['the namespaces’ directory itself', '.'],
    ['its parent', '..'],
    ['a path', '../netns/x'],
    ['an empty name', ''],
    ['a name with a space', 'a b'],
  ])('refuses %s as invalid input (exit 3), before any agent runs', (_what, name) => {
    const attempt = (): unknown => netnsAgentCommand(name);
    expect(attempt).toThrow(InvalidInputError);
    try {
      attempt();
    } catch (error) {
      expect(exitCodeOf(error)).toBe(EXIT.invalidInput);
    }
  });
});
