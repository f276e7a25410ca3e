// The console's entry point: sign-in, the header, and hash routing to the pages.
import "./styles.css";
import { ListS3BucketsCommand } from "@aws-sdk/client-amplifybackend";
import {
  ApiError,
  type Session,
  call,
  clearSession,
  forgetLegacyStorage,
  loadSession,
  saveSession,
  toApiError,
  useSession,
} from "./api";
import { button, field, h, replace } from "./dom";
import { appPage, tokensPage } from "./pages/app";
import { appsPage } from "./pages/apps";
import { apiPage } from "./pages/api";
import { envPage } from "./pages/env";
import { jobsPage } from "./pages/jobs";
import { resourceEditPage, resourceNewPage } from "./pages/resource";
import { type Page, messageArea, showError, status } from "./ui";

type Handler = (page: Page) => void | Promise<void>;

const routes: [RegExp, Handler, (p: string[]) => string[]][] = [
  [/^\/?$/, appsPage, () => []],
  [/^\/app\/([^/]+)$/, appPage, (p) => [p[0]!]],
  [/^\/app\/([^/]+)\/tokens$/, tokensPage, (p) => [p[0]!, "tokens"]],
  [/^\/app\/([^/]+)\/env\/([^/]+)$/, envPage, (p) => [p[0]!, p[1]!]],
  [/^\/app\/([^/]+)\/env\/([^/]+)\/jobs$/, jobsPage, (p) => [p[0]!, p[1]!, "jobs"]],
  [/^\/app\/([^/]+)\/env\/([^/]+)\/(auth|api|storage)\/new$/, resourceNewPage, (p) => [p[0]!, p[1]!, `new ${p[2]}`]],
  [/^\/app\/([^/]+)\/env\/([^/]+)\/(auth|storage)\/([^/]+)$/, resourceEditPage, (p) => [p[0]!, p[1]!, `${p[2]} ${p[3]}`]],
  [/^\/app\/([^/]+)\/env\/([^/]+)\/api\/([^/]+)$/, apiPage, (p) => [p[0]!, p[1]!, `API ${p[2]}`]],
];

let leave: (() => void)[] = [];
let generation = 0;

function crumbs(parts: string[]) {
  const nav = document.getElementById("crumbs")!;
  const items: Node[] = [h("a", { href: "#/" }, "Apps")];
  if (parts[0]) items.push(h("a", { href: `#/app/${encodeURIComponent(parts[0])}` }, `App ${parts[0]}`));
  if (parts[1] && parts[1] !== "tokens") {
    items.push(h("a", { href: `#/app/${encodeURIComponent(parts[0]!)}/env/${encodeURIComponent(parts[1])}` }, `Environment ${parts[1]}`));
  }
  const last = parts[2] ?? (parts[1] === "tokens" ? "Login tokens" : undefined);
  if (last) items.push(h("span", {}, last));
  replace(nav, h("ol", {}, items.map((i) => h("li", {}, i))));
}

function renderHeader(session: Session | null) {
  const el = document.getElementById("session")!;
  if (!session) {
    replace(el);
    return;
  }
  replace(el, h("span", { class: "who" }, `${session.accessKeyId} · ${session.region}`), button("Sign out", signOut));
}

function signOut() {
  clearSession();
  status("Signed out.");
  window.location.hash = "#/";
  route();
}

async function route() {
  for (const fn of leave) fn();
  leave = [];
  generation += 1;
  const mine = generation;
  const main = document.getElementById("main")!;
  const session = loadSession();
  renderHeader(session);
  if (!session) {
    crumbs([]);
    replace(document.getElementById("crumbs")!);
    signInPage(main);
    return;
  }
  useSession(session);
  const path = decodeURIComponent(window.location.hash.replace(/^#/, "")) || "/";
  const segments = window.location.hash.replace(/^#/, "") || "/";
  for (const [pattern, handler, crumb] of routes) {
    const m = pattern.exec(segments);
    if (!m) continue;
    const params = m.slice(1).map((p) => decodeURIComponent(p));
    crumbs(crumb(params));
    replace(main);
    const page: Page = {
      main,
      session,
      params,
      alive: () => generation === mine,
      onLeave: (fn) => leave.push(fn),
    };
    try {
      await handler(page);
    } catch (e) {
      if (generation === mine) {
        const area = messageArea();
        main.appendChild(area);
        showError(area, e);
      }
    }
    return;
  }
  replace(main, h("h1", {}, "Not found"), h("p", {}, `No page at ${path}. `, h("a", { href: "#/" }, "Back to the apps")));
}

function signInPage(main: HTMLElement) {
  const key = field("Access key ID", { autocomplete: "username", spellcheck: "false" });
  const secret = field("Secret access key", { type: "password", autocomplete: "current-password" });
  const token = field("Session token (optional)", { spellcheck: "false" });
  const region = field("Region", { value: "us-east-1", spellcheck: "false" });
  const area = messageArea();
  const submit = h("button", { type: "submit" }, "Sign in");
  const form = h("form", { class: "card signin", "aria-labelledby": "signin-title" },
    h("h1", { id: "signin-title" }, "Sign in"),
    h("p", {}, "Sign in with an AWS access key that this Ampstack server accepts. Every call is signed in this browser with ",
      "AWS Signature V4; the key stays in this tab (session storage) until you sign out."),
    key.row, secret.row, token.row, region.row, area, submit);
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const session: Session = {
      accessKeyId: key.input.value.trim(),
      secretAccessKey: secret.input.value,
      sessionToken: token.input.value.trim() || undefined,
      region: region.input.value.trim(),
    };
    if (!session.accessKeyId || !session.secretAccessKey || !session.region) {
      showError(area, new ApiError("Access key ID, secret access key and region are all needed.", "service", "Missing"));
      return;
    }
    submit.disabled = true;
    try {
      // A cheap signed read proves the credential before it is kept.
      useSession(session);
      await call(new ListS3BucketsCommand({}));
      saveSession(session);
      status(`Signed in as ${session.accessKeyId} in ${session.region}.`);
      route();
    } catch (e) {
      clearSession();
      showError(area, toApiError(e));
    } finally {
      submit.disabled = false;
    }
  });
  replace(main, form);
  key.input.focus();
}

// A refused credential anywhere (the server restarted with other keys, a key was removed): say so and offer sign-in.
window.addEventListener("ampstack:refused", (event) => {
  const error = (event as CustomEvent<ApiError>).detail;
  const banner = document.getElementById("status")!;
  replace(banner, h("span", { class: "error" }, error.message, " "), button("Sign in again", signOut));
});

window.addEventListener("hashchange", route);
forgetLegacyStorage();
route();
