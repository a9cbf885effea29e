import { CommandTooLargeError, SSM_DOCUMENT_QUOTA_BYTES, assertCommandFitsQuota, parameterBytesOf } from '../../functions/agent-protocol/ssm-size-budget';

describe('the SSM size budget', () => {
  it('counts parameter values in UTF-8 bytes', () => {
    expect(parameterBytesOf({ Mode: 'apply', Plan: 'QUJD' })).toBe(9);
    expect(parameterBytesOf({ Note: 'é' })).toBe(2);
  });

  it('accepts a command exactly at the quota', () => {
    expect(() => assertCommandFitsQuota(SSM_DOCUMENT_QUOTA_BYTES - 4, { Plan: 'QUJD' })).not.toThrow();
  });

  it('refuses one byte past it, naming both sizes', () => {
    const attempt = (): void => assertCommandFitsQuota(SSM_DOCUMENT_QUOTA_BYTES - 3, { Plan: 'QUJD' });
    expect(attempt).toThrow(CommandTooLargeError);
    expect(attempt).toThrow(`document ${SSM_DOCUMENT_QUOTA_BYTES - 3} bytes + parameters 4 bytes`);
  });
});
