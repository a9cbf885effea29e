/** Plan options the planner refuses: ranges outside the agent's windows, a mask that is not contiguous. */
export class InvalidPlanOptionsError extends Error {
  override readonly name = 'InvalidPlanOptionsError';
}
