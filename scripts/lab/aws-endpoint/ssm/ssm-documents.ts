import type { AgentDocument } from '../../../../functions/agent-protocol/agent-document';
import { AwsError } from '../aws-error';

interface StoredDocument {
  /** the content as CreateDocument received it: its bytes count against the 64 KB quota */
  readonly versions: string[];
  defaultVersion: number;
}

/**
 * The account's Command documents: name → versions (1-based), like `AWS::SSM::Document` with
 * `UpdateMethod: NewVersion` keeps them. Only schema 2.2 `aws:runShellScript` documents can run.
 */
export class SsmDocuments {
  private readonly documents = new Map<string, StoredDocument>();

  /** Adds a version (the first one creates the document) and makes it the default, as a stack update does. */
  put(name: string, content: string): number {
    const stored = this.documents.get(name) ?? { versions: [], defaultVersion: 1 };
    stored.versions.push(content);
    stored.defaultVersion = stored.versions.length;
    this.documents.set(name, stored);
    return stored.defaultVersion;
  }

  /** `$DEFAULT` (or none), `$LATEST`, or a version number, as SendCommand's DocumentVersion takes it. */
  resolve(name: string, version: string | undefined): { version: number; content: string; document: AgentDocument } {
    const stored = this.documents.get(name);
    if (stored === undefined) throw new AwsError('InvalidDocument', `Document with name ${name} does not exist.`);
    const number = version === undefined || version === '$DEFAULT' ? stored.defaultVersion : version === '$LATEST' ? stored.versions.length : Number(version);
    const content = stored.versions[number - 1];
    if (!Number.isInteger(number) || content === undefined) throw new AwsError('InvalidDocumentVersion', `Document ${name} has no version ${version}.`);
    return { version: number, content, document: JSON.parse(content) as AgentDocument };
  }
}
