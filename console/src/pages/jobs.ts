// The jobs of an environment: a live list (polled, so status changes appear without a reload) with ListBackendJobs'
// filters, a timeline of durations, and a way to set a stuck RUNNING job FAILED (UpdateBackendJob).
import {
  ListBackendJobsCommand,
  type ListBackendJobsCommandOutput,
  UpdateBackendJobCommand,
} from "@aws-sdk/client-amplifybackend";
import { type Job, call } from "../api";
import { button, formatTime, h, replace, s, toMillis, uid } from "../dom";
import { type Page, messageArea, section, showError, showInfo } from "../ui";

const OPERATIONS = [
  "CloneBackend", "CreateBackend", "CreateBackendAPI", "CreateBackendAuth", "CreateBackendConfig", "CreateBackendStorage",
  "DeleteBackend", "DeleteBackendAPI", "DeleteBackendAuth", "DeleteBackendStorage", "GenerateBackendAPIModels",
  "ImportBackendAuth", "ImportBackendStorage", "RemoveAllBackends", "UpdateBackendAPI", "UpdateBackendAuth",
  "UpdateBackendStorage",
];
const POLL_MS = 1000;

function duration(job: Job, now: number): number {
  const start = toMillis(job.CreateTime) ?? now;
  const end = job.Status === "RUNNING" ? now : toMillis(job.UpdateTime) ?? now;
  return Math.max(0, end - start);
}

function seconds(ms: number) {
  return ms < 1000 ? `${ms} ms` : `${(ms / 1000).toFixed(1)} s`;
}

function select(label: string, options: string[]): { row: HTMLElement; el: HTMLSelectElement } {
  const id = uid();
  const el = h("select", { id }, h("option", { value: "" }, "any"), options.map((o) => h("option", { value: o }, o)));
  return { row: h("div", { class: "field" }, h("label", { for: id }, label), el), el };
}

function timeline(jobs: Job[], now: number): Element {
  if (jobs.length === 0) return h("p", {}, "No jobs to draw.");
  const starts = jobs.map((j) => toMillis(j.CreateTime) ?? now);
  const t0 = Math.min(...starts);
  const t1 = Math.max(...jobs.map((j, i) => starts[i]! + duration(j, now)), t0 + 1000);
  const width = 720;
  const left = 210;
  const scale = (width - left - 90) / (t1 - t0);
  const rowH = 22;
  const svg = s("svg", { viewBox: `0 0 ${width} ${jobs.length * rowH + 30}`, width, height: jobs.length * rowH + 30, role: "group",
    "aria-label": `Timeline of ${jobs.length} jobs, ${seconds(t1 - t0)} in all` });
  jobs.forEach((j, i) => {
    const x = left + (starts[i]! - t0) * scale;
    const w = Math.max(3, duration(j, now) * scale);
    const y = 8 + i * rowH;
    svg.appendChild(s("g", { role: "group", class: `bar ${String(j.Status).toLowerCase()}`,
      "aria-label": `${j.Operation} ${j.Status} ${seconds(duration(j, now))}` },
      s("text", { x: 4, y: y + 13 }, `${j.Operation ?? "?"}`),
      s("rect", { x, y, width: w, height: rowH - 6, rx: 3 }),
      s("text", { x: x + w + 6, y: y + 13 }, `${seconds(duration(j, now))} ${j.Status}`)));
  });
  svg.appendChild(s("text", { x: left, y: jobs.length * rowH + 24 }, formatTime(t0)));
  return svg;
}

