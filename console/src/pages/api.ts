// One GraphQL API: its settings, its schema in an editor, model generation with progress, the generated models as an
// entity-relationship diagram, and the raw schema.js and introspection JSON.
import {
  DeleteBackendAPICommand,
  GenerateBackendAPIModelsCommand,
  GetBackendAPICommand,
  GetBackendAPIModelsCommand,
  type GetBackendAPIModelsCommandOutput,
  UpdateBackendAPICommand,
} from "@aws-sdk/client-amplifybackend";
import { call } from "../api";
import { button, h, replace, uid } from "../dom";
import { diagram } from "../erd";
import { ShapeForm } from "../forms";
import { type Page, enc, messageArea, pre, pretty, runJob, section, showError } from "../ui";

/** Line and column of a schema error in a job's error text ("... line 3, column 7: ..."). */
export function schemaPosition(error: string | undefined): { line: number; column: number } | null {
  const m = /line (\d+), column (\d+)/i.exec(error ?? "");
  return m ? { line: Number(m[1]), column: Number(m[2]) } : null;
}

function offsetOf(text: string, line: number, column: number): number {
  const lines = text.split("\n");
  let offset = 0;
  for (let i = 0; i < line - 1 && i < lines.length; i++) offset += lines[i]!.length + 1;
  return Math.min(text.length, offset + Math.max(0, column - 1));
}

export async function apiPage(page: Page) {
  const { main } = page;
  const [appId, env, name] = [page.params[0]!, page.params[1]!, page.params[2]!];
  const ids = { AppId: appId, BackendEnvironmentName: env, ResourceName: name };
  const base = `#/app/${enc(appId)}/env/${enc(env)}`;
  const api = await call<{ ResourceConfig?: Record<string, unknown> }>(new GetBackendAPICommand(ids));
  const config = api.ResourceConfig ?? {};

  // Settings: every member but the schema, which has its own editor below.
  const settings = new ShapeForm("BackendAPIResourceConfig", { path: "resourceConfig", values: config, omit: ["TransformSchema"] });
  const settingsArea = messageArea();
  const settingsForm = h("form", { class: "card", "aria-label": "API settings" }, settings.element, settingsArea,
    h("button", { type: "submit" }, "Save settings"));
  settingsForm.addEventListener("submit", async (e) => {
    e.preventDefault();
    await runJob(settingsArea, "Save settings", () => call(new UpdateBackendAPICommand({ ...ids, ResourceConfig: settings.value() })),
      { appId, env }, settings);
  });

  // The schema editor.
  const editorId = uid("schema");
  const editor = h("textarea", { id: editorId, class: "code", rows: 18, spellcheck: "false", "aria-describedby": `${editorId}-pos` });
  editor.value = (config.TransformSchema as string | undefined) ?? "";
  let saved = editor.value;
  const position = h("small", { id: `${editorId}-pos` }, "Line 1, column 1");
  const caret = () => {
    const before = editor.value.slice(0, editor.selectionStart);
    const line = before.split("\n").length;
    position.textContent = `Line ${line}, column ${before.length - before.lastIndexOf("\n")}`;
  };
  editor.addEventListener("keyup", caret);
  editor.addEventListener("click", caret);
  editor.addEventListener("input", caret);
  const schemaArea = messageArea();
  const modelsStatus = h("p", { class: "info" });
  const diagramBox = h("div", { class: "diagram" });
  const rawBox = h("div");

  const showModels = async () => {
    const models = await call<GetBackendAPIModelsCommandOutput>(new GetBackendAPIModelsCommand(ids));
    if (!models.Models) {
      modelsStatus.textContent = "No models generated yet: press Generate models.";
      replace(diagramBox);
      replace(rawBox);
      return;
    }
    modelsStatus.textContent = models.Status === "LATEST"
      ? "Models: LATEST (generated from the current schema)."
      : "Models: STALE (the schema changed since they were generated).";
    const introspection = models.ModelIntrospectionSchema ?? "";
    replace(diagramBox, diagram(introspection, editor.value));
    const schemaJs = pre(models.Models, "schema.js");
    const json = pre(pretty(introspection), "Model introspection JSON");
    schemaJs.hidden = true;
    json.hidden = true;
    const toggle = (label: string, target: HTMLElement) => {
      const b = h("button", { type: "button", "aria-expanded": "false" }, `Show ${label}`);
      b.addEventListener("click", () => {
        target.hidden = !target.hidden;
        b.setAttribute("aria-expanded", String(!target.hidden));
        b.textContent = `${target.hidden ? "Show" : "Hide"} ${label}`;
      });
      return b;
    };
    replace(rawBox, h("div", { class: "buttons" }, toggle("schema.js", schemaJs), toggle("introspection JSON", json)), schemaJs, json);
  };

  const saveSchema = async (): Promise<boolean> => {
    const job = await runJob(schemaArea, "Save schema", () => call(new UpdateBackendAPICommand({
      ...ids, ResourceConfig: { TransformSchema: editor.value },
    })), { appId, env });
    if (job?.Status === "FAILED") {
      const where = schemaPosition(job.Error);
      if (where) {
        replace(schemaArea, h("p", { class: "error", role: "alert" },
          h("strong", {}, `Schema error at line ${where.line}, column ${where.column}: `), job.Error ?? ""));
        editor.focus();
        const at = offsetOf(editor.value, where.line, where.column);
        editor.setSelectionRange(at, at + 1);
        caret();
      }
      return false;
    }
    if (job?.Status === "COMPLETED") saved = editor.value;
    return job?.Status === "COMPLETED";
  };

  const generate = async () => {
    // Models are generated from the stored schema: save an edited one first.
    if (editor.value !== saved && !(await saveSchema())) return;
    const job = await runJob(schemaArea, "Generate models", () => call(new GenerateBackendAPIModelsCommand(ids)), { appId, env });
    if (job?.Status === "COMPLETED") {
      await showModels();
    } else if (job?.Status === "FAILED") {
      const where = schemaPosition(job.Error);
      if (where) {
        editor.focus();
        const at = offsetOf(editor.value, where.line, where.column);
        editor.setSelectionRange(at, at + 1);
        caret();
      }
      await showModels().catch(() => undefined);
    }
  };

  const deleteArea = messageArea();
  replace(main,
    h("h1", {}, `API ${name} in ${env}`),
    section("Schema",
      h("div", { class: "field" }, h("label", { for: editorId }, "GraphQL schema (transformSchema)"), editor, position),
      h("div", { class: "buttons" },
        button("Save schema", saveSchema),
        button("Generate models", generate)),
      schemaArea),
    section("Data models", modelsStatus, diagramBox, rawBox),
    section("Settings", settingsForm),
    section("Delete", button(`Delete API ${name}`, async () => {
      const job = await runJob(deleteArea, "Delete API", () => call(new DeleteBackendAPICommand(ids)), { appId, env });
      if (job?.Status === "COMPLETED") window.location.hash = base;
    }, { class: "danger" }), deleteArea));
  await showModels().catch((e) => showError(schemaArea, e));
}
