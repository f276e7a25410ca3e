// Forms generated from the service model's shapes (the vendored botocore model, compacted into the bundle at build
// time): enums become selects, lists of enums groups of checkboxes, optional structures sections to include, required
// members are marked. Each control knows its member's wire path, so a 400 that names a member is shown beside it.
import { append, h, uid } from "./dom";

interface Member {
  name: string;
  wire: string;
  shape: string;
  location?: string;
}

interface Shape {
  type: string;
  enum?: string[];
  members?: Member[];
  required?: string[];
  member?: string;
  min?: number;
  max?: number;
}

declare const AMPSTACK_MODEL: Record<string, Shape>;
const MODEL: Record<string, Shape> = AMPSTACK_MODEL;

export function shapeOf(name: string): Shape {
  const shape = MODEL[name];
  if (!shape) throw new Error(`Unknown shape ${name}`);
  return shape;
}

export interface FormOptions {
  /** Wire path of the structure (e.g. "resourceConfig"), the prefix of the server's member names. */
  path: string;
  /** Values to start from, keyed by the model's member names (as the SDK returns them). */
  values?: Record<string, unknown>;
  /** Members (by name) left out of the form. */
  omit?: string[];
  /** Members (by name) edited in a multi-line text area. */
  multiline?: string[];
}

type Reader = () => unknown;

interface Control {
  container: HTMLElement;
  focus: HTMLElement;
}

export class ShapeForm {
  readonly element: HTMLElement;
  private readonly controls = new Map<string, Control>();
  private readonly read: Reader;
  private errors: HTMLElement[] = [];

  constructor(
    shapeName: string,
    private readonly options: FormOptions,
  ) {
    this.element = h("div", { class: "shape-form" });
    this.read = this.structure(this.element, shapeOf(shapeName), options.path, options.values ?? {}, true);
  }

  /** The value to send: members by the model's names, unset optional members left out. */
  value(): Record<string, unknown> {
    return (this.read() ?? {}) as Record<string, unknown>;
  }

  /** Shows a message at the control of a wire path (or its nearest enclosing member); false when none matches. */
  showError(wirePath: string, message: string): boolean {
    let path = wirePath.replace(/\[\d+\]/g, "");
    while (path) {
      const control = this.controls.get(path);
      if (control) {
        const id = uid("err");
        const error = h("p", { class: "error", id, role: "alert" }, message);
        control.container.appendChild(error);
        control.focus.setAttribute("aria-invalid", "true");
        control.focus.setAttribute("aria-describedby", id);
        control.focus.focus();
        this.errors.push(error);
        return true;
      }
      const dot = path.lastIndexOf(".");
      path = dot > 0 ? path.slice(0, dot) : "";
    }
    return false;
  }

  clearErrors() {
    for (const e of this.errors) e.remove();
    this.errors = [];
    for (const c of this.controls.values()) {
      c.focus.removeAttribute("aria-invalid");
      c.focus.removeAttribute("aria-describedby");
    }
  }

  private structure(parent: HTMLElement, shape: Shape, path: string, values: Record<string, unknown>, top: boolean): Reader {
    const readers: [string, Reader][] = [];
    for (const m of shape.members ?? []) {
      if (m.location) continue; // uri/header members come from the page, not the form
      if (top && this.options.omit?.includes(m.name)) continue;
      const required = shape.required?.includes(m.name) ?? false;
      readers.push([m.name, this.member(parent, m, `${path}.${m.wire}`, required, values[m.name])]);
    }
    return () => {
      const out: Record<string, unknown> = {};
      for (const [name, read] of readers) {
        const v = read();
        if (v !== undefined) out[name] = v;
      }
      return out;
    };
  }

  private label(id: string, m: Member, required: boolean) {
    return h("label", { for: id }, m.wire, required ? h("span", { class: "req", "aria-hidden": "true" }, " *") : null);
  }

  private register(path: string, container: HTMLElement, focus: HTMLElement) {
    this.controls.set(path, { container, focus });
  }

