// One app: its environments, Admin UI config, feature flags, a new environment, delete; and its Admin UI login tokens.
import { DeleteAppCommand, GetAppCommand, type GetAppCommandOutput } from "@aws-sdk/client-amplify";
import {
  CreateBackendCommand,
  CreateBackendConfigCommand,
  CreateTokenCommand,
  type CreateTokenCommandOutput,
  DeleteTokenCommand,
  GetBackendCommand,
  type GetBackendCommandOutput,
  GetTokenCommand,
  type GetTokenCommandOutput,
  RemoveBackendConfigCommand,
  UpdateBackendConfigCommand,
} from "@aws-sdk/client-amplifybackend";
import { ApiError, call, callHosting } from "../api";
import { button, field, formatTime, h, replace } from "../dom";
import { forgetToken, forgetTokens, rememberToken, rememberedTokens } from "../store";
import { type Page, enc, link, messageArea, pre, pretty, runJob, section, showError, showInfo, status } from "../ui";

export async function appPage(page: Page) {
  const { main, session } = page;
  const appId = page.params[0]!;
  // GetApp reads any app (one made by CreateApp has no environment yet); GetBackend adds the environments and cli.json.
  const [{ app }, backend] = await Promise.all([
    callHosting<GetAppCommandOutput>(new GetAppCommand({ appId })),
    call<GetBackendCommandOutput>(new GetBackendCommand({ AppId: appId })).catch((e) => {
      if (e instanceof ApiError && e.type === "NotFoundException") return null;
      throw e;
    }),
  ]);
  const name = app?.name ?? appId;
  const envs = backend?.BackendEnvironmentList ?? [];

  const envList = h("ul", { class: "envs" }, envs.map((env) => h("li", {},
    link(`#/app/${enc(appId)}/env/${enc(env)}`, env, { "aria-label": `Environment ${env}` }), " · ",
    link(`#/app/${enc(appId)}/env/${enc(env)}/jobs`, "jobs", { "aria-label": `Jobs of ${env}` }))));

  const envName = field("New environment name", { spellcheck: "false" });
  const envArea = messageArea();
  const envForm = h("form", { class: "inline" }, envName.row, h("button", { type: "submit" }, "Add environment"), envArea);
  envForm.addEventListener("submit", async (e) => {
    e.preventDefault();
    const env = envName.input.value.trim();
    const job = await runJob(envArea, "Add environment", () => call(new CreateBackendCommand({
      AppId: appId, AppName: name, BackendEnvironmentName: env,
    })), { appId, env });
    if (job?.Status === "COMPLETED") window.location.hash = `#/app/${enc(appId)}/env/${enc(env)}`;
  });

  const adminArea = messageArea();
  const adminBody = h("div");
  const renderAdmin = async () => {
    try {
      const config = await call<{ LoginAuthConfig?: Record<string, string>; BackendManagerAppId?: string }>(
        new UpdateBackendConfigCommand({ AppId: appId }));
      replace(adminBody,
        h("p", {}, "The Admin UI is enabled. Its login configuration:"),
        pre(JSON.stringify(config.LoginAuthConfig ?? {}, null, 2), "Admin UI login configuration"),
        button("Disable Admin UI", async () => {
          try {
            await call(new RemoveBackendConfigCommand({ AppId: appId }));
            await renderAdmin();
          } catch (e) {
            showError(adminArea, e);
          }
        }));
    } catch (e) {
      if (!(e instanceof ApiError && e.type === "NotFoundException")) throw e;
      replace(adminBody, h("p", {}, "The Admin UI is not enabled for this app."), button("Enable Admin UI", async () => {
        const job = await runJob(adminArea, "Enable Admin UI", () => call(new CreateBackendConfigCommand({ AppId: appId })),
          { appId, env: envs[0] ?? "staging" });
        if (job?.Status === "COMPLETED") await renderAdmin();
      }));
    }
  };

  const deleteArea = messageArea();
  const confirmBox = h("div", { class: "confirm", hidden: true },
    h("p", {}, `Delete app ${name} (${appId}) with all its environments, their resources and its login tokens? `,
      "This cannot be undone."),
    button(`Confirm delete of app ${appId}`, async () => {
      try {
        await callHosting(new DeleteAppCommand({ appId }));
        forgetTokens(session, appId);
        status(`App ${name} (${appId}) deleted.`);
        window.location.hash = "#/";
      } catch (e) {
        showError(deleteArea, e);
      }
    }, { class: "danger" }),
    button("Cancel", () => {
      confirmBox.hidden = true;
    }));

  replace(main,
    h("h1", {}, `App ${name}`),
    h("dl", { class: "facts" },
      h("dt", {}, "App ID"), h("dd", {}, appId),
      h("dt", {}, "Name"), h("dd", {}, name),
      app?.description ? [h("dt", {}, "Description"), h("dd", {}, app.description)] : null,
      h("dt", {}, "Created"), h("dd", {}, formatTime(app?.createTime?.getTime()))),
    section("Environments", envs.length ? envList : h("p", {}, "No environments."), envForm),
    section("Admin UI", adminBody, adminArea, h("p", {}, link(`#/app/${enc(appId)}/tokens`, "Admin UI login tokens"))),
    backend ? section("Feature flags (cli.json)", h("details", {}, h("summary", {}, "Show cli.json"),
      pre(pretty(backend.AmplifyFeatureFlags), "cli.json feature flags"))) : null,
    section("Delete", button("Delete app", () => {
      confirmBox.hidden = false;
      (confirmBox.querySelector("button") as HTMLButtonElement).focus();
    }, { class: "danger" }), confirmBox, deleteArea));
  await renderAdmin();
}