export async function jobsPage(page: Page) {
  const { main } = page;
  const [appId, env] = [page.params[0]!, page.params[1]!];
  const statusFilter = select("Status", ["RUNNING", "COMPLETED", "FAILED"]);
  const operationFilter = select("Operation", OPERATIONS);
  const jobIdId = uid();
  const jobIdFilter = h("input", { id: jobIdId, type: "text", spellcheck: "false" });
  const maxId = uid();
  const maxResults = h("input", { id: maxId, type: "number", min: "1", max: "25", value: "25" });
  const area = messageArea();
  const tbody = h("tbody");
  const timelineBox = h("div", { class: "timeline" });
  const pager = h("div", { class: "buttons" });
  const updated = h("p", { class: "hint" });
  let tokens: (string | undefined)[] = [undefined]; // the NextToken that starts each page seen
  let pageIndex = 0;
  let timer = 0;

  const filters = () => ({
    AppId: appId,
    BackendEnvironmentName: env,
    Status: statusFilter.el.value || undefined,
    Operation: operationFilter.el.value || undefined,
    JobId: jobIdFilter.value.trim() || undefined,
    MaxResults: Number(maxResults.value) || undefined,
  });

  const render = (out: ListBackendJobsCommandOutput) => {
    const jobs = (out.Jobs ?? []) as Job[];
    const now = Date.now();
    replace(tbody, jobs.length ? jobs.map((j) => h("tr", { "data-status": j.Status ?? "" },
      h("th", { scope: "row" }, h("code", {}, j.JobId ?? "")),
      h("td", {}, j.Operation ?? ""),
      h("td", {}, h("span", { class: `badge ${String(j.Status).toLowerCase()}` }, j.Status ?? "")),
      h("td", {}, formatTime(toMillis(j.CreateTime))),
      h("td", {}, seconds(duration(j, now))),
      h("td", {}, j.Error ?? ""),
      h("td", {}, j.Status === "RUNNING" ? button("Mark FAILED", async () => {
        try {
          await call(new UpdateBackendJobCommand({ AppId: appId, BackendEnvironmentName: env, JobId: j.JobId!, Status: "FAILED" }));
          showInfo(area, `Job ${j.JobId} set to FAILED.`);
          await refresh();
        } catch (e) {
          showError(area, e);
        }
      }, { "aria-label": `Mark job ${j.JobId} FAILED` }) : ""))) : h("tr", {}, h("td", { colspan: "7" }, "No jobs match.")));
    replace(timelineBox, timeline(jobs, now));
    replace(pager,
      pageIndex > 0 ? button("Previous page", () => { pageIndex -= 1; return refresh(); }) : null,
      out.NextToken ? button("Next page", () => {
        tokens = tokens.slice(0, pageIndex + 1);
        tokens.push(out.NextToken);
        pageIndex += 1;
        return refresh();
      }) : null);
    updated.textContent = `Live: refreshed every ${POLL_MS / 1000} s; last at ${new Date(now).toLocaleTimeString()}.`;
  };

  async function refresh() {
    try {
      const out = await call<ListBackendJobsCommandOutput>(new ListBackendJobsCommand({ ...filters(), NextToken: tokens[pageIndex] }));
      if (page.alive()) render(out);
    } catch (e) {
      showError(area, e);
    }
  }

  const poll = async () => {
    if (!page.alive()) return;
    if (!document.hidden) await refresh();
    if (page.alive()) timer = window.setTimeout(poll, POLL_MS);
  };
  page.onLeave(() => window.clearTimeout(timer));

  const filterForm = h("form", { class: "filters", "aria-label": "Job filters" },
    statusFilter.row, operationFilter.row,
    h("div", { class: "field" }, h("label", { for: jobIdId }, "Job ID"), jobIdFilter),
    h("div", { class: "field" }, h("label", { for: maxId }, "Jobs per page (1–25)"), maxResults),
    h("button", { type: "submit" }, "Apply filters"));
  filterForm.addEventListener("submit", (e) => {
    e.preventDefault();
    tokens = [undefined];
    pageIndex = 0;
    void refresh();
  });
  for (const el of [statusFilter.el, operationFilter.el]) {
    el.addEventListener("change", () => filterForm.requestSubmit());
  }

  replace(main,
    h("h1", {}, `Jobs of ${env} (${appId})`),
    filterForm, area, updated,
    h("table", { class: "list", "aria-label": "Jobs" },
      h("thead", {}, h("tr", {},
        ["Job", "Operation", "Status", "Created", "Duration", "Error", ""].map((c) => h("th", { scope: "col" }, c)))),
      tbody),
    pager,
    section("Timeline", timelineBox));
  await poll();
}
