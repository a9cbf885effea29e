/** DescribeNetworkInterfaces / DescribeSubnets output that eni-pbr refuses to plan from. */
export class InvalidEc2FactsError extends Error {
  override readonly name = 'InvalidEc2FactsError';

  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}
