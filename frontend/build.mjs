// Bundles each entry in frontend/ (every *.js beside this file, except this one) into
// static/js/dist/, one self-contained file per visual page. The bundles are committed, so
// `make run` and production need no Node.js; `make assets` rebuilds them after an edit
// here or an upgrade in package-lock.json, and a test checks the committed files match.
//
//   node frontend/build.mjs [outdir]
import { build } from "esbuild";
import { readdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const outdir = process.argv[2] || join(here, "..", "static", "js", "dist");
const entryPoints = readdirSync(here)
  .filter((name) => name.endsWith(".js") && !name.startsWith("_"))
  .map((name) => join(here, name));

if (entryPoints.length) {
  await build({
    entryPoints,
    outdir,
    bundle: true,
    minify: true,
    format: "iife",
    target: ["es2020"],
    legalComments: "eof",   // keep the licences of the bundled packages in the shipped files
    logLevel: "warning",
  });
}
console.log(`built ${entryPoints.length} bundle(s) into ${outdir}`);
