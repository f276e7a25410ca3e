// One environment: its auth, API and storage resources with their configuration, the amplify-meta outputs, clone, delete.
import {
  CloneBackendCommand,
  DeleteBackendCommand,
  GetBackendAPICommand,
  GetBackendAuthCommand,
  GetBackendCommand,
  type GetBackendCommandOutput,
  GetBackendStorageCommand,
} from "@aws-sdk/client-amplifybackend";
import { call } from "../api";
import { button, field, h, replace } from "../dom";
import { type Page, copy, enc, link, messageArea, pre, pretty, runJob, section } from "../ui";

type Kind = "auth" | "api" | "storage";
const TITLES: Record<Kind, string> = { auth: "Auth", api: "APIs", storage: "Storage" };

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

  const resources = (kind: Kind) => {
    const names = Object.keys(meta[kind] ?? {});
    const list = h("div", { class: "resources" });
    for (const name of names) {
      const config = pre("Loading…", `${kind} ${name} configuration`);
      const target = kind === "api" ? `${base}/api/${enc(name)}` : `${base}/${kind}/${enc(name)}`;
      list.appendChild(h("article", { class: "resource", "aria-label": `${TITLES[kind]} resource ${name}` },
        h("h3", {}, name),
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
}
