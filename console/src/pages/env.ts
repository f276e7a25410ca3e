// One environment: its auth, API and storage resources with their configuration, where each is (provisioned on the
// server's --provision-endpoint, or emulated), the steps its provisioning skipped, and its ids from amplify-meta, the
// outputs, clone, delete.
import {
  CloneBackendCommand,
  DeleteBackendCommand,
  GetBackendAPICommand,
  GetBackendAuthCommand,
  GetBackendCommand,
  type GetBackendCommandOutput,
  GetBackendStorageCommand,
  ListBackendJobsCommand,
  type ListBackendJobsCommandOutput,
} from "@aws-sdk/client-amplifybackend";
import { type Job, call, waitForJob } from "../api";
import { button, field, h, replace, uid } from "../dom";
import { type Page, copy, enc, link, messageArea, pre, pretty, runJob, section } from "../ui";

type Kind = "auth" | "api" | "storage";
const TITLES: Record<Kind, string> = { auth: "Auth", api: "APIs", storage: "Storage" };

/** The ids amplify-meta gives each kind's resource (its "output"), with the labels the page shows them under. */
const IDS: Record<Kind, [string, string][]> = {
  auth: [["UserPoolId", "User pool ID"], ["AppClientIDWeb", "Web client ID"], ["IdentityPoolId", "Identity pool ID"]],
  api: [["GraphQLAPIIdOutput", "AppSync API ID"], ["GraphQLAPIEndpointOutput", "GraphQL endpoint"],
    ["GraphQLAPIKeyOutput", "API key"]],
  storage: [["BucketName", "Bucket name"]],
};
const OPERATION_KIND: [RegExp, Kind][] = [[/Auth$/, "auth"], [/API(Models)?$/, "api"], [/Storage$/, "storage"]];

/**
 * Where this server makes resources: the endpoint its page names (the server writes it into index.html when started with
 * --provision-endpoint; the URL or "AWS", never a credential), or null: every resource is emulated.
 */
export function provisioningEndpoint(): string | null {
  return document.querySelector<HTMLMetaElement>('meta[name="ampstack-provisioning"]')?.content || null;
}

/** The environment's latest job of each kind (ListBackendJobs lists oldest first), following NextToken. */
async function latestJobs(appId: string, env: string): Promise<Partial<Record<Kind, Job>>> {
  const latest: Partial<Record<Kind, Job>> = {};
  let token: string | undefined;
  for (let pages = 0; pages < 40; pages++) {
    const out = await call<ListBackendJobsCommandOutput>(new ListBackendJobsCommand({
      AppId: appId, BackendEnvironmentName: env, MaxResults: 25, NextToken: token,
    }));
    for (const job of out.Jobs ?? []) {
      const kind = OPERATION_KIND.find(([pattern]) => pattern.test(job.Operation ?? ""))?.[1];
      if (kind) latest[kind] = job;
    }
    token = out.NextToken;
    if (!token) break;
  }
  return latest;
}

async function readConfig(kind: Kind, appId: string, env: string, name: string): Promise<unknown> {
  const input = { AppId: appId, BackendEnvironmentName: env, ResourceName: name };
  const out = await call<{ ResourceConfig?: unknown }>(kind === "auth" ? new GetBackendAuthCommand(input)
    : kind === "api" ? new GetBackendAPICommand(input) : new GetBackendStorageCommand(input));
  return out.ResourceConfig;
}

