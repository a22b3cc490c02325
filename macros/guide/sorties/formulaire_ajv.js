// Compiles the fiche schemas into the validation functions of the editors' form (/admin/), with Ajv.
//
// Run by macros/guide/sorties/decap.py at build time: reads {"schemas": {file name: schema}, "racines": {name: file
// name}} as JSON on stdin, writes on stdout a browser script that defines `window.GuideValidation`, one
// function per root ({territoires, champs, sources}) with Ajv's usual `.errors` after a failed call.
//
// Ajv's standalone code is used rather than Ajv itself in the browser: it needs no `new Function`
// (so the admin page's Content-Security-Policy can refuse eval) and no bundler. Its output is CommonJS
// that `require`s a few of Ajv's runtime helpers; there is no bundler among the pinned packages, so the
// few lines below wrap each helper (files without requires of their own, checked) in a function.
"use strict";
const fs = require("fs");
const Ajv2020 = require("ajv/dist/2020").default;
const addFormats = require("ajv-formats").default;
const standaloneCode = require("ajv/dist/standalone").default;

const entree = JSON.parse(fs.readFileSync(0, "utf8"));
// Options as the build's validator (jsonschema, Draft 2020-12): all errors, and `verbose` so that each error
// carries its schema (the French message uses its description); formats checked as ajv-formats defines them.
const ajv = new Ajv2020({allErrors: true, verbose: true, strict: false, code: {source: true, esm: false}});
addFormats(ajv);
for (const [nom, schema] of Object.entries(entree.schemas)) ajv.addSchema(schema, nom);
const code = standaloneCode(ajv, entree.racines);

const modules = {};
const requis = [...new Set([...code.matchAll(/require\("([^"]+)"\)/g)].map(m => m[1]))];
for (const nom of requis) {
  const source = fs.readFileSync(require.resolve(nom), "utf8");
  // (a helper names itself in a string, `x.code = 'require("…")'`: not a require of its own)
  if (/require\(/.test(source.replace(/\/\/.*$/gm, "").replace(/\.code = '[^']*'/g, ""))) {
    process.stderr.write(`Le module ${nom}, demandé par le code d'Ajv, en demande d'autres : il faut un assembleur.\n`);
    process.exit(1);
  }
  modules[nom] = `function (module, exports) {\n${source}\n}`;
}
const sortie = `/* Generated at build time by macros/guide/sorties/formulaire_ajv.js (Ajv ${require("ajv/package.json").version}). */
(function () {
  const fabriques = {${Object.entries(modules).map(([n, f]) => `${JSON.stringify(n)}: ${f}`).join(",\n")}};
  const charges = {};
  function require(nom) {
    if (!(nom in charges)) {
      const module = {exports: {}};
      fabriques[nom](module, module.exports);
      charges[nom] = module.exports;
    }
    return charges[nom];
  }
  const module = {exports: {}};
  const exports = module.exports;
  ${code}
  window.GuideValidation = module.exports;
})();
`;
process.stdout.write(sortie);