/** Seconds left until an epoch-seconds expiry, as m:ss. */
function countdown(ttl: string | undefined): { text: string; expired: boolean } {
  const end = Number(ttl) < 1e12 ? Number(ttl) * 1000 : Number(ttl);
  if (!Number.isFinite(end)) return { text: "unknown", expired: false };
  const left = Math.max(0, Math.round((end - Date.now()) / 1000));
  const text = `${Math.floor(left / 60)}:${String(left % 60).padStart(2, "0")}`;
  return { text: left > 0 ? `expires in ${text}` : "expired", expired: left <= 0 };
}

export async function tokensPage(page: Page) {
  const { main, session } = page;
  const appId = page.params[0]!;
  const area = messageArea();
  const tbody = h("tbody");
  const timers: (() => void)[] = [];
  const tick = window.setInterval(() => timers.forEach((t) => t()), 1000);
  page.onLeave(() => window.clearInterval(tick));

  const addRow = (token: GetTokenCommandOutput) => {
    const sessionId = token.SessionId!;
    const expiry = h("td", {}, countdown(token.Ttl).text);
    const row = h("tr", {},
      h("th", { scope: "row" }, h("code", {}, sessionId)),
      h("td", {}, h("code", { class: "challenge", "aria-label": `Challenge code of ${sessionId}` }, token.ChallengeCode ?? "")),
      expiry,
      h("td", {}, button("Delete token", async () => {
        try {
          await call(new DeleteTokenCommand({ AppId: appId, SessionId: sessionId }));
          forgetToken(session, appId, sessionId);
          row.remove();
          showInfo(area, `Token ${sessionId} deleted.`);
        } catch (e) {
          showError(area, e);
        }
      }, { "aria-label": `Delete token ${sessionId}` })));
    timers.push(() => (expiry.textContent = countdown(token.Ttl).text));
    tbody.appendChild(row);
  };

  replace(main,
    h("h1", {}, `Admin UI login tokens of ${appId}`),
    h("p", { class: "hint" }, "A token's challenge code signs a person in to the Admin UI once. The API cannot list tokens: this ",
      "page shows those created in this tab, until you sign out."),
    button("Create login token", async () => {
      try {
        const t = await call<CreateTokenCommandOutput>(new CreateTokenCommand({ AppId: appId }));
        rememberToken(session, appId, t.SessionId!);
        addRow(t);
        showInfo(area, `Token ${t.SessionId} created.`);
      } catch (e) {
        showError(area, e);
      }
    }),
    area,
    h("table", { class: "list", "aria-label": "Login tokens" },
      h("thead", {}, h("tr", {}, ["Session ID", "Challenge code", "Expiry", ""].map((c) => h("th", { scope: "col" }, c)))), tbody));

  for (const sessionId of rememberedTokens(session, appId)) {
    try {
      addRow(await call<GetTokenCommandOutput>(new GetTokenCommand({ AppId: appId, SessionId: sessionId })));
    } catch (e) {
      if (e instanceof ApiError && e.type === "NotFoundException") forgetToken(session, appId, sessionId);
      else showError(area, e);
    }
  }
}
