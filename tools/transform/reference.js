#!/usr/bin/env node
// Runs Amplify's own GraphQL transformer (v2, @aws-amplify/graphql-transformer as the Amplify CLI installs it) on one
// schema file and prints the transformed schema (the build's schema.graphql) on stdout.
// Usage: node tools/transform/reference.js SCHEMA.graphql [CLI_NODE_MODULES] [--indexes=FILE]
// With --indexes=FILE it also writes to FILE, as JSON, the global secondary indexes of every model's DynamoDB table in
// the stacks it makes: [{"model", "index", "key": [{"name", "type"}]}] (the key's attribute names and DynamoDB types).
// CLI_NODE_MODULES (or $AMPLIFY_CLI_NODE_MODULES) is the node_modules folder of tools/amplify-cli/install.sh's install.
// The options are what `amplify push` passes for a new project of CLI 14: the feature flags' defaultValueForNewProjects,
// sandbox mode off, and an auth config with API_KEY as the default mode plus AMAZON_COGNITO_USER_POOLS, AWS_IAM and
// OPENID_CONNECT as additional modes (so @auth rules of every provider transform).
// Exit status: 0 and the schema printed; 1 when the transformer rejects the schema (its message on stderr).
'use strict';
const fs = require('fs');
const path = require('path');

const indexesArg = process.argv.slice(2).find((a) => a.startsWith('--indexes='));
const [schemaFile, modulesArg] = process.argv.slice(2).filter((a) => !a.startsWith('--indexes='));
if (!schemaFile) {
  console.error('usage: reference.js SCHEMA.graphql [CLI_NODE_MODULES]');
  process.exit(2);
}
const modules = modulesArg || process.env.AMPLIFY_CLI_NODE_MODULES;
if (!modules) {
  console.error('reference.js: give the Amplify CLI node_modules folder (argument or AMPLIFY_CLI_NODE_MODULES)');
  process.exit(2);
}
const need = (name) => require(path.join(modules, name));
const { executeTransform } = need('@aws-amplify/graphql-transformer');
const { TransformManager } = need(
  '@aws-amplify/amplify-category-api/lib/graphql-transformer/cdk-compat/transform-manager',
);

const authConfig = {
  defaultAuthentication: { authenticationType: 'API_KEY', apiKeyConfig: { apiKeyExpirationDays: 7 } },
  additionalAuthenticationProviders: [
    { authenticationType: 'AMAZON_COGNITO_USER_POOLS', userPoolConfig: { userPoolId: 'pool' } },
    { authenticationType: 'AWS_IAM' },
    { authenticationType: 'OPENID_CONNECT', openIDConnectConfig: { name: 'oidc', issuerUrl: 'https://issuer.example' } },
  ],
};
const transformParameters = {
  shouldDeepMergeDirectiveConfigDefaults: false,
  disableResolverDeduping: false,
  sandboxModeEnabled: false,
  useSubUsernameForDefaultIdentityClaim: true,
  populateOwnerFieldForStaticGroupAuth: true,
  suppressApiKeyGeneration: false,
  secondaryKeyAsGSI: true,
  enableAutoIndexQueryNames: true,
  respectPrimaryKeyAttributesOnConnectionField: true,
  enableSearchNodeToNodeEncryption: false,
  enableTransformerCfnOutputs: true,
  allowDestructiveGraphqlSchemaUpdates: false,
  replaceTableUponGsiUpdate: false,
  subscriptionsInheritPrimaryAuth: false,
  allowGen1Patterns: true,
  enableGen2Migration: false,
};

const schema = fs.readFileSync(schemaFile, 'utf8');
// Every @model type is a DynamoDB model, as the CLI's loadProject makes them (provisionStrategy DEFAULT).
const { DDB_DEFAULT_DATASOURCE_STRATEGY } = need('@aws-amplify/graphql-transformer-core');
const { parse } = need('graphql');
const dataSourceStrategies = {};
for (const def of parse(schema).definitions) {
  if ((def.kind === 'ObjectTypeDefinition' || def.kind === 'ObjectTypeExtension') &&
      (def.directives || []).some((d) => d.name.value === 'model')) {
    dataSourceStrategies[def.name.value] = DDB_DEFAULT_DATASOURCE_STRATEGY;
  }
}
const manager = new TransformManager(undefined, true, true, [], undefined);
const logs = [];
try {
  executeTransform({
    schema,
    authConfig,
    transformParameters,
    transformersFactoryArgs: {},
    resolverConfig: {},
    userDefinedSlots: {},
    stackMapping: {},
    dataSourceStrategies,
    sqlDirectiveDataSourceStrategies: [],
    scope: manager.rootStack,
    nestedStackProvider: manager.getNestedStackProvider(),
    assetProvider: manager.getAssetProvider(),
    parameterProvider: manager.getParameterProvider(),
    synthParameters: manager.getSynthParameters(),
    printTransformerLog: (log) => logs.push(log),
  });
} catch (e) {
  console.error(e && e.message ? e.message : String(e));
  process.exit(1);
}
const out = manager.generateDeploymentResources();
if (indexesArg) {
  const indexes = [];
  for (const stack of Object.values(out.stacks)) {
    for (const [id, resource] of Object.entries(stack.Resources || {})) {
      const props = resource.Properties || {};
      if (!/Table$/.test(id) || !props.KeySchema) continue;
      const types = Object.fromEntries((props.AttributeDefinitions || []).map((a) => [a.AttributeName, a.AttributeType]));
      for (const gsi of props.GlobalSecondaryIndexes || []) {
        indexes.push({
          model: id.replace(/Table$/, ''),
          index: gsi.IndexName,
          key: gsi.KeySchema.map((k) => ({ name: k.AttributeName, type: types[k.AttributeName] })),
        });
      }
    }
  }
  fs.writeFileSync(indexesArg.slice('--indexes='.length), JSON.stringify(indexes, null, 2) + '\n');
}
process.stdout.write(out.schema.endsWith('\n') ? out.schema : out.schema + '\n');
