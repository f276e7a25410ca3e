#!/usr/bin/env bash
# Vendors the service models Ampstack calls as a client when it provisions backends on an AWS-compatible endpoint
# (issue 23; see spec/README.md): of Cognito user pools (cognito-idp, json 1.1), Cognito identity pools
# (cognito-identity, json 1.1), AppSync (rest-json) and IAM (query) only the operations it calls, with every shape they
# reach. SignUp, AdminConfirmSignUp and InitiateAuth are there for the tests that check a provisioned pool works.
# Source: pip's botocore (the pyenv python3), trimmed by tools/vendor-botocore-models.py.
set -euo pipefail
cd "$(dirname "$0")/.."
python3 tools/vendor-botocore-models.py \
  cognito-idp/2016-04-18:CreateUserPool,DescribeUserPool,UpdateUserPool,DeleteUserPool,ListUserPools,CreateUserPoolClient,DescribeUserPoolClient,DeleteUserPoolClient,ListUserPoolClients,CreateUserPoolDomain,DeleteUserPoolDomain,TagResource,ListTagsForResource,SignUp,AdminConfirmSignUp,InitiateAuth \
  cognito-identity/2014-06-30:CreateIdentityPool,DescribeIdentityPool,UpdateIdentityPool,DeleteIdentityPool,ListIdentityPools,SetIdentityPoolRoles,GetIdentityPoolRoles \
  appsync/2017-07-25:CreateGraphqlApi,GetGraphqlApi,UpdateGraphqlApi,DeleteGraphqlApi,ListGraphqlApis,StartSchemaCreation,GetSchemaCreationStatus,GetIntrospectionSchema,CreateApiKey,ListApiKeys,CreateDataSource,CreateResolver,ListTypes \
  iam/2010-05-08:CreateRole,GetRole,DeleteRole,PutRolePolicy,DeleteRolePolicy,ListRolePolicies,TagRole
