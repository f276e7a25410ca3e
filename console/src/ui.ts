// Shared page plumbing: the page context, status and error messages, and running a job to its end.
import { ApiError, type Job, type Session, waitForJob } from "./api";
import { h, replace } from "./dom";
import type { ShapeForm } from "./forms";

export interface Page {
  main: HTMLElement;
  session: Session;
  params: string[];
  /** False once the person has navigated away: pollers stop. */
  alive(): boolean;
  onLeave(fn: () => void): void;
}

export function status(text: string) {
  const el = document.getElementById("status");
  if (el) el.textContent = text;
}

/** An area for a form's or section's messages. */
export function messageArea(): HTMLElement {
  return h("div", { class: "messages" });
}

export function showError(area: HTMLElement, e: unknown) {
  const error = e instanceof ApiError ? e : new ApiError(String((e as Error)?.message ?? e), "service", "Error");
  const where = error.kind === "network" ? "Server unreachable" : error.kind === "auth" ? "Credential refused" : error.type;
  replace(area, h("p", { class: "error", role: "alert" }, h("strong", {}, `${where}: `), error.message));
}

export function showInfo(area: HTMLElement, text: string) {
  replace(area, h("p", { class: "info" }, text));
}

/**
 * Runs a job-starting call and follows the job to its end, telling the person each status. A 400 naming a member is
 * shown at that member of the form (when there is one), anything else in the area. Returns the finished job, or null.
 */
export async function runJob(
  area: HTMLElement,
  what: string,
  start: () => Promise<{ JobId?: string; AppId?: string; BackendEnvironmentName?: string }>,
  where: { appId: string; env: string },
  form?: ShapeForm,
  onStarted?: () => void,
): Promise<Job | null> {
  form?.clearErrors();
  replace(area);
  let started;
  try {
    started = await start();
  } catch (e) {
    if (e instanceof ApiError && e.member && form?.showError(e.member, e.message)) {
      replace(area, h("p", { class: "error", role: "alert" }, `${what}: the server refused a value (shown at the field).`));
      return null;
    }
    showError(area, e);
    return null;
  }
  onStarted?.();
  const env = started.BackendEnvironmentName ?? where.env;
  const line = h("p", { class: "info" }, `${what}: job ${started.JobId} RUNNING…`);
  replace(area, line);
  status(`${what}: RUNNING`);
  try {
    const job = await waitForJob(where.appId, env, started.JobId!, (j) => {
      line.textContent = `${what}: job ${j.JobId} ${j.Status}${j.Status === "RUNNING" ? "…" : ""}`;
    }, () => area.isConnected);
    if (!job) return null; // the page was left; the jobs page still shows the job
    status(`${what}: ${job.Status}`);
    if (job.Status === "FAILED") {
      replace(area, h("p", { class: "error", role: "alert" }, `${what} failed: ${job.Error ?? "no reason given"}`));
    }
    return job;
  } catch (e) {
    showError(area, e);
    return null;
  }
}

export function section(title: string, ...children: (Node | string | null | undefined | false)[]): HTMLElement {
  const id = `s-${title.toLowerCase().replace(/[^a-z0-9]+/g, "-")}`;
  return h("section", { "aria-labelledby": id }, h("h2", { id }, title), children);
}

export function pre(text: string, label: string): HTMLElement {
  return h("pre", { tabindex: "0", "aria-label": label }, text);
}

export function pretty(json: string | undefined): string {
  if (!json) return "";
  try {
    return JSON.stringify(JSON.parse(json), null, 2);
  } catch {
    return json;
  }
}

/** Copies text to the clipboard (falling back to selecting it when the clipboard is not available). */
export async function copy(text: string, target: HTMLElement, area: HTMLElement) {
  try {
    await navigator.clipboard.writeText(text);
    showInfo(area, "Copied to the clipboard.");
  } catch {
    const range = document.createRange();
    range.selectNodeContents(target);
    const sel = window.getSelection();
    sel?.removeAllRanges();
    sel?.addRange(range);
    showInfo(area, "The clipboard is not available here: the text is selected, press Ctrl+C.");
  }
}

export function link(href: string, text: string, attrs: Record<string, string> = {}): HTMLAnchorElement {
  return h("a", { href, ...attrs }, text);
}

export function enc(s: string) {
  return encodeURIComponent(s);
}