export async function envPage(page: Page) {
  const { main } = page;
  const [appId, env] = [page.params[0]!, page.params[1]!];
  const backend = await call<GetBackendCommandOutput>(new GetBackendCommand({ AppId: appId, BackendEnvironmentName: env }));
  const meta = JSON.parse(backend.AmplifyMetaConfig || "{}") as Record<string, Record<string, unknown>>;
  const base = `#/app/${enc(appId)}/env/${enc(env)}`;
  const where = provisioningEndpoint();
  const jobs = await latestJobs(appId, env).catch(() => ({}) as Partial<Record<Kind, Job>>);

  // Where a resource is, in words: provisioned on the endpoint, being provisioned, failed, imported, or emulated.
  const placement = (kind: Kind, entry: Record<string, unknown>) => {
    const job = jobs[kind];
    const imported = entry.serviceType === "imported";
    const [text, state] = !where ? [imported ? "Imported; emulated: this server does not provision (its ids are Ampstack's)"
      : "Emulated: this server does not provision, so these ids are Ampstack's own", ""]
      : job?.Status === "RUNNING" ? [`Being ${job.Operation?.startsWith("Delete") ? "removed from" : "provisioned on"} ${where} ` +
        `(job ${job.JobId} is running)…`, "running"]
      : job?.Status === "FAILED" ? [`Provisioning on ${where} failed: ${job.Error || "no reason given"}`, "failed"]
      : [`${imported ? "Imported and checked" : "Provisioned"} on ${where}`, "completed"];
    return h("p", { class: `placement ${state}` }, text);
  };

  // The steps the endpoint does not implement that its last provisioning skipped, from the note the server keeps with
  // the resource (amplify-meta's "ampstack" member): e.g. moto's AppSync data sources and resolvers.
  const skipped = (entry: Record<string, unknown>) => {
    const note = entry.ampstack as { provisionedOn?: string; skipped?: string[] } | undefined;
    const steps = (note?.skipped ?? []).filter((s) => typeof s === "string");
    return steps.length ? h("p", { class: "placement skipped" },
      `Skipped on ${note?.provisionedOn ?? where ?? "the endpoint"}, which does not implement them: ${steps.join(", ")}`) : null;
  };

  const ids = (kind: Kind, name: string, output: Record<string, unknown>) => {
    const rows = IDS[kind].filter(([key]) => typeof output[key] === "string" && output[key]);
    return rows.length ? h("dl", { class: "ids", "aria-label": `${kind} ${name} ids` },
      rows.flatMap(([key, label]) => {
        const id = uid();
        return [h("dt", { id }, label), h("dd", { "aria-labelledby": id }, String(output[key]))];
      })) : null;
  };

  const resources = (kind: Kind) => {
    const names = Object.keys(meta[kind] ?? {});
    const list = h("div", { class: "resources" });
    for (const name of names) {
      const config = pre("Loading…", `${kind} ${name} configuration`);
      const target = kind === "api" ? `${base}/api/${enc(name)}` : `${base}/${kind}/${enc(name)}`;
      const entry = meta[kind]![name] as Record<string, unknown>;
      list.appendChild(h("article", { class: "resource", "aria-label": `${TITLES[kind]} resource ${name}` },
        h("h3", {}, name),
        placement(kind, entry),
        skipped(entry),
        ids(kind, name, (entry.output ?? {}) as Record<string, unknown>),
        config,
        h("p", {}, link(target, kind === "api" ? `Open API ${name}` : `Edit ${kind} ${name}`))));
      readConfig(kind, appId, env, name).then(
        (c) => (config.textContent = JSON.stringify(c, null, 2)),
        (e) => (config.textContent = `Could not read: ${(e as Error).message}`));
    }
    // The service allows one auth and one storage resource per environment, and any number of APIs.
    const canAdd = kind === "api" || names.length === 0;
    return section(TITLES[kind], names.length ? list : h("p", {}, `No ${kind} resource.`),
      canAdd ? h("p", {}, link(`${base}/${kind}/new`, `Add ${kind === "api" ? "an API" : kind}`)) : null);
  };

  const outputsText = pretty(backend.AmplifyMetaConfig);
  const outputs = pre(outputsText, "amplify-meta.json");
  const outputsArea = messageArea();

  const target = field("New environment name", { spellcheck: "false" });
  const cloneArea = messageArea();
  const cloneForm = h("form", { class: "inline" }, target.row, h("button", { type: "submit" }, "Clone environment"), cloneArea);
  cloneForm.addEventListener("submit", async (e) => {
    e.preventDefault();
    const name = target.input.value.trim();
    const job = await runJob(cloneArea, `Clone ${env} to ${name}`, () => call(new CloneBackendCommand({
      AppId: appId, BackendEnvironmentName: env, TargetEnvironmentName: name,
    })), { appId, env });
    if (job?.Status === "COMPLETED") window.location.hash = `#/app/${enc(appId)}/env/${enc(name)}`;
  });

  const deleteArea = messageArea();
  const confirmBox = h("div", { class: "confirm", hidden: true },
    h("p", {}, `Delete environment ${env} and all its resources? This cannot be undone.`),
    button(`Confirm delete of ${env}`, async () => {
      const job = await runJob(deleteArea, `Delete environment ${env}`, () => call(new DeleteBackendCommand({
        AppId: appId, BackendEnvironmentName: env,
      })), { appId, env });
      if (job?.Status === "COMPLETED") window.location.hash = `#/app/${enc(appId)}`;
    }, { class: "danger" }),
    button("Cancel", () => {
      confirmBox.hidden = true;
    }));

  replace(main,
    h("h1", {}, `Environment ${env} of ${backend.AppName ?? appId}`),
    h("p", {}, link(`${base}/jobs`, `Jobs of ${env}`)),
    resources("auth"), resources("api"), resources("storage"),
    section("Outputs (amplify-meta.json)",
      button("Copy amplify-meta.json", () => copy(outputsText, outputs, outputsArea)), outputsArea, outputs),
    section("Clone", h("p", {}, "Copies this environment's resources into a new environment."), cloneForm),
    section("Delete", button("Delete environment", () => {
      confirmBox.hidden = false;
      (confirmBox.querySelector("button") as HTMLButtonElement).focus();
    }, { class: "danger" }), confirmBox, deleteArea));

  // A resource being provisioned: once its job ends, the page is drawn again with what it left (real ids, or why not).
  const running = Object.values(jobs).find((j) => j?.Status === "RUNNING" && j.JobId);
  if (where && running) {
    const done = await waitForJob(appId, env, running.JobId!, undefined, page.alive).catch(() => null);
    if (done && page.alive()) await envPage(page);
  }
}
