// Compiles the fiche schemas into the validation functions of the editors' form (/admin/), with Ajv.
//
// Run by macros/guide/sorties/decap.py at build time: reads {"schemas": {file name: schema}, "racines": {name: file
// name}} as JSON on stdin, writes on stdout a browser script that defines `window.GuideValidation`, one
// function per root ({territoires, champs, sources}) with Ajv's usual `.errors` after a failed call.
//
// Ajv's standalone code is used rather than Ajv itself in the browser: it needs no `new Function`
// (so the admin page's Content-Security-Policy can refuse eval) and no bundler. Its output is CommonJS
// that `require`s a few of Ajv's runtime helpers; there is no bundler among the pinned packages, so the
// few lines below wrap each helper, and the packages it requires by name, in a function.
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

// Ajv's runtime helpers and what they require in turn (`uniqueItems` brings fast-deep-equal), by the name
// they are required by; a helper requiring a relative path would need a real bundler: refused.
// (in a helper's source, comments and the string a helper names itself by, `x.code = 'require("…")'`, are not
// requires; the generated code is read whole: its strings hold addresses, « // » included)
const requis = (source, helper = true) => [...new Set([...(helper ? source.replace(/\/\/.*$/gm, "")
  .replace(/\.code = '[^']*'/g, "") : source).matchAll(/require\("([^"]+)"\)/g)].map(m => m[1]))];
const modules = {};
const aVoir = requis(code, false);
while (aVoir.length) {
  const nom = aVoir.pop();
  if (nom in modules) continue;
  if (nom.startsWith(".")) {
    process.stderr.write(`Le module ${nom}, demandé par le code d'Ajv, est un chemin relatif : il faut un assembleur.\n`);
    process.exit(1);
  }
  const source = fs.readFileSync(require.resolve(nom), "utf8");
  modules[nom] = `function (module, exports) {\n${source}\n}`;
  aVoir.push(...requis(source));
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
