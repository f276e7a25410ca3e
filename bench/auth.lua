-- wrk script: every request carries a SigV4-shaped Authorization header, as the AWS SDKs send.
wrk.headers["Authorization"] = "AWS4-HMAC-SHA256 Credential=test/20261126/us-east-1/amplifybackend/aws4_request, SignedHeaders=host;x-amz-date, Signature=0000"
wrk.headers["X-Amz-Date"] = "20261126T000000Z"
