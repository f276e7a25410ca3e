// The apps page: the account's apps in this region, listed with Amplify Hosting's ListApps a page at a time (an app made
// by CreateApp and one made by the Admin API's CreateBackend alike), each with its environments and Admin UI state; open
// an app by id; create an app (CreateApp, then CreateBackend for its first environment).
import {
  type App,
  CreateAppCommand,
  type CreateAppCommandOutput,
  GetAppCommand,
  ListAppsCommand,
  type ListAppsCommandOutput,
  ListBackendEnvironmentsCommand,
  type ListBackendEnvironmentsCommandOutput,
} from "@aws-sdk/client-amplify";
import { CreateBackendCommand, UpdateBackendConfigCommand } from "@aws-sdk/client-amplifybackend";
import { ApiError, call, callHosting } from "../api";
import { button, field, formatTime, h, replace } from "../dom";
import { type Page, enc, link, messageArea, runJob, section, showError } from "../ui";

/** Apps per ListApps page (the "More apps" button asks for the next). */
export const PAGE_SIZE = 20;

/** An app's backend environment names, oldest first (Hosting's ListBackendEnvironments, every page). */
export async function environments(appId: string): Promise<string[]> {
  const names: string[] = [];
  let nextToken: string | undefined;
  do {
    const out = await callHosting<ListBackendEnvironmentsCommandOutput>(
      new ListBackendEnvironmentsCommand({ appId, nextToken }));
    for (const env of out.backendEnvironments ?? []) if (env.environmentName) names.push(env.environmentName);
    nextToken = out.nextToken && out.nextToken !== nextToken ? out.nextToken : undefined;
  } while (nextToken);
  return names;
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

/** One app's row: what ListApps said at once, its environments and Admin UI state as they arrive. */
function appRow(app: App): HTMLTableRowElement {
  const id = app.appId ?? "";
  const envs = h("td", {}, "Loading…");
  const admin = h("td", {}, "Loading…");
  environments(id).then(
    (names) => replace(envs, names.length ? names.map((env, i) => [i ? ", " : "", link(`#/app/${enc(id)}/env/${enc(env)}`, env)]) : "none"),
    (e) => replace(envs, (e as Error).message));
  adminUi(id).then((state) => replace(admin, state), (e) => replace(admin, (e as Error).message));
  return h("tr", {},
    h("th", { scope: "row" }, link(`#/app/${enc(id)}`, id)),
    h("td", {}, app.name ?? "", app.description ? h("small", { class: "hint" }, h("br"), app.description) : null),
    envs, admin,
    h("td", {}, formatTime(app.createTime?.getTime())));
}

export async function appsPage(page: Page) {
  const { main, session } = page;
  const tbody = h("tbody");
  const table = h("table", { class: "list", "aria-labelledby": "apps-title" },
    h("thead", {}, h("tr", {}, ["App", "Name", "Environments", "Admin UI", "Created"].map((c) => h("th", { scope: "col" }, c)))),
    tbody);
  const listArea = messageArea();
  const shownLine = h("p", { class: "hint", "aria-live": "polite" });

  // ListApps, a page at a time: the first at once, the next when asked.
  let nextToken: string | undefined;
  let shown = 0;
  const more = button("More apps", () => loadPage(true));
  more.hidden = true;
  const loadPage = async (asked: boolean) => {
    try {
      const out = await callHosting<ListAppsCommandOutput>(new ListAppsCommand({ maxResults: PAGE_SIZE, nextToken }));
      if (!page.alive()) return;
      if (shown === 0) replace(tbody);
      const rows = (out.apps ?? []).map(appRow);
      rows.forEach((row) => tbody.appendChild(row));
      shown += rows.length;
      nextToken = out.nextToken || undefined;
      more.hidden = !nextToken;
      if (shown === 0) {
        tbody.appendChild(h("tr", {}, h("td", { colspan: "5" }, "No apps yet: create one below, or open one by its id.")));
      }
      replace(shownLine, shown === 0 ? "" : `${shown} ${shown === 1 ? "app" : "apps"} shown${nextToken ? "; there are more." : "."}`);
      // The keyboard's place: the first app just listed, rather than a button that may have gone.
      if (asked) rows[0]?.querySelector("a")?.focus();
    } catch (e) {
      showError(listArea, e);
    }
  };
  const reload = () => {
    nextToken = undefined;
    shown = 0;
    return loadPage(false);
  };
  tbody.appendChild(h("tr", {}, h("td", { colspan: "5" }, "Loading…")));

  const open = field("App ID", { spellcheck: "false" });
  const openArea = messageArea();
  const openForm = h("form", { class: "inline" }, open.row, h("button", { type: "submit" }, "Open app"), openArea);
  openForm.addEventListener("submit", async (e) => {
    e.preventDefault();
    const appId = open.input.value.trim();
    if (!appId) return;
    try {
      await callHosting(new GetAppCommand({ appId }));
      window.location.hash = `#/app/${enc(appId)}`;
    } catch (err) {
      showError(openArea, err);
    }
  });

  const appName = field("App name", { spellcheck: "false" });
  const description = field("Description (optional)");
  const envName = field("First environment name", { value: "dev", spellcheck: "false" });
  const createArea = messageArea();
  const jobArea = messageArea();
  const createForm = h("form", { class: "card" }, appName.row, description.row, envName.row,
    h("button", { type: "submit" }, "Create app"), createArea, jobArea);
  createForm.addEventListener("submit", async (e) => {
    e.preventDefault();
    replace(createArea);
    replace(jobArea);
    const name = appName.input.value.trim();
    const env = envName.input.value.trim();
    let app: App | undefined;
    try {
      app = (await callHosting<CreateAppCommandOutput>(new CreateAppCommand({
        name, description: description.input.value.trim() || undefined,
      }))).app;
    } catch (err) {
      showError(createArea, err);
      return;
    }
    const id = app?.appId ?? "";
    replace(createArea, h("p", { class: "info" }, `App ${name} created as `, link(`#/app/${enc(id)}`, id),
      `; adding its first environment ${env}.`));
    const job = await runJob(jobArea, "Create app", () => call(new CreateBackendCommand({
      AppId: id, AppName: name, BackendEnvironmentName: env,
    })), { appId: id, env });
    if (job?.Status === "COMPLETED") window.location.hash = `#/app/${enc(id)}`;
    else if (page.alive()) await reload(); // the app exists without its environment: list it
  });

  replace(main,
    h("h1", { id: "apps-title" }, "Apps"),
    h("p", { class: "hint" }, `The apps of this access key's account in ${session.region}, however they were made (Amplify `,
      `Hosting's CreateApp or the Admin API's CreateBackend), ${PAGE_SIZE} at a time in app id order. Open any app by its id.`),
    table, shownLine, more, listArea,
    section("Open an app", openForm),
    section("Create an app", createForm));
  await loadPage(false);
}
