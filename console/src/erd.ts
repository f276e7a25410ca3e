// The generated data models as an entity-relationship diagram in SVG: a box per model with its fields, an edge per
// relationship (hasMany, belongsTo, hasOne, and manyToMany through its join model). All labels are SVG text, so they are
// readable, selectable and in the accessibility tree; a plain list of the relationships follows the drawing.
import { h, s } from "./dom";

interface Field {
  name: string;
  type: string | { model?: string; enum?: string; nonModel?: string };
  isArray?: boolean;
  isRequired?: boolean;
  association?: { connectionType: string };
}

interface Model {
  name: string;
  fields: Record<string, Field>;
}

interface Edge {
  from: string;
  to: string;
  kind: string;
  label: string;
}

const BOX_W = 240;
const ROW = 18;
const HEAD = 28;
const GAP_X = 130;
const GAP_Y = 80;

function typeName(f: Field): string {
  const t = typeof f.type === "string" ? f.type : f.type.model ?? f.type.enum ?? f.type.nonModel ?? "?";
  const inner = `${t}${f.isRequired && !f.isArray ? "!" : ""}`;
  return f.isArray ? `[${inner}]` : inner;
}

/** Join models of @manyToMany relations: the relation name with its first letter upper-cased, as Amplify names them. */
function joinModels(schema: string): Map<string, string> {
  const joins = new Map<string, string>();
  for (const m of schema.matchAll(/@manyToMany\s*\(\s*relationName\s*:\s*"([^"]+)"/g)) {
    const relation = m[1]!;
    joins.set(relation.charAt(0).toUpperCase() + relation.slice(1), relation);
  }
  return joins;
}

export function relationships(models: Model[], schema: string): { edges: Edge[]; joins: Set<string> } {
  const joinNames = joinModels(schema);
  const names = new Set(models.map((m) => m.name));
  const joins = new Set([...joinNames.keys()].filter((j) => names.has(j)));
  const edges: Edge[] = [];
  for (const model of models) {
    for (const f of Object.values(model.fields)) {
      const target = typeof f.type === "object" ? f.type.model : undefined;
      if (!target || !f.association) continue;
      const kind = { HAS_MANY: "hasMany", BELONGS_TO: "belongsTo", HAS_ONE: "hasOne" }[f.association.connectionType];
      if (!kind) continue;
      if (kind === "hasMany" && joins.has(target)) continue; // drawn as the manyToMany edge below
      edges.push({ from: model.name, to: target, kind, label: `${kind} (${f.name})` });
    }
  }
  for (const join of joins) {
    const ends = Object.values(models.find((m) => m.name === join)!.fields)
      .filter((f) => f.association?.connectionType === "BELONGS_TO" && typeof f.type === "object")
      .map((f) => (f.type as { model: string }).model);
    if (ends.length === 2) {
      edges.push({ from: ends[0]!, to: ends[1]!, kind: "manyToMany", label: `manyToMany (${joinNames.get(join)})` });
    }
  }
  return { edges, joins };
}

/** Where the segment from the centre of a box towards a point leaves the box. */
function clip(cx: number, cy: number, w: number, hgt: number, tx: number, ty: number): [number, number] {
  const dx = tx - cx;
  const dy = ty - cy;
  if (dx === 0 && dy === 0) return [cx, cy];
  const scale = Math.min(Math.abs(w / 2 / (dx || 1e-9)), Math.abs(hgt / 2 / (dy || 1e-9)));
  return [cx + dx * scale, cy + dy * scale];
}

