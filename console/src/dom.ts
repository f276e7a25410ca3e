// Small DOM helpers: h() builds elements, so every page is plain functions over the DOM (no framework).

export type Child = Node | string | number | null | undefined | false | Child[];
export type Attrs = Record<string, string | number | boolean | null | undefined | EventListener>;

/** Builds an element: attributes (on* are listeners, booleans toggle), then children (nested arrays flattened). */
export function h<K extends keyof HTMLElementTagNameMap>(tag: K, attrs: Attrs = {}, ...children: Child[]): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  setAttrs(el, attrs);
  append(el, children);
  return el;
}

const SVG = "http://www.w3.org/2000/svg";

/** An SVG element (the diagrams): attributes only as strings, children as for h(). */
export function s(tag: string, attrs: Record<string, string | number> = {}, ...children: Child[]): SVGElement {
  const el = document.createElementNS(SVG, tag) as SVGElement;
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, String(v));
  append(el, children);
  return el;
}

function setAttrs(el: HTMLElement, attrs: Attrs) {
  for (const [k, v] of Object.entries(attrs)) {
    if (v === null || v === undefined || v === false) continue;
    if (k.startsWith("on") && typeof v === "function") el.addEventListener(k.slice(2), v);
    else if (k === "value") (el as HTMLInputElement).value = String(v);
    else if (k === "checked") (el as HTMLInputElement).checked = Boolean(v);
    else el.setAttribute(k, v === true ? "" : String(v));
  }
}

export function append(el: Node, children: Child[]) {
  for (const c of children) {
    if (c === null || c === undefined || c === false) continue;
    if (Array.isArray(c)) append(el, c);
    else el.appendChild(typeof c === "string" || typeof c === "number" ? document.createTextNode(String(c)) : c);
  }
}

/** Replaces an element's children. */
export function replace(el: Element, ...children: Child[]) {
  el.replaceChildren();
  append(el, children);
}

let ids = 0;
/** A fresh element id (labels point at inputs by id). */
export function uid(prefix = "f"): string {
  ids += 1;
  return `${prefix}-${ids}`;
}

/** A button that runs an async action, disabled while it runs. */
export function button(label: string, action: () => unknown, attrs: Attrs = {}): HTMLButtonElement {
  const b = h("button", { type: "button", ...attrs }, label);
  b.addEventListener("click", async () => {
    b.disabled = true;
    try {
      await action();
    } finally {
      b.disabled = false;
    }
  });
  return b;
}

/** A labelled text input; returns the wrapper and the input. */
export function field(label: string, attrs: Attrs = {}, hint?: string): { row: HTMLElement; input: HTMLInputElement } {
  const id = uid();
  const input = h("input", { id, type: "text", ...attrs });
  const row = h("div", { class: "field" }, h("label", { for: id }, label), input, hint ? h("small", {}, hint) : null);
  return { row, input };
}

export function formatTime(value: string | number | undefined): string {
  if (value === undefined || value === "") return "—";
  const n = typeof value === "number" ? value : Number(value);
  const date = Number.isFinite(n) ? new Date(n < 1e12 ? n * 1000 : n) : new Date(value);
  return Number.isNaN(date.getTime()) ? String(value) : date.toLocaleString();
}

/** Milliseconds since the epoch of a job time (the service writes epoch milliseconds as text). */
export function toMillis(value: string | undefined): number | undefined {
  if (!value) return undefined;
  const n = Number(value);
  if (Number.isFinite(n)) return n < 1e12 ? n * 1000 : n;
  const d = Date.parse(value);
  return Number.isNaN(d) ? undefined : d;
}
