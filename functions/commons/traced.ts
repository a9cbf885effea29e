import { tracer } from './powertools';

/** Runs `work` in its own X-Ray subsegment (one per job), annotated; a no-op when tracing is off. */
export async function traced<T>(name: string, annotations: Readonly<Record<string, string>>, work: () => Promise<T>): Promise<T> {
  const parent = tracer.isTracingEnabled() ? tracer.getSegment() : undefined;
  if (parent === undefined) return work();
  const subsegment = parent.addNewSubsegment(name);
  tracer.setSegment(subsegment);
  try {
    for (const [key, value] of Object.entries(annotations)) tracer.putAnnotation(key, value);
    return await work();
  } catch (error) {
    subsegment.addError(error as Error);
    throw error;
  } finally {
    subsegment.close();
    tracer.setSegment(parent);
  }
}
