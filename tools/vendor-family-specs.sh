#!/usr/bin/env bash
# Vendors the service models of the Amplify family that Ampstack answers beside AmplifyBackend (see spec/README.md):
# Amplify Hosting whole, and of S3, CloudFormation and STS only the operations served, with every shape they reach.
# Source: pip's botocore (the pyenv python3), trimmed by tools/vendor-botocore-models.py. Documentation strings are
# dropped; everything else is kept as botocore has it.
set -euo pipefail
cd "$(dirname "$0")/.."
# Amplify Hosting whole: every operation routes; those not served answer BadRequestException.
python3 tools/vendor-botocore-models.py \
  amplify/2017-07-25 \
  s3/2006-03-01:GetObject,HeadObject,ListObjectsV2,ListObjects,HeadBucket,GetBucketLocation,ListBuckets \
  cloudformation/2010-05-15:DescribeStacks,ListStacks,ListStackResources,DescribeStackResources,DescribeStackResource,GetTemplate \
  sts/2011-06-15:GetCallerIdentity
