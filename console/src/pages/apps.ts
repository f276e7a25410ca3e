// The apps page: the apps this browser created or opened with this credential (see store.ts), each read with GetBackend;
// open an app by id; create an app with its first environment.
import {
  CreateBackendCommand,
  GetBackendCommand,
  type GetBackendCommandOutput,
  ListBackendJobsCommand,
  type ListBackendJobsCommandOutput,
  UpdateBackendConfigCommand,
} from "@aws-sdk/client-amplifybackend";
import { ApiError, call } from "../api";
import { button, field, formatTime, h, replace } from "../dom";
import { forgetApp, rememberApp, rememberedApps } from "../store";
import { type Page, enc, link, messageArea, runJob, section, showError } from "../ui";

function randomAppId(): string {
  const letters = "abcdefghijklmnopqrstuvwxyz0123456789";
  let id = "d";
  for (const b of crypto.getRandomValues(new Uint8Array(13))) id += letters[b % letters.length];
  return id;
}

/** When the app was created: the time of its CreateBackend job on its first environment (the API reports no other). */
export async function createdTime(appId: string, env: string | undefined): Promise<string> {
  if (!env) return "—";
  const jobs = await call<ListBackendJobsCommandOutput>(
    new ListBackendJobsCommand({ AppId: appId, BackendEnvironmentName: env, Operation: "CreateBackend", MaxResults: 1 }));
  return formatTime(jobs.Jobs?.[0]?.CreateTime);
}

/** Whether the Admin UI is on: UpdateBackendConfig without a login config changes nothing and returns the stored one. */
export async function adminUi(appId: string): Promise<string> {
  try {
    const config = await call<{ LoginAuthConfig?: Record<string, string> }>(new UpdateBackendConfigCommand({ AppId: appId }));
    return config.LoginAuthConfig?.AwsUserPoolsId ? `enabled (user pool ${config.LoginAuthConfig.AwsUserPoolsId})` : "enabled";
  } catch (e) {
    if (e instanceof ApiError && e.type === "NotFoundException") return "not enabled";
    throw e;
  }
}

export async function appsPage(page: Page) {
  const { main, session } = page;
  const tbody = h("tbody");
  const table = h("table", { class: "list", "aria-labelledby": "apps-title" },
    h("thead", {}, h("tr", {}, ["App", "Name", "Environments", "Admin UI", "Created", ""].map((c) => h("th", { scope: "col" }, c)))),
    tbody);
  const listArea = messageArea();

  const open = field("App ID", { spellcheck: "false" });
  const openArea = messageArea();
  const openForm = h("form", { class: "inline" }, open.row, h("button", { type: "submit" }, "Open app"), openArea);
  openForm.addEventListener("submit", async (e) => {
    e.preventDefault();
    const appId = open.input.value.trim();
    if (!appId) return;
    try {
      await call(new GetBackendCommand({ AppId: appId }));
      rememberApp(session, appId);
      window.location.hash = `#/app/${enc(appId)}`;
    } catch (err) {
      showError(openArea, err);
    }
  });

  const appId = field("New app ID", { value: randomAppId(), spellcheck: "false" }, "Amplify app ids look like d1a2b3c4d5e6f7.");
  const appName = field("App name", { spellcheck: "false" });
  const envName = field("First environment name", { value: "dev", spellcheck: "false" });
  const createArea = messageArea();
  const createForm = h("form", { class: "card" }, appId.row, appName.row, envName.row,
    h("button", { type: "submit" }, "Create app"), createArea);
  createForm.addEventListener("submit", async (e) => {
    e.preventDefault();
    const id = appId.input.value.trim();
    const env = envName.input.value.trim();
    const job = await runJob(createArea, "Create app", () => call(new CreateBackendCommand({
      AppId: id, AppName: appName.input.value.trim(), BackendEnvironmentName: env,
    })), { appId: id, env }, undefined, () => rememberApp(session, id));
    if (job?.Status === "COMPLETED") window.location.hash = `#/app/${enc(id)}`;
  });

  replace(main,
    h("h1", { id: "apps-title" }, "Apps"),
    h("p", { class: "hint" }, "The Admin API cannot list apps, so this list holds the apps created or opened in this browser with ",
      `this access key in ${session.region}; each is read from the server. Open any other app by its id.`),
    table, listArea,
    section("Open an app", openForm),
    section("Create an app", createForm));

  const apps = rememberedApps(session);
  if (apps.length === 0) {
    tbody.appendChild(h("tr", {}, h("td", { colspan: "6" }, "No apps yet: create one below, or open one by its id.")));
    return;
  }
  for (const id of apps) {
    const row = h("tr", {}, h("th", { scope: "row" }, link(`#/app/${enc(id)}`, id)), h("td", { colspan: "5" }, "Loading…"));
    tbody.appendChild(row);
    void (async () => {
      const forget = button("Forget", () => {
        forgetApp(session, id);
        row.remove();
      }, { "aria-label": `Forget app ${id}` });
      try {
        const app = await call<GetBackendCommandOutput>(new GetBackendCommand({ AppId: id }));
        const envs = app.BackendEnvironmentList ?? [];
        const [admin, created] = await Promise.all([adminUi(id), createdTime(id, envs[0])]);
        replace(row, h("th", { scope: "row" }, link(`#/app/${enc(id)}`, id)), h("td", {}, app.AppName ?? ""),
          h("td", {}, envs.length ? envs.map((env, i) => [i ? ", " : "", link(`#/app/${enc(id)}/env/${enc(env)}`, env)]) : "none"),
          h("td", {}, admin), h("td", {}, created), h("td", {}, forget));
      } catch (e) {
        const text = e instanceof ApiError && e.type === "NotFoundException"
          ? "Not found with this credential and region (removed, or another account's)."
          : (e as Error).message;
        replace(row, h("th", { scope: "row" }, id), h("td", { colspan: "4" }, text), h("td", {}, forget));
      }
    })();
  }
}
