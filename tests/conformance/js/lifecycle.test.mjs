// Ampstack conformance with the AWS SDK for JavaScript v3 (@aws-sdk/client-amplifybackend): starts its own server
// (`../../../ampstack serve --port 0`) on a temporary data directory and drives a full lifecycle through the SDK.
//
// The SDK ships no paginator for ListBackendJobs (its Smithy model has no @paginated trait on the operation, unlike
// botocore's paginators-1.json), so `paginateListBackendJobs` is built here exactly as the SDK's code generator builds
// its paginators: @smithy/core's createPaginator over NextToken / NextToken / MaxResults.

import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { randomUUID } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

import { createPaginator } from "@smithy/core";
import {
  AmplifyBackendClient,
  BadRequestException,
  CloneBackendCommand,
  CreateBackendAPICommand,
  CreateBackendAuthCommand,
  CreateBackendCommand,
  CreateBackendConfigCommand,
  CreateBackendStorageCommand,
  CreateTokenCommand,
  DeleteBackendAPICommand,
  DeleteBackendAuthCommand,
  DeleteBackendCommand,
  DeleteBackendStorageCommand,
  DeleteTokenCommand,
  GetBackendAPICommand,
  GetBackendAPIModelsCommand,
  GetBackendAuthCommand,
  GetBackendCommand,
  GetBackendJobCommand,
  GetBackendStorageCommand,
  GenerateBackendAPIModelsCommand,
  GetTokenCommand,
  ImportBackendAuthCommand,
  ImportBackendStorageCommand,
  ListBackendJobsCommand,
  ListS3BucketsCommand,
  NotFoundException,
  RemoveAllBackendsCommand,
  RemoveBackendConfigCommand,
  UpdateBackendAPICommand,
  UpdateBackendAuthCommand,
  UpdateBackendConfigCommand,
  UpdateBackendJobCommand,
  UpdateBackendStorageCommand,
} from "@aws-sdk/client-amplifybackend";

const paginateListBackendJobs = createPaginator(AmplifyBackendClient, ListBackendJobsCommand, "NextToken", "NextToken",
  "MaxResults");

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../..");
const START_TIMEOUT_MS = Number(process.env.AMPSTACK_START_TIMEOUT ?? 240) * 1000;
const UUID4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const UUID = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;

let server;
let dataDir;
let readyDir;
let client;
let stderr = "";

function startServer() {
  dataDir = mkdtempSync(path.join(tmpdir(), "ampstack-js-"));
  readyDir = mkdtempSync(path.join(tmpdir(), "ampstack-js-ready-"));
  // The server writes this file (ready.json.tmp, then renamed) once it listens: its url, pid, store, jobs, auth, version.
  const readyFile = path.join(readyDir, "ready.json");
  server = spawn(path.join(REPO, "ampstack"), ["serve", "--port", "0", "--data-dir", dataDir, "--ready-file", readyFile], {
    cwd: REPO,
    stdio: ["ignore", "pipe", "pipe"],
    // Strict auth: the SDK's signatures are verified against this one credential.
    env: { ...process.env, MSBUILDDISABLENODEREUSE: "1", DOTNET_CLI_USE_MSBUILD_SERVER: "0", DOTNET_NOLOGO: "1",
      AMPSTACK_CREDENTIALS: "test test 000000000000" },
  });
  let out = "";
  server.stderr.setEncoding("utf8");
  server.stderr.on("data", (chunk) => { stderr = (stderr + chunk).slice(-8000); });
  server.stdout.setEncoding("utf8");
  server.stdout.on("data", (chunk) => { out = (out + chunk).slice(-8000); });  // keeps draining
  return new Promise((resolve, reject) => {
    let done = false;
    const finish = (error, url) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      clearInterval(poll);
      if (error) reject(error); else resolve(url);
    };
    const timer = setTimeout(() => finish(new Error(`ampstack did not start in time: ${out} ${stderr}`)),
      START_TIMEOUT_MS);
    const poll = setInterval(() => {
      let ready;
      try {
        ready = JSON.parse(readFileSync(readyFile, "utf8"));
      } catch (e) {
        if (e.code === "ENOENT") return;
        finish(e);
        return;
      }
      if (ready.auth !== "strict" || !/^http:\/\/\S+$/.test(ready.url ?? "") || ready.pid !== server.pid) {
        finish(new Error(`unexpected ready file: ${JSON.stringify(ready)}`));
        return;
      }
      finish(null, ready.url);
    }, 20);
    server.on("exit", (code) => finish(new Error(`ampstack exited with ${code}: ${out} ${stderr}`)));
  });
}