export function diagram(introspectionJson: string, schema: string): HTMLElement {
  let parsed: { models?: Record<string, Model> };
  try {
    parsed = JSON.parse(introspectionJson);
  } catch {
    return h("p", { class: "error" }, "The model introspection JSON could not be read.");
  }
  const models = Object.values(parsed.models ?? {});
  if (models.length === 0) return h("p", {}, "The schema has no @model types.");
  const { edges, joins } = relationships(models, schema);

  const cols = Math.max(1, Math.ceil(Math.sqrt(models.length)));
  const boxes = new Map<string, { x: number; y: number; w: number; h: number }>();
  let y = 20;
  for (let r = 0; r * cols < models.length; r++) {
    const row = models.slice(r * cols, r * cols + cols);
    const rowH = Math.max(...row.map((m) => HEAD + Object.keys(m.fields).length * ROW + 10));
    row.forEach((m, c) =>
      boxes.set(m.name, { x: 20 + c * (BOX_W + GAP_X), y, w: BOX_W, h: HEAD + Object.keys(m.fields).length * ROW + 10 }));
    y += rowH + GAP_Y;
  }
  const width = 40 + Math.min(cols, models.length) * (BOX_W + GAP_X) - GAP_X;
  const height = y - GAP_Y + 20;

  const svg = s("svg", {
    viewBox: `0 0 ${width} ${height}`, width, height, role: "group",
    "aria-label": `Entity-relationship diagram: ${models.length} models, ${edges.length} relationships`,
  });
  svg.appendChild(s("defs", {}, s("marker", {
    id: "erd-arrow", viewBox: "0 0 10 10", refX: "10", refY: "5", markerWidth: "7", markerHeight: "7", orient: "auto-start-reverse",
  }, s("path", { d: "M 0 0 L 10 5 L 0 10 z", class: "erd-arrowhead" }))));

  // Edges first, under the boxes; parallel edges between one pair are spread apart.
  const pairCount = new Map<string, number>();
  for (const e of edges) {
    const a = boxes.get(e.from);
    const b = boxes.get(e.to);
    if (!a || !b) continue;
    const pair = [e.from, e.to].sort().join("|");
    const n = pairCount.get(pair) ?? 0;
    pairCount.set(pair, n + 1);
    const group = s("g", { role: "group", class: `erd-edge erd-${e.kind}`, "aria-label": `${e.from} ${e.kind} ${e.to}` });
    if (e.from === e.to) {
      const x = a.x + a.w;
      const top = a.y + 12 + n * 10;
      group.appendChild(s("path", { d: `M ${x} ${top} C ${x + 60} ${top - 20}, ${x + 60} ${top + 50}, ${x} ${top + 30}`,
        fill: "none", "marker-end": "url(#erd-arrow)" }));
      group.appendChild(s("text", { x: x + 48, y: top + 8 }, e.label));
    } else {
      const acx = a.x + a.w / 2;
      const acy = a.y + a.h / 2;
      const bcx = b.x + b.w / 2;
      const bcy = b.y + b.h / 2;
      const len = Math.hypot(bcx - acx, bcy - acy) || 1;
      const off = (n - 0.5) * 26 * (e.from < e.to ? 1 : -1);
      const ox = (-(bcy - acy) / len) * off;
      const oy = ((bcx - acx) / len) * off;
      const [x1, y1] = clip(acx, acy, a.w, a.h, bcx, bcy);
      const [x2, y2] = clip(bcx, bcy, b.w, b.h, acx, acy);
      group.appendChild(s("line", { x1: x1 + ox, y1: y1 + oy, x2: x2 + ox, y2: y2 + oy,
        "marker-end": e.kind === "manyToMany" ? "" : "url(#erd-arrow)" }));
      group.appendChild(s("text", { x: (x1 + x2) / 2 + ox, y: (y1 + y2) / 2 + oy - 4, "text-anchor": "middle" }, e.label));
    }
    svg.appendChild(group);
  }

  for (const m of models) {
    const b = boxes.get(m.name)!;
    const join = joins.has(m.name);
    const g = s("g", { role: "group", class: `erd-model${join ? " erd-join" : ""}`, "aria-label": `Model ${m.name}` });
    g.appendChild(s("rect", { x: b.x, y: b.y, width: b.w, height: b.h, rx: 6 }));
    g.appendChild(s("rect", { x: b.x, y: b.y, width: b.w, height: HEAD, rx: 6, class: "erd-head" }));
    g.appendChild(s("text", { x: b.x + 10, y: b.y + 19, class: "erd-title" }, join ? `${m.name} (join)` : m.name));
    Object.values(m.fields).forEach((f, i) => {
      g.appendChild(s("text", { x: b.x + 10, y: b.y + HEAD + 16 + i * ROW, class: "erd-field" },
        s("tspan", {}, f.name), s("tspan", { class: "erd-type", dx: "6" }, typeName(f))));
    });
    svg.appendChild(g);
  }

  return h("figure", {},
    h("div", { class: "erd-scroll", tabindex: "0", "aria-label": "Diagram (scrollable)" }, svg),
    h("figcaption", {}, `${models.length} models, ${edges.length} relationships.`),
    edges.length
      ? h("ul", { class: "erd-list", "aria-label": "Relationships" }, edges.map((e) => h("li", {}, `${e.from} ${e.label} → ${e.to}`)))
      : null);
}
