// Builds the console into dist/: one JavaScript bundle and one stylesheet with content hashes in their names (served
// with a year's max-age), index.html pointing at them (served no-cache), and a gzip and a brotli copy of each file so
// the server never compresses at request time. The form shapes come from the vendored botocore model (spec/), so the
// forms follow the same model as the server. Usage: node build.mjs [--out DIR]
import { build } from "esbuild";
import { createHash } from "node:crypto";
import { mkdirSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { brotliCompressSync, constants, gzipSync } from "node:zlib";

const here = path.dirname(fileURLToPath(import.meta.url));
const outFlag = process.argv.indexOf("--out");
const out = outFlag > 0 ? path.resolve(process.argv[outFlag + 1]) : path.join(here, "dist");
const specPath = path.join(here, "..", "spec", "amplifybackend", "2020-08-11", "service-2.json");

/** The model's shapes without documentation: what the forms need (members, wire names, required, enums, lists). */
function compactModel() {
  const model = JSON.parse(readFileSync(specPath, "utf8"));
  const shapes = {};
  for (const [name, shape] of Object.entries(model.shapes)) {
    const compact = { type: shape.type };
    if (shape.enum) compact.enum = shape.enum;
    if (shape.min !== undefined) compact.min = shape.min;
    if (shape.max !== undefined) compact.max = shape.max;
    if (shape.member) compact.member = shape.member.shape;
    if (shape.members) {
      compact.members = Object.entries(shape.members).map(([member, m]) => ({
        name: member,
        wire: m.locationName ?? member,
        shape: m.shape,
        location: m.location,
      }));
      compact.required = shape.required ?? [];
    }
    shapes[name] = compact;
  }
  return shapes;
}

rmSync(out, { recursive: true, force: true });
mkdirSync(path.join(out, "assets"), { recursive: true });

const result = await build({
  entryPoints: { app: path.join(here, "src", "main.ts") },
  bundle: true,
  minify: true,
  format: "esm",
  platform: "browser",
  target: ["es2022"],
  outdir: path.join(out, "assets"),
  entryNames: "[name]-[hash]",
  assetNames: "[name]-[hash]",
  define: { AMPSTACK_MODEL: JSON.stringify(compactModel()) },
  legalComments: "none",
  metafile: true,
  logLevel: "warning",
});

const outputs = Object.keys(result.metafile.outputs).map((file) => path.basename(file));
const script = outputs.find((f) => f.endsWith(".js"));
const style = outputs.find((f) => f.endsWith(".css"));
if (!script || !style) throw new Error(`esbuild produced no script or stylesheet: ${outputs.join(", ")}`);

const html = readFileSync(path.join(here, "src", "index.html"), "utf8")
  .replace("%SCRIPT%", `assets/${script}`)
  .replace("%STYLE%", `assets/${style}`);
writeFileSync(path.join(out, "index.html"), html);

let raw = 0;
let brotli = 0;
function compressAll(dir) {
  for (const name of readdirSync(dir)) {
    const file = path.join(dir, name);
    if (statSync(file).isDirectory()) {
      compressAll(file);
      continue;
    }
    const bytes = readFileSync(file);
    const br = brotliCompressSync(bytes, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } });
    writeFileSync(file + ".gz", gzipSync(bytes, { level: 9 }));
    writeFileSync(file + ".br", br);
    raw += bytes.length;
    brotli += br.length;
  }
}
compressAll(out);
const stamp = createHash("sha256").update(html).digest("hex").slice(0, 12);
console.log(`console: built ${out} (${script}, ${style}; ${raw} bytes, ${brotli} with brotli; build ${stamp})`);
