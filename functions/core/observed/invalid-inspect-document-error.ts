/** An inspect document eni-pbr refuses to plan from: wrong shape, wrong version or a hostile value. */
export class InvalidInspectDocumentError extends Error {
  override readonly name = 'InvalidInspectDocumentError';

  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}
