// Builds Safeboard's static files from npm packages into src/safeboard/static_build/.
// Everything is served from our own origin: the platform must work on a closed network.
import { cpSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import * as sass from "sass";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const out = resolve(root, "src/safeboard/static_build");
const nm = resolve(root, "node_modules");

rmSync(out, { recursive: true, force: true });
mkdirSync(resolve(out, "safeboard"), { recursive: true });
mkdirSync(resolve(out, "vendor/govuk"), { recursive: true });
mkdirSync(resolve(out, "vendor/htmx"), { recursive: true });
mkdirSync(resolve(out, "vendor/accessible-autocomplete"), { recursive: true });

const css = sass.compile(resolve(root, "src/safeboard/core/static_src/safeboard.scss"), {
  loadPaths: [nm],
  style: "compressed",
  quietDeps: true,
  silenceDeprecations: ["import"],
});
writeFileSync(resolve(out, "safeboard/safeboard.css"), css.css);

cpSync(resolve(nm, "govuk-frontend/dist/govuk/govuk-frontend.min.js"), resolve(out, "vendor/govuk/govuk-frontend.min.js"));
cpSync(resolve(nm, "govuk-frontend/dist/govuk/assets/images"), resolve(out, "vendor/govuk/assets/images"), { recursive: true });
cpSync(resolve(nm, "htmx.org/dist/htmx.min.js"), resolve(out, "vendor/htmx/htmx.min.js"));
// The person picker's autocomplete (safeboard/person-picker.mjs).
for (const name of ["accessible-autocomplete.min.js", "accessible-autocomplete.min.css"]) {
  cpSync(resolve(nm, "accessible-autocomplete/dist", name), resolve(out, "vendor/accessible-autocomplete", name));
}
console.log(`static files built in ${out}`);