before(async () => {
  const url = await startServer();
  client = new AmplifyBackendClient({
    endpoint: url,
    region: "us-east-1",
    credentials: { accessKeyId: "test", secretAccessKey: "test" },
    maxAttempts: 1,
  });
});

after(async () => {
  client?.destroy();
  if (server && server.exitCode === null) {
    const exited = new Promise((resolve) => server.once("exit", resolve));
    server.kill("SIGTERM");
    let timer;
    await Promise.race([exited, new Promise((resolve) => { timer = setTimeout(resolve, 15000); })]);
    clearTimeout(timer);
    if (server.exitCode === null) server.kill("SIGKILL");
  }
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  if (readyDir) rmSync(readyDir, { recursive: true, force: true });
});

const newAppId = () => `js${randomUUID().replaceAll("-", "").slice(0, 14)}`;

async function send(command) {
  const out = await client.send(command);
  assert.equal(out.$metadata.httpStatusCode, 200);
  assert.match(out.$metadata.requestId ?? "", UUID);
  const { $metadata, ...body } = out;
  return body;
}

function accepted(resp, appId, operation) {
  assert.equal(resp.AppId, appId);
  assert.match(resp.JobId, UUID4);
  assert.equal(resp.Status, "RUNNING");
  if (operation) assert.equal(resp.Operation, operation);
  else assert.equal(resp.Operation, undefined);
  return resp.JobId;
}

// Jobs are listed by createTime (epoch ms) with the job id breaking ties; a pause after each accepted job keeps the
// expected order the order of acceptance.
const pause = () => new Promise((resolve) => setTimeout(resolve, 3));

async function completed(appId, env, jobId, operation) {
  const job = await send(new GetBackendJobCommand({ AppId: appId, BackendEnvironmentName: env, JobId: jobId }));
  assert.deepEqual(Object.keys(job).sort(),
    ["AppId", "BackendEnvironmentName", "CreateTime", "JobId", "Operation", "Status", "UpdateTime"]);
  assert.equal(job.Status, "COMPLETED");
  assert.equal(job.Operation, operation);
  assert.match(job.CreateTime, /^[1-9][0-9]{12}$/);
  assert.ok(Number(job.UpdateTime) >= Number(job.CreateTime));
  return job;
}

const authConfig = {
  AuthResources: "IDENTITY_POOL_AND_USER_POOL",
  IdentityPoolConfigs: { IdentityPoolName: "idpool", UnauthenticatedLogin: false },
  Service: "COGNITO",
  UserPoolConfigs: {
    Mfa: { MFAMode: "OPTIONAL", Settings: { MfaTypes: ["TOTP", "SMS"], SmsMessage: "code {####}" } },
    OAuth: {
      DomainPrefix: "jsprefix",
      OAuthGrantType: "CODE",
      OAuthScopes: ["OPENID", "EMAIL"],
      RedirectSignInURIs: ["https://b.example.com/", "https://a.example.com/"],
      RedirectSignOutURIs: ["https://a.example.com/out"],
      SocialProviderSettings: { Google: { ClientId: "  g-id", ClientSecret: "g-secret" } },
    },
    PasswordPolicy: { AdditionalConstraints: ["REQUIRE_SYMBOL", "REQUIRE_DIGIT"], MinimumLength: 9 },
    RequiredSignUpAttributes: ["PHONE_NUMBER", "EMAIL"],
    SignInMethod: "EMAIL",
    UserPoolName: "jspool",
  },
};

