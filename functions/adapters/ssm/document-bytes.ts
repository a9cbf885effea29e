import document from '../../../ssm/eni-pbr-agent.json';

/**
 * The document's size as SSM counts it against the 64 KB quota (content + runtime parameters). The
 * deployed AWS::SSM::Document is built from this same file (the bundle carries it), and
 * CloudFormation sends it as compact JSON: JSON.stringify gives the same byte count.
 */
export const AGENT_DOCUMENT_BYTES = Buffer.byteLength(JSON.stringify(document), 'utf8');
