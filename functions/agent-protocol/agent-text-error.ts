/** The agent's text cannot travel in the document, or a document does not carry a readable agent. */
export class AgentTextError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'AgentTextError';
  }
}