const apiConfig = {
  ApiName: "jsapi",
  DefaultAuthType: { Mode: "API_KEY", Settings: { Description: "key", ExpirationTime: 7 } },
  AdditionalAuthTypes: [{ Mode: "AWS_IAM" }],
  ConflictResolution: { ResolutionStrategy: "AUTOMERGE" },
  Service: "AppSync",
  TransformSchema: "type Todo @model {\n  id: ID!\n  name: String!\n}\n",
};

describe("AmplifyBackend through @aws-sdk/client-amplifybackend", () => {
  test("full lifecycle", async () => {
    const appId = newAppId();
    const devJobs = [];
    let resp = await send(new CreateBackendCommand({ AppId: appId, AppName: "js-app", BackendEnvironmentName: "dev" }));
    devJobs.push([accepted(resp, appId, "CreateBackend"), "CreateBackend"]);
    await pause();
    await completed(appId, "dev", resp.JobId, "CreateBackend");

    const details = await send(new GetBackendCommand({ AppId: appId }));
    assert.equal(details.BackendEnvironmentName, "dev");
    assert.deepEqual(details.BackendEnvironmentList, ["dev"]);
    const provider = JSON.parse(details.AmplifyMetaConfig).providers.awscloudformation;
    for (const key of ["AuthRoleName", "AuthRoleArn", "UnauthRoleName", "UnauthRoleArn", "Region",
      "DeploymentBucketName", "StackName", "StackId"]) {
      assert.equal(typeof provider[key], "string", key);
    }
    assert.equal(provider.AmplifyAppId, appId);
    assert.equal(JSON.parse(details.AmplifyFeatureFlags).features.graphqltransformer.transformerversion, 2);

    resp = await send(new CreateBackendAuthCommand({ AppId: appId, BackendEnvironmentName: "dev", ResourceName: "auth1",
      ResourceConfig: authConfig }));
    devJobs.push([accepted(resp, appId, "CreateBackendAuth"), "CreateBackendAuth"]);
    await pause();
    const auth = await send(new GetBackendAuthCommand({ AppId: appId, BackendEnvironmentName: "dev", ResourceName: "auth1" }));
    assert.deepEqual(auth, { AppId: appId, BackendEnvironmentName: "dev", ResourceName: "auth1", ResourceConfig: authConfig });

    resp = await send(new UpdateBackendAuthCommand({ AppId: appId, BackendEnvironmentName: "dev", ResourceName: "auth1",
      ResourceConfig: { AuthResources: "IDENTITY_POOL_AND_USER_POOL", Service: "COGNITO",
        UserPoolConfigs: { Mfa: { MFAMode: "ON" } } } }));
    devJobs.push([accepted(resp, appId, "UpdateBackendAuth"), "UpdateBackendAuth"]);
    await pause();
    const updated = await send(new GetBackendAuthCommand({ AppId: appId, BackendEnvironmentName: "dev", ResourceName: "auth1" }));
    assert.equal(updated.ResourceConfig.UserPoolConfigs.Mfa.MFAMode, "ON");
    assert.deepEqual(updated.ResourceConfig.UserPoolConfigs.Mfa.Settings, authConfig.UserPoolConfigs.Mfa.Settings);

    resp = await send(new CreateBackendAPICommand({ AppId: appId, BackendEnvironmentName: "dev", ResourceName: "api1",
      ResourceConfig: apiConfig }));
    devJobs.push([accepted(resp, appId, "CreateBackendAPI"), "CreateBackendAPI"]);
    await pause();
    const api = await send(new GetBackendAPICommand({ AppId: appId, BackendEnvironmentName: "dev", ResourceName: "api1" }));
    assert.deepEqual(api.ResourceConfig, apiConfig);
    const models = await send(new GetBackendAPIModelsCommand({ AppId: appId, BackendEnvironmentName: "dev",
      ResourceName: "api1" }));
    assert.deepEqual(models, { Status: "STALE" });

    const bucket = `js-${randomUUID().replaceAll("-", "").slice(0, 16)}`;
    const permissions = { Authenticated: ["READ", "CREATE_AND_UPDATE"], UnAuthenticated: ["READ"] };
    resp = await send(new CreateBackendStorageCommand({ AppId: appId, BackendEnvironmentName: "dev", ResourceName: "files",
      ResourceConfig: { BucketName: bucket, Permissions: permissions, ServiceName: "S3" } }));
    devJobs.push([accepted(resp, appId), "CreateBackendStorage"]);
    await pause();
    const storage = await send(new GetBackendStorageCommand({ AppId: appId, BackendEnvironmentName: "dev",
      ResourceName: "files" }));
    assert.deepEqual(storage.ResourceConfig, { BucketName: bucket, Imported: false, Permissions: permissions,
      ServiceName: "S3" });
    const buckets = await send(new ListS3BucketsCommand({}));
    const listedBucket = buckets.Buckets.find((b) => b.Name === bucket);
    assert.ok(listedBucket, "the bucket is listed");
    assert.ok(!Number.isNaN(Date.parse(listedBucket.CreationDate)));

    resp = await send(new CloneBackendCommand({ AppId: appId, BackendEnvironmentName: "dev", TargetEnvironmentName: "test" }));
    devJobs.push([accepted(resp, appId, "CloneBackend"), "CloneBackend"]);
    await pause();
    const cloned = await send(new GetBackendAuthCommand({ AppId: appId, BackendEnvironmentName: "test", ResourceName: "auth1" }));
    assert.deepEqual(cloned.ResourceConfig, updated.ResourceConfig);
    assert.deepEqual((await send(new GetBackendCommand({ AppId: appId }))).BackendEnvironmentList, ["dev", "test"]);

    // ListBackendJobs: pages of one, oldest first, every job COMPLETED, no NextToken on the last page.
    const pages = [];
    for await (const page of paginateListBackendJobs({ client, pageSize: 1 }, { AppId: appId, BackendEnvironmentName: "dev" })) {
      pages.push(page);
    }
    assert.equal(pages.length, devJobs.length);
    assert.ok(pages.every((p) => p.Jobs.length === 1));
    assert.ok(pages.slice(0, -1).every((p) => typeof p.NextToken === "string" && p.NextToken.length > 0));
    assert.equal(pages.at(-1).NextToken, undefined);
    assert.deepEqual(pages.map((p) => [p.Jobs[0].JobId, p.Jobs[0].Operation]), devJobs);
    assert.ok(pages.every((p) => p.Jobs[0].Status === "COMPLETED"));
    const all = await send(new ListBackendJobsCommand({ AppId: appId, BackendEnvironmentName: "dev" }));
    assert.deepEqual(all.Jobs, pages.map((p) => p.Jobs[0]));
    const filtered = await send(new ListBackendJobsCommand({ AppId: appId, BackendEnvironmentName: "dev",
      Operation: "CreateBackendAPI" }));
    assert.deepEqual(filtered.Jobs.map((j) => j.JobId), [devJobs[3][0]]);

    const token = await send(new CreateTokenCommand({ AppId: appId }));
    assert.match(token.ChallengeCode, /^[0-9a-f]{32,}$/);
    assert.ok(Math.abs(Number(token.Ttl) - (Date.now() / 1000 + 600)) < 30, token.Ttl);
    assert.deepEqual(await send(new GetTokenCommand({ AppId: appId, SessionId: token.SessionId })), token);
    assert.deepEqual(await send(new DeleteTokenCommand({ AppId: appId, SessionId: token.SessionId })), { IsSuccess: true });
    await assert.rejects(client.send(new GetTokenCommand({ AppId: appId, SessionId: token.SessionId })),
      (err) => err.name === "NotFoundException" && err.ResourceType === "Token");

    resp = await send(new CreateBackendConfigCommand({ AppId: appId, BackendManagerAppId: "sandbox" }));
    assert.equal(resp.BackendEnvironmentName, "dev");
    await completed(appId, "dev", accepted(resp, appId), "CreateBackendConfig");
    const login = { AwsCognitoIdentityPoolId: "us-east-1:js", AwsCognitoRegion: "us-east-1",
      AwsUserPoolsId: "us-east-1_Js", AwsUserPoolsWebClientId: "client" };
    assert.deepEqual(await send(new UpdateBackendConfigCommand({ AppId: appId, LoginAuthConfig: login })),
      { AppId: appId, BackendManagerAppId: "sandbox", LoginAuthConfig: login });
    assert.deepEqual(await send(new RemoveBackendConfigCommand({ AppId: appId })), {});

    for (const [command, operation] of [
      [new DeleteBackendAPICommand({ AppId: appId, BackendEnvironmentName: "test", ResourceName: "api1" }), "DeleteBackendAPI"],
      [new DeleteBackendAuthCommand({ AppId: appId, BackendEnvironmentName: "test", ResourceName: "auth1" }), "DeleteBackendAuth"],
      [new DeleteBackendStorageCommand({ AppId: appId, BackendEnvironmentName: "test", ResourceName: "files",
        ServiceName: "S3" }), null],
    ]) {
      const r = await send(command);
      await completed(appId, "test", accepted(r, appId, operation ?? undefined), operation ?? "DeleteBackendStorage");
    }
    const meta = JSON.parse((await send(new GetBackendCommand({ AppId: appId, BackendEnvironmentName: "test" }))).AmplifyMetaConfig);
    assert.deepEqual([meta.auth, meta.api, meta.storage], [{}, {}, {}]);
    resp = await send(new DeleteBackendCommand({ AppId: appId, BackendEnvironmentName: "test" }));
    await completed(appId, "test", accepted(resp, appId, "DeleteBackend"), "DeleteBackend");

    resp = await send(new RemoveAllBackendsCommand({ AppId: appId, CleanAmplifyApp: true }));
    assert.equal(resp.BackendEnvironmentName, undefined);
    await completed(appId, "dev", accepted(resp, appId, "RemoveAllBackends"), "RemoveAllBackends");
    await assert.rejects(client.send(new GetBackendCommand({ AppId: appId })),
      (err) => err.name === "NotFoundException" && err.ResourceType === "App");
  });

  test("NotFoundException carries status, request id and ResourceType", async () => {
    const appId = newAppId();
    let caught;
    try {
      await client.send(new GetBackendCommand({ AppId: appId }));
    } catch (err) {
      caught = err;
    }
    assert.ok(caught, "GetBackend of an unknown app must fail");
    assert.equal(caught.name, "NotFoundException");
    assert.ok(caught instanceof NotFoundException);
    assert.equal(caught.$metadata.httpStatusCode, 404);
    assert.match(caught.$metadata.requestId ?? "", UUID);
    assert.equal(caught.ResourceType, "App");
    assert.equal(caught.message, `App ${appId} was not found.`);
    assert.equal(caught.$fault, "client");
  });

  test("BadRequestException: maxResults outside 1..25, existing environment", async () => {
    const appId = newAppId();
    await send(new CreateBackendCommand({ AppId: appId, AppName: "js", BackendEnvironmentName: "dev" }));
    await assert.rejects(
      client.send(new ListBackendJobsCommand({ AppId: appId, BackendEnvironmentName: "dev", MaxResults: 26 })),
      (err) => err instanceof BadRequestException && err.$metadata.httpStatusCode === 400
        && err.message === "Invalid value for 'maxResults': 26 is greater than the maximum of 25.");
    await assert.rejects(
      client.send(new CreateBackendCommand({ AppId: appId, AppName: "js", BackendEnvironmentName: "dev" })),
      (err) => err.name === "BadRequestException"
        && err.message === `Backend environment dev already exists for app ${appId}.`);
  });

  test("models, updates, imports and UpdateBackendJob", async () => {
    const appId = newAppId();
    await send(new CreateBackendCommand({ AppId: appId, AppName: "js", BackendEnvironmentName: "dev" }));
    await send(new CreateBackendAPICommand({ AppId: appId, BackendEnvironmentName: "dev", ResourceName: "api1",
      ResourceConfig: apiConfig }));

    let resp = await send(new GenerateBackendAPIModelsCommand({ AppId: appId, BackendEnvironmentName: "dev", ResourceName: "api1" }));
    await completed(appId, "dev", accepted(resp, appId, "GenerateBackendAPIModels"), "GenerateBackendAPIModels");
    const models = await send(new GetBackendAPIModelsCommand({ AppId: appId, BackendEnvironmentName: "dev", ResourceName: "api1" }));
    assert.equal(models.Status, "LATEST");
    const schema = JSON.parse(models.Models.slice(models.Models.indexOf("{")).replaceAll(";", ""));
    assert.deepEqual(Object.keys(schema.models), ["Todo"]);
    assert.equal(JSON.parse(models.ModelIntrospectionSchema).models.Todo.primaryKeyInfo.primaryKeyFieldName, "id");

    resp = await send(new UpdateBackendAPICommand({ AppId: appId, BackendEnvironmentName: "dev", ResourceName: "api1",
      ResourceConfig: { TransformSchema: "type Note @model {\n  id: ID!\n}\n" } }));
    await completed(appId, "dev", accepted(resp, appId, "UpdateBackendAPI"), "UpdateBackendAPI");
    const api = await send(new GetBackendAPICommand({ AppId: appId, BackendEnvironmentName: "dev", ResourceName: "api1" }));
    assert.deepEqual(api.ResourceConfig, { ...apiConfig, TransformSchema: "type Note @model {\n  id: ID!\n}\n" });
    assert.equal((await send(new GetBackendAPIModelsCommand({ AppId: appId, BackendEnvironmentName: "dev",
      ResourceName: "api1" }))).Status, "STALE");

    resp = await send(new ImportBackendAuthCommand({ AppId: appId, BackendEnvironmentName: "dev", UserPoolId: "us-east-1_Imp",
      WebClientId: "web", NativeClientId: "native", IdentityPoolId: "us-east-1:pool" }));
    await completed(appId, "dev", accepted(resp, appId, "ImportBackendAuth"), "ImportBackendAuth");
    const imported = await send(new GetBackendAuthCommand({ AppId: appId, BackendEnvironmentName: "dev", ResourceName: "us-east-1_Imp" }));
    assert.equal(imported.ResourceConfig.AuthResources, "IDENTITY_POOL_AND_USER_POOL");
    const meta = JSON.parse((await send(new GetBackendCommand({ AppId: appId }))).AmplifyMetaConfig);
    assert.equal(meta.auth["us-east-1_Imp"].output.AppClientIDWeb, "web");

    const bucket = `jsimp-${randomUUID().replaceAll("-", "").slice(0, 12)}`;
    resp = await send(new ImportBackendStorageCommand({ AppId: appId, BackendEnvironmentName: "dev", BucketName: bucket,
      ServiceName: "S3" }));
    await completed(appId, "dev", accepted(resp, appId), "ImportBackendStorage");
    const permissions = { Authenticated: ["READ"] };
    resp = await send(new UpdateBackendStorageCommand({ AppId: appId, BackendEnvironmentName: "dev", ResourceName: bucket,
      ResourceConfig: { Permissions: permissions, ServiceName: "S3" } }));
    const updateJob = accepted(resp, appId);
    await completed(appId, "dev", updateJob, "UpdateBackendStorage");
    assert.deepEqual((await send(new GetBackendStorageCommand({ AppId: appId, BackendEnvironmentName: "dev",
      ResourceName: bucket }))).ResourceConfig, { BucketName: bucket, Imported: true, Permissions: permissions, ServiceName: "S3" });

    const renamed = await send(new UpdateBackendJobCommand({ AppId: appId, BackendEnvironmentName: "dev", JobId: updateJob,
      Operation: "Renamed" }));
    assert.equal(renamed.Operation, "Renamed");
    assert.equal(renamed.Status, "COMPLETED");
    await assert.rejects(
      client.send(new UpdateBackendJobCommand({ AppId: appId, BackendEnvironmentName: "dev", JobId: updateJob, Status: "PENDING" })),
      (err) => err.name === "BadRequestException" && err.$metadata.httpStatusCode === 400);
  });
});