  private member(parent: HTMLElement, m: Member, path: string, required: boolean, value: unknown): Reader {
    const shape = shapeOf(m.shape);
    const id = uid();
    const row = h("div", { class: "field", "data-member": path });
    const req = required ? { "aria-required": "true" } : {};
    if (shape.type === "structure") {
      return this.nested(parent, m, shape, path, required, value);
    }
    if (shape.type === "string" && shape.enum) {
      const select = h("select", { id, ...req },
        required ? null : h("option", { value: "" }, "(not set)"),
        shape.enum.map((e) => h("option", { value: e }, e)));
      if (typeof value === "string") select.value = value;
      append(row, [this.label(id, m, required), select]);
      parent.appendChild(row);
      this.register(path, row, select);
      return () => (select.value === "" ? undefined : select.value);
    }
    if (shape.type === "boolean") {
      if (required) {
        const box = h("input", { id, type: "checkbox", checked: value === true });
        append(row, [h("div", { class: "check" }, box, this.label(id, m, required))]);
        parent.appendChild(row);
        this.register(path, row, box);
        return () => box.checked;
      }
      const select = h("select", { id },
        h("option", { value: "" }, "(not set)"), h("option", { value: "true" }, "true"), h("option", { value: "false" }, "false"));
      if (typeof value === "boolean") select.value = String(value);
      append(row, [this.label(id, m, required), select]);
      parent.appendChild(row);
      this.register(path, row, select);
      return () => (select.value === "" ? undefined : select.value === "true");
    }
    if (shape.type === "integer" || shape.type === "double" || shape.type === "long" || shape.type === "float") {
      const input = h("input", { id, type: "number", step: shape.type === "double" ? "any" : "1", ...req });
      if (typeof value === "number") input.value = String(value);
      append(row, [this.label(id, m, required), input]);
      parent.appendChild(row);
      this.register(path, row, input);
      return () => (input.value.trim() === "" ? undefined : Number(input.value));
    }
    if (shape.type === "list") {
      const item = shapeOf(shape.member!);
      if (item.type === "string" && item.enum) {
        const chosen = new Set(Array.isArray(value) ? (value as string[]) : []);
        const boxes = item.enum.map((e) => {
          const boxId = uid();
          const box = h("input", { id: boxId, type: "checkbox", value: e, checked: chosen.has(e) });
          return { box, el: h("span", { class: "check" }, box, h("label", { for: boxId }, e)) };
        });
        const set = h("fieldset", { class: "choices", "data-member": path, ...req },
          h("legend", {}, m.wire, required ? h("span", { class: "req", "aria-hidden": "true" }, " *") : null),
          boxes.map((b) => b.el));
        parent.appendChild(set);
        this.register(path, set, boxes[0]?.box ?? set);
        return () => {
          const picked = boxes.filter((b) => b.box.checked).map((b) => b.box.value);
          return picked.length === 0 && !required ? undefined : picked;
        };
      }
      if (item.type === "string") {
        const area = h("textarea", { id, rows: 2, ...req });
        if (Array.isArray(value)) area.value = (value as string[]).join("\n");
        append(row, [this.label(id, m, required), area, h("small", {}, "One per line.")]);
        parent.appendChild(row);
        this.register(path, row, area);
        return () => {
          const lines = area.value.split("\n").map((l) => l.trim()).filter((l) => l);
          return lines.length === 0 && !required ? undefined : lines;
        };
      }
    }
    if (shape.type === "string") {
      const multiline = this.options.multiline?.includes(m.name);
      const input = multiline ? h("textarea", { id, rows: 8, spellcheck: "false", ...req }) : h("input", { id, type: "text", ...req });
      if (typeof value === "string") input.value = value;
      append(row, [this.label(id, m, required), input]);
      parent.appendChild(row);
      this.register(path, row, input);
      return () => (input.value === "" ? undefined : input.value);
    }
    // Lists of structures and maps: JSON, keyed by the model's member names.
    const area = h("textarea", { id, rows: 3, spellcheck: "false", ...req });
    if (value !== undefined) area.value = JSON.stringify(value, null, 2);
    append(row, [this.label(id, m, required), area, h("small", {}, "JSON.")]);
    parent.appendChild(row);
    this.register(path, row, area);
    return () => {
      if (area.value.trim() === "") return undefined;
      try {
        return JSON.parse(area.value);
      } catch {
        return area.value;
      }
    };
  }

  private nested(parent: HTMLElement, m: Member, shape: Shape, path: string, required: boolean, value: unknown): Reader {
    const body = h("div", { class: "nested" });
    const set = h("fieldset", { "data-member": path },
      h("legend", {}, m.wire, required ? h("span", { class: "req", "aria-hidden": "true" }, " *") : null));
    const read = this.structure(body, shape, path, (value ?? {}) as Record<string, unknown>, false);
    if (required) {
      set.appendChild(body);
      parent.appendChild(set);
      this.register(path, set, set);
      return read;
    }
    // An optional structure is sent only when included.
    const id = uid();
    const include = h("input", { id, type: "checkbox", checked: value !== undefined && value !== null });
    body.hidden = !include.checked;
    include.addEventListener("change", () => (body.hidden = !include.checked));
    append(set, [h("div", { class: "check" }, include, h("label", { for: id }, `Include ${m.wire}`)), body]);
    parent.appendChild(set);
    this.register(path, set, include);
    return () => (include.checked ? read() : undefined);
  }
}
