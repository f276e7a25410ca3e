// Create and edit forms for auth, API and storage resources, generated from the model's shapes (forms.ts).
import {
  CreateBackendAPICommand,
  CreateBackendAuthCommand,
  CreateBackendStorageCommand,
  DeleteBackendAuthCommand,
  DeleteBackendStorageCommand,
  GetBackendAuthCommand,
  GetBackendStorageCommand,
  UpdateBackendAuthCommand,
  UpdateBackendStorageCommand,
} from "@aws-sdk/client-amplifybackend";
import { call } from "../api";
import { button, field, h, replace } from "../dom";
import { ShapeForm } from "../forms";
import { type Page, enc, messageArea, runJob, section } from "../ui";

type Kind = "auth" | "api" | "storage";

const CREATE_SHAPES: Record<Kind, string> = {
  auth: "CreateBackendAuthResourceConfig",
  api: "BackendAPIResourceConfig",
  storage: "CreateBackendStorageResourceConfig",
};

const SAMPLE_SCHEMA = `type Todo @model {
  id: ID!
  name: String!
  description: String
}
`;

/** The resource name field (the request's top-level member resourceName). */
function nameField(value: string): { row: HTMLElement; input: HTMLInputElement } {
  const f = field("resourceName", { value, spellcheck: "false", "aria-required": "true" });
  f.row.querySelector("label")!.append(h("span", { class: "req", "aria-hidden": "true" }, " *"));
  return f;
}

export async function resourceNewPage(page: Page) {
  const { main } = page;
  const [appId, env] = [page.params[0]!, page.params[1]!];
  const kind = page.params[2] as Kind;
  const base = `#/app/${enc(appId)}/env/${enc(env)}`;
  const defaults: Record<Kind, string> = { auth: `${appId}auth`, api: `${appId}api`, storage: `${appId}storage` };
  const name = nameField(defaults[kind]);
  const form = new ShapeForm(CREATE_SHAPES[kind], {
    path: "resourceConfig",
    multiline: ["TransformSchema"],
    values: kind === "api" ? { TransformSchema: SAMPLE_SCHEMA, Service: "AppSync" } : {},
  });
  const area = messageArea();
  const title = kind === "api" ? "Add an API" : `Add ${kind}`;
  const el = h("form", { class: "card", "aria-label": title },
    h("p", { class: "hint" }, "Fields follow the service model; ", h("span", { class: "req" }, "*"), " marks required members."),
    name.row, form.element, area, h("button", { type: "submit" }, `Create ${kind}`));
  el.addEventListener("submit", async (e) => {
    e.preventDefault();
    const input = {
      AppId: appId,
      BackendEnvironmentName: env,
      ResourceName: name.input.value.trim() || undefined,
      ResourceConfig: form.value(),
    };
    const start = () => call<{ JobId?: string }>(kind === "auth" ? new CreateBackendAuthCommand(input as never)
      : kind === "api" ? new CreateBackendAPICommand(input as never) : new CreateBackendStorageCommand(input as never));
    const job = await runJob(area, `Create ${kind}`, start, { appId, env }, withName(form, name.input));
    if (job?.Status === "COMPLETED") {
      window.location.hash = kind === "api" ? `${base}/api/${enc(input.ResourceName ?? "")}` : base;
    }
  });
  replace(main, h("h1", {}, `${title} in ${env}`), el);
}

/** The form, plus the resource name as the member "resourceName". */
function withName(form: ShapeForm, input: HTMLInputElement): ShapeForm {
  const show = form.showError.bind(form);
  const clear = form.clearErrors.bind(form);
  let error: HTMLElement | null = null;
  form.showError = (member: string, message: string) => {
    if (member !== "resourceName") return show(member, message);
    error = h("p", { class: "error", id: "err-resource-name", role: "alert" }, message);
    input.insertAdjacentElement("afterend", error);
    input.setAttribute("aria-invalid", "true");
    input.setAttribute("aria-describedby", "err-resource-name");
    input.focus();
    return true;
  };
  form.clearErrors = () => {
    clear();
    error?.remove();
    input.removeAttribute("aria-invalid");
    input.removeAttribute("aria-describedby");
  };
  return form;
}

export async function resourceEditPage(page: Page) {
  const { main } = page;
  const [appId, env] = [page.params[0]!, page.params[1]!];
  const realKind = page.params[2] as "auth" | "storage";
  const resourceName = page.params[3]!;
  const base = `#/app/${enc(appId)}/env/${enc(env)}`;
  const ids = { AppId: appId, BackendEnvironmentName: env, ResourceName: resourceName };
  const current = await call<{ ResourceConfig?: Record<string, unknown> }>(
    realKind === "auth" ? new GetBackendAuthCommand(ids) : new GetBackendStorageCommand(ids));
  const form = new ShapeForm(realKind === "auth" ? "UpdateBackendAuthResourceConfig" : "UpdateBackendStorageResourceConfig", {
    path: "resourceConfig",
    values: current.ResourceConfig ?? {},
  });
  const area = messageArea();
  const el = h("form", { class: "card", "aria-label": `Edit ${realKind} ${resourceName}` }, form.element, area,
    h("button", { type: "submit" }, `Save ${realKind}`));
  el.addEventListener("submit", async (e) => {
    e.preventDefault();
    const input = { ...ids, ResourceConfig: form.value() };
    const job = await runJob(area, `Update ${realKind}`, () => call(realKind === "auth"
      ? new UpdateBackendAuthCommand(input as never) : new UpdateBackendStorageCommand(input as never)), { appId, env }, form);
    if (job?.Status === "COMPLETED") window.location.hash = base;
  });
  const deleteArea = messageArea();
  replace(main,
    h("h1", {}, `Edit ${realKind} ${resourceName} in ${env}`),
    el,
    section("Delete", button(`Delete ${realKind} ${resourceName}`, async () => {
      const job = await runJob(deleteArea, `Delete ${realKind}`, () => call(realKind === "auth"
        ? new DeleteBackendAuthCommand(ids) : new DeleteBackendStorageCommand({ ...ids, ServiceName: "S3" })), { appId, env });
      if (job?.Status === "COMPLETED") window.location.hash = base;
    }, { class: "danger" }), deleteArea));
}
