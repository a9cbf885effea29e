'use strict';
// Embeds SSM documents into the packaged CloudFormation template. A resource declares
// `Content: <path to a .json file>` (resources/agent-document.yml); after Serverless merges the
// resources, this plugin replaces the path with the file's JSON, read byte for byte from the file the
// tests run. `${file(...)}` cannot do it: Serverless would take the agent's bash `${…}` for its own
// variables and fail.
const { readFileSync } = require('node:fs');
const path = require('node:path');

class EmbedDocumentPlugin {
  constructor(serverless) {
    this.serverless = serverless;
    this.hooks = {
      'after:aws:package:finalize:mergeCustomProviderResources': () => this.embed(),
    };
  }

  embed() {
    const resources = this.serverless.service.provider.compiledCloudFormationTemplate.Resources;
    for (const [logicalId, resource] of Object.entries(resources)) {
      if (resource.Type !== 'AWS::SSM::Document') continue;
      const content = resource.Properties && resource.Properties.Content;
      if (typeof content !== 'string' || !content.endsWith('.json')) continue;
      const file = path.join(this.serverless.serviceDir, content);
      try {
        resource.Properties.Content = JSON.parse(readFileSync(file, 'utf8'));
      } catch (error) {
        throw new this.serverless.classes.Error(`${logicalId}: cannot embed ${content}: ${error.message}`);
      }
    }
  }
}

module.exports = EmbedDocumentPlugin;
