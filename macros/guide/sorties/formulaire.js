// The editors' web form (/admin/): Decap CMS set up for the guide's fiches.
//
// - a fiche is checked against the same JSON Schemas as the build (Ajv, compiled by formulaire_ajv.js)
//   before it is saved, with French messages, and is not saved while it has a fault;
// - a fiche is written as scripts/formater.py lays one out, and an edit rewrites only the lines of the
//   fields that changed (the `yaml` package keeps where each value is in the file);
// - a new territory is chosen in the official reference (the build writes referentiel.json);
// - the file name of a new fiche is derived from its name as scripts/nouvelle_fiche.py derives it
//   (Decap's own slug drops the apostrophe: « Villeneuve-d'Ascq » would become « villeneuve-dascq »);
// - the preview shows names (champs, publications), not identifiers.
//
// Loaded as a module after decap-cms.js and js-yaml (window.CMS, window.jsyaml) and validation.js
// (window.GuideValidation). The data it needs is in the page, in <script id="guide-formulaire">.
import {YAML} from "./yaml/index.js";

const D = JSON.parse(document.getElementById("guide-formulaire").textContent);
const CMS = window.CMS, jsyaml = window.jsyaml, h = window.h, createClass = window.createClass;
const ECRIRE = {schema: jsyaml.DEFAULT_SAFE_SCHEMA, lineWidth: -1, noRefs: true};

// YAML text of a value, as js-yaml writes it but for one thing. js-yaml 3.15 (the version Decap CMS bundles,
// pinned) takes each half of a character outside Unicode's first plane (an emoji, a rare ideogram) for a
// character it cannot print: « Contrat 🤝 » was written « "Contrat \U0001F91D" », which formater.py (ruamel.yaml)
// writes back « Contrat 🤝 », so the pull request's format check refused every fiche saved with one (js-yaml 4
// reads characters, not halves; its API is another). The same for the no-break space Word puts around « » and
// before « : », which js-yaml writes « \_ » in quotes (« "Pays\_de\_Retz" »), and ruamel.yaml as itself (editor
// QA: every fiche saved with one failed the format check, which a form user cannot fix). Each such character goes
// through the dump as a private-use character of the first plane that the value does not hold, then is put back.
function versYaml(value, options) {
  const texte = JSON.stringify(value), echanges = new Map();
  let libre = 0xE000;
  const remplacant = c => {
    if (!echanges.has(c)) {
      while (texte.includes(String.fromCharCode(libre))) libre++;
      echanges.set(c, String.fromCharCode(libre++));
    }
    return echanges.get(c);
  };
  // A decimal that reads as a French thousands group (« 21.785 », an area) is written with the zero that tells it apart
  // (« 21.7850 »), as the validator asks (nombres.ecrire): written « 21.785 », the build refused the fiche saved.
  const remplacer = v => typeof v === "number" && DECIMALE_COMME_MILLIERS.test(String(v)) ? remplacant(String(v) + "0")
    : typeof v === "string" ? v.replace(/[\u00A0\u{10000}-\u{10FFFF}]/gu, remplacant)
    : Array.isArray(v) ? v.map(remplacer)
    : v && typeof v === "object" ? Object.fromEntries(Object.entries(v).map(([k, x]) => [remplacer(k), remplacer(x)]))
    : v;
  let sortie = jsyaml.safeDump(remplacer(value), options);
  for (const [c, r] of echanges) sortie = sortie.split(r).join(c);
  return sortie;
}
const FRONT = /^---[ \t]*\r?\n([\s\S]*?\r?\n)?---[ \t]*(?:\r?\n|$)/;
const NOMBRES = new Set(D.nombres);
const CHIFFRES = D.chiffres;  // key → text allowed too (a page « 14-15 », an address)
// Keys the form uses and never writes: the text a fiche was read from, the identifier of a new fiche
// (its file name, see preSave), the reference picker.
const SOURCE = "_texte_lu", IDENTIFIANT = "_identifiant", REFERENTIEL = "referentiel";
const CACHEES = [SOURCE, IDENTIFIANT, REFERENTIEL];

for (const href of D.styles) CMS.registerPreviewStyle(href);

// ---------------------------------------------------------------------------------------------------
// Writing a fiche as scripts/formater.py would: keys in the order of the model, no folded lines, empty
// optional keys left out, page numbers as numbers.

function vide(v) {
  return v === undefined || v === null || v === "" ||
    (v && typeof v === "object" && !Array.isArray(v) && Object.keys(v).length === 0);
}
// Same data, whatever the order of the keys (a file's own order is kept where nothing changed), and whatever line
// breaks end a text: the form trims what it saves, and a résumé written « resume: | » (a list: CONTRIBUTING), whose
// value ends with one, was rewritten in quotes when the editor changed another field (attacker QA). The pages read
// both alike.
function canonique(v) {
  if (Array.isArray(v)) return v.map(canonique);
  if (v && typeof v === "object" && !(v instanceof Date))
    return Object.fromEntries(Object.keys(v).sort().map(k => [k, canonique(v[k])]));
  return typeof v === "string" ? v.replace(/\n+$/, "") : v;
}
const egal = (a, b) => JSON.stringify(canonique(a)) === JSON.stringify(canonique(b));

// Digits typed in a text box (a page) are written as a number, unless the fiche had them as text: the
// form changes nothing the editor did not change.
function textesNumeriques(value, chemin, trouves) {
  if (Array.isArray(value)) value.forEach((v, i) => textesNumeriques(v, chemin + "." + i, trouves));
  else if (value && typeof value === "object") for (const k of Object.keys(value)) {
    if (typeof value[k] === "string" && (NOMBRES.has(k) || k in CHIFFRES) && /^\d+$/.test(value[k]))
      trouves.add(chemin + "." + k);
    textesNumeriques(value[k], chemin + "." + k, trouves);
  }
  return trouves;
}

// A figure typed in the form, read as a French reader means it, by the rules the validator applies to a figure
// written as text (macros/guide/modele/nombres.py: valeur_francaise, texte_a_la_place_d_un_nombre), here
// because the form must refuse before it writes: « 45 000 » is 45000, « 12,5 » is 12.5; « 45.000 » (a dot that
// may group thousands or mark decimals) and a unit typed after the figure are refused with what to type.
const ESPACE = "[ \u00a0\u202f]";
const POINT_DES_MILLIERS = /^[+-]?[1-9]\d{0,2}(?:\.\d{3})+$/;  // (not « 0.045 »: no thousands begin with a zero)
const VIRGULE_DES_MILLIERS = /^[+-]?[1-9]\d{0,2}(?:,\d{3})+$/;
const DECIMALE_COMME_MILLIERS = /^[+-]?[1-9]\d{0,2}\.\d{3}$/;  // (nombres.DECIMALE_COMME_MILLIERS)
// The decimal reading of « 21,785 » or « 21.785 », typed so that it is not asked again: « 21,7850 » (the zero tells it
// apart; « 21,785 pour un nombre décimal » was the text just refused, editor QA); « 45,000 » is 45.
const enDecimale = t => {
  const d = t.replace(".", ",").replace(/,?0+$/, "") || "0";
  return /^[+-]?[1-9]\d{0,2},\d{3}$/.test(d) ? d + "0" : d;
};
const CHIFFRE = new RegExp(`^[+-]?(?:\\d{1,3}(?:${ESPACE}\\d{3})+(?:,\\d+)?|\\d+(?:[.,]\\d+)?)$`);
const CHIFFRE_ET_SUITE = new RegExp(`^([+-]?\\d[\\d.,]*(?:${ESPACE}\\d{3})*)${ESPACE}*([^\\d\\s.,-].*)$`);
const UNITE = /^\p{L}[\p{L}\p{N}²³'’.]*(?: \p{L}[\p{L}\p{N}²³'’.]*)?$/u;  // « habitants », « hab. », « km² »
// « M€ », « € », « millions » and, in an amount, « M » or « K » alone (« 2.6M », « 600K »); a period or a tax after it
// (« €/an », « M€ HT ») is the fiche's words, not the amount's
const EUROS = /^(?:k|m|md)?\s*(?:€|eur\b|euros?\b)|^(?:k|m|md)$|^(?:millions?|milliards?)\b/i;
const PERIODE_OU_TAXE = /\s*(?:\/\s*an|par\s+an|annuels?|HT|TTC)\.?$/i;
const DEVISE_AVANT = /^(?:€|eur|euros?)[ \u00a0\u202f]*\d/i;  // « EUR 2600000 »
// What « 1,5 M€ », « 600K », « 2,6 millions d'euros » are in euros, as the validator computes them (nombres.py,
// _EUROS): the form says the very figure to type (editor QA: it gave « 3 M€ se tape 3000000 » for « 1,5 M€ »).
// Null when the figure's point may group thousands (« 45.000 € »).
const MULTIPLES = [[/^(?:md|milliards?)/i, 1e9], [/^(?:m|millions?)/i, 1e6], [/^k/i, 1e3]];
function enEuros(nombre, unite) {
  if (POINT_DES_MILLIERS.test(nombre)) return null;
  const n = Number(nombre.replace(new RegExp(ESPACE, "g"), "").replace(",", "."));
  const multiple = MULTIPLES.find(([motif]) => motif.test(unite.trim()));
  const euros = Math.round(n * (multiple ? multiple[1] : 1));
  return Number.isFinite(euros) && euros > 0 ? String(euros) : null;
}
function lireChiffre(texte, cle, avecUnite) {
  const t = texte.trim();
  if (cle === "page") {
    const p = /^(?:pages?|pp?)\.?\s*(\d.*)$/i.exec(t);
    if (p) return {erreur: `« ${t} » : le site écrit lui-même « p. » devant le numéro ; tapez ${p[1].trim()}.`};
    // Quotes around a range, as the help of a file says to write it: the form would keep them in the value, and
    // the note print « p. "14-15" » (editor QA; the build refuses them too: nombres.py).
    // Around it, inside it or on one side (« 14-15” »: verifier QA); read without a pattern that backtracks on
    // long runs of spaces (attacker QA), as nombres.py does.
    if (/[“”„«»"]/.test(t) || (t.length >= 2 && "‘’‚'".includes(t[0]) && "‘’'".includes(t[t.length - 1]))) {
      const sans = t.replace(/[“”„«»"‘’‚']/g, " ").split(/\s+/).filter(Boolean).join(" ");
      return {erreur: sans ? `« ${t} » : ces guillemets seraient imprimés avec le numéro ; tapez ${sans} sans guillemets.`
                           : `« ${t} » : des guillemets sans numéro ; tapez le numéro de la page, sans guillemets.`};
    }
    // A range left open (« 58- », « -63 », « 58 et »): the note printed « p. 58- » (editor QA; nombres.py too).
    const ouverte = "-–—".includes(t[0]) || "-–—".includes(t[t.length - 1]) || /(?:^|\s)et$|^et\s/i.test(t);
    const seule = t.replace(/(?<![\p{L}])et(?![\p{L}])|[-–—]/giu, " ").split(/\s+/).filter(Boolean).join(" ");
    if (t && ouverte && seule)
      return {erreur: `« ${t} » : cette plage de pages est ouverte ; tapez la page seule (${seule}) ou la plage ` +
                      "entière (58-63)."};
    // A page no reader can open (nombres.py, the same cases): digits of another script, a page 0, a range of three
    // bounds or backwards (attacker QA: « p. １４ », « p. 63-58 » were printed as typed).
    if (/\p{Nd}/u.test(t) && /[^\x00-\x7f]/.test(t.replace(/[^\p{Nd}]/gu, "")))
      return {erreur: `« ${t} » : ces chiffres ne sont pas ceux du clavier français ; retapez le numéro.`};
    const bornes = t.split(/\s*[-–—]\s*/);
    if (bornes.every(b => /^\d+$/.test(b))) {
      if (bornes.some(b => Number(b) === 0))
        return {erreur: `« ${t} » : une publication n'a pas de page 0 ; tapez le numéro imprimé sur la page.`};
      if (bornes.some(b => b.length > 4))  // (nombres.py; the schema's maximum for a page typed alone)
        return {erreur: `« ${t} » : aucune publication n'a tant de pages ; tapez le numéro imprimé sur la page citée.`};
      if (bornes.length > 2)
        return {erreur: `« ${t} » : une plage de pages a deux bornes ; tapez la première et la dernière ` +
                        `(${bornes[0]}-${bornes[bornes.length - 1]}).`};
      if (bornes.length === 2 && Number(bornes[0]) > Number(bornes[1]))
        return {erreur: `« ${t} » : cette plage de pages est à l'envers ; tapez-la de la première à la dernière ` +
                        `(${bornes[1]}-${bornes[0]}).`};
    }
  }
  if (cle === "montant" && DEVISE_AVANT.test(t)) {
    // The figure after it read as the form reads any (editor QA: « €5,000 » was answered « tapez 5,000 », which the
    // form then refused as ambiguous).
    const reste = t.replace(/^\D+/, "");
    const lu = lireChiffre(reste, cle, avecUnite);
    // (its own message, about the editor's text: « €1,2 million » said « un montant se tape en euros » twice)
    if (lu.erreur && lu.erreur.startsWith(`« ${reste} » : un montant`)) return {erreur: `« ${t} »` + lu.erreur.slice(reste.length + 4)};
    return {erreur: `« ${t} » : un montant se tape en euros, en chiffres, sans unité (le site ajoute « € »)` +
                    (lu.erreur ? ` ; ${lu.erreur}` : ` : tapez ${reste}.`)};
  }
  // Commas grouping thousands before a decimal point, as English writes them (« 5,000.50 »: verifier QA)
  if (/^[+-]?\d{1,3}(?:,\d{3})+\.\d+$/.test(t))
    return {erreur: `« ${t} » : ces virgules séparent les milliers, et le point les décimales ; tapez ${t.replace(/,/g, "")}.`};
  // Two points or more only separate thousands: « 5.300.000 » was offered « 5,300.000 » as a decimal (editor QA).
  if (POINT_DES_MILLIERS.test(t) && t.split(".").length > 2)
    return {erreur: `« ${t} » : ces points séparent les milliers ; tapez ${t.replace(/\./g, "")} (ou ${t.replace(/\./g, " ")}).`};
  if (POINT_DES_MILLIERS.test(t))
    return {erreur: `« ${t} » : ce point peut séparer les milliers ou les décimales. Tapez ${t.replace(/\./g, "")} ` +
                    `(ou ${t.replace(/\./g, " ")}) s'il sépare les milliers, ${enDecimale(t)} pour un nombre décimal.`};
  // « 45,000 »: 45 in French, 45 000 as English writes it; read as 45, it published 45 jobs (editor QA). Asked, as
  // « 45.000 » is; two commas or more only separate thousands.
  if (VIRGULE_DES_MILLIERS.test(t) && t.split(",").length > 2)
    return {erreur: `« ${t} » : ces virgules séparent les milliers ; tapez ${t.replace(/,/g, "")} (ou ${t.replace(/,/g, " ")}).`};
  if (VIRGULE_DES_MILLIERS.test(t))
    return {erreur: `« ${t} » : cette virgule peut séparer les décimales ou les milliers. Tapez ${t.replace(/,/g, " ")} ` +
                    `s'il s'agit de milliers, ${enDecimale(t)} pour un nombre décimal.`};
  if (CHIFFRE.test(t)) return {valeur: Number(t.replace(new RegExp(ESPACE, "g"), "").replace(",", "."))};
  const suite = CHIFFRE_ET_SUITE.exec(t);
  if (suite) {  // a figure then a word: a unit the page would print twice, or that belongs in its own field
    const [, nombre, reste] = suite;
    if (cle === "montant" && EUROS.test(reste.replace(PERIODE_OU_TAXE, ""))) {
      const euros = enEuros(nombre, reste.replace(PERIODE_OU_TAXE, ""));
      return {erreur: `« ${t} » : un montant se tape en euros, en chiffres, sans unité (le site ajoute « € » et ` +
                      "écrit les millions en lettres) : " + (euros ? `tapez ${euros}.` : "3 M€ se tape 3000000.")};
    }
    if (cle === "montant" && reste === "%")  // a share is not an amount in euros (nombres.py; editor QA)
      return {erreur: `« ${t} » : un montant est une somme en euros, pas une part ; tapez la somme, ou dites la part ` +
                      "dans le libellé ou la note de la ligne."};
    if (cle.startsWith("part_") && reste === "%")
      return {erreur: `« ${t} » : le site ajoute « % » après ce chiffre ; tapez ${nombre}.`};
    // « 1,2 million »: a figure in words, not a unit (editor QA: « tapez le nombre seul (1,2) » was accepted, and
    // the page read « 1,2 habitants »)
    if (/^(?:millions?|milliards?)$/i.test(reste)) {
      const entier = enEuros(nombre, reste);  // (the figure times its multiple: in euros or anything else)
      return {erreur: `« ${t} » : tapez le nombre en chiffres, ` + (entier ? `${entier}` : `3000000 pour 3 millions`) +
                      " (le site l'affiche à la française)."};
    }
    if (avecUnite && UNITE.test(reste))
      return {erreur: `« ${t} » : tapez le nombre seul (${nombre}) ; l'unité va dans le champ « Unité ».`};
  }
  if (cle.startsWith("part_") && /\d$/.test(t))  // « environ 10 »: the site adds « % » after a number only
    return {erreur: `« ${t} » : une part écrite en texte est imprimée telle quelle, sans « % » ; tapez « ${t} % ».`};
  if (!CHIFFRES[cle]) return {erreur: `« ${t} » n'est pas un nombre : tapez-le en chiffres (45000, 45 000 ou 12,5).`};
  return {texte: t};  // text the page prints as written (« près de 500 000 », an address, a page « 14-15 »)
}

// A word as compared with a unit: lower case, no accents, no final full stop (« Hab. » is « hab »).
const plierMot = m => m.normalize("NFD").replace(/\p{M}/gu, "").toLowerCase().replace(/\.$/, "");

// Every figure typed as text that the form cannot write as the editor meant it, in French, by field.
function erreursChiffres(collection, value, ordre, chemin, out) {
  if (Array.isArray(value)) value.forEach((v, i) => erreursChiffres(collection, v, ordre, [...chemin, String(i)], out));
  else if (value && typeof value === "object") {
    const avecUnite = !!ordre && "unite" in ordre;
    for (const k of Object.keys(value)) {
      if (typeof value[k] === "string" && k in CHIFFRES && value[k].trim()) {
        const lu = lireChiffre(value[k], k, avecUnite);
        if (lu.erreur) out.push(`${champ(collection, [...chemin, k])} : ${lu.erreur}`);
        // its unit written in a text as well (« environ 45 000 hab. »), which the page would print twice (nombres.py)
        else if (lu.texte && typeof value.unite === "string" && value.unite.trim()) {
          const unite = plierMot(value.unite.trim());
          const redite = (lu.texte.match(/\p{L}[\p{L}'’.]*/gu) || []).find(m => {
            const p = plierMot(m);
            return p.length >= 3 && (p === unite || unite.startsWith(p) || p.replace(/s$/, "") === unite.replace(/s$/, ""));
          });
          if (redite) out.push(`${champ(collection, [...chemin, k])} : l'unité est répétée dans « ${lu.texte} » ` +
                               `(« ${redite} ») ; elle serait affichée deux fois : le champ « Unité » l'ajoute.`);
        }
      } else erreursChiffres(collection, value[k], ordre && ordre[k], [...chemin, k], out);
    }
  }
  return out;
}

// Characters pasted from a word processor or a web page that no one sees and the build refuses (modele/
// caracteres.py: every « Other » of Unicode, line and paragraph separators, the object a word processor leaves for
// an image, U+FFFC): separators and Word's line breaks become line breaks, the others go; tabulation and line break
// stay. Accents composed (NFC), as the build reads. (U+FFFD, a letter lost to a wrong encoding, is left for the
// build to name: the editor retypes the letter.)
// A PDF's ligatures (« ﬁ », U+FB00–U+FB06), which the build refuses, become the letters they draw (editor QA).
function nettoyer(texte) {
  return texte.normalize("NFC").replace(/[\uFB00-\uFB06]/g, c => c.normalize("NFKC")).replace(/\r\n?|[\u2028\u2029\u0085\u000b\u000c]/g, "\n").replace(/[^\P{C}\t\n]|\uFFFC/gu, "");
}

function ranger(value, ordre, cle, chemin, textes) {
  if (Array.isArray(value))
    return value.map((v, i) => ranger(v, ordre, cle, chemin + "." + i, textes)).filter(v => !vide(v));
  if (value && typeof value === "object") {
    const rang = k => (ordre && k in ordre ? Object.keys(ordre).indexOf(k) : 1e6);
    const out = {};
    for (const k of Object.keys(value).sort((a, b) => rang(a) - rang(b))) {
      if (CACHEES.includes(k) && chemin === "") continue;
      const v = ranger(value[k], ordre && ordre[k], k, chemin + "." + k, textes);
      if (!vide(v)) out[k] = v;
    }
    return out;
  }
  if (typeof value === "string" && NOMBRES.has(cle) && /^\d+$/.test(value.trim()) && !textes.has(chemin))
    return Number(value.trim());
  if (typeof value === "string" && cle in CHIFFRES && !textes.has(chemin)) {
    const lu = lireChiffre(value, cle, false);
    if ("valeur" in lu) return lu.valeur;  // a refused one stays text: preSave says why, nothing is written
  }
  return typeof value === "string" ? nettoyer(value).trim() : value;
}

// --- only the changed lines: the text of a value is replaced where it stands ---------------------------

const debutDeLigne = (t, i) => t.lastIndexOf("\n", i - 1) + 1;
const colonne = (t, i) => i - debutDeLigne(t, i);
function finDeLigne(t, i) {  // position after the line break that ends the line holding position i - 1
  if (i > 0 && t[i - 1] === "\n") return i;
  const n = t.indexOf("\n", i);
  return n < 0 ? t.length : n + 1;
}
function bloc(value, col) {  // a value dumped in block style, its lines after the first indented to `col`
  return versYaml(value, ECRIRE).replace(/\n$/, "").replace(/\n/g, "\n" + " ".repeat(col));
}
function enLigne(value, noeud) {  // a value written where another stood on one line (a scalar, a flow block)
  if (typeof value === "string" && noeud && noeud.type === "QUOTE_DOUBLE" && !value.includes("\n"))
    return JSON.stringify(value);  // a JSON string is a YAML double-quoted scalar: the fiche's quotes are kept
  return versYaml(value, {...ECRIRE, flowLevel: 0}).replace(/\n$/, "");
}
const estBloc = n => n && (n.type === "MAP" || n.type === "SEQ");

// A text that stood as a folded block (« resume: >- » and its lines) is written back so, its lines cut between
// words at the fiches' usual width (most of their lines are 110 to 120 characters long), not as one quoted line
// of several hundred characters that no diff or later hand edit reads (editor QA). Null for a text a folded
// block would not give back as it is (spaces at a line's edge, several spaces, tabs): the value is then written
// as before. No-break spaces are text to YAML, not spaces (lines are cut at plain spaces only): a résumé holding
// one (« 240 000 € », as French typography and Word write it) was written as one quoted line of 450 characters
// (editor QA). The result is read back as a whole before it is kept (reecrire).
const LARGEUR = 116;
function plierBloc(texte, marge) {
  if (!texte || /(^|\n) | (\n|$)| {2}|[^\S \n\u00a0\u202f]/.test(texte)) return null;
  const lignes = [];
  texte.split("\n").forEach((paragraphe, i) => {
    if (i) lignes.push("");  // in a folded block, a blank line is a line break of the text
    let ligne = "";
    for (const mot of paragraphe ? paragraphe.split(" ") : []) {
      if (ligne && marge + ligne.length + 1 + mot.length > LARGEUR) {
        lignes.push(ligne);
        ligne = mot;
      } else {
        ligne = ligne ? ligne + " " + mot : mot;
      }
    }
    if (ligne) lignes.push(ligne);
  });
  return ">-\n" + lignes.map(l => (l ? " ".repeat(marge) + l : "")).join("\n");
}
const margeDuBloc = (t, debut) => {  // the indentation of a block scalar's first line of text
  const ligne = t.slice(finDeLigne(t, debut + 1)).match(/^( *)\S/);
  return ligne ? ligne[1].length : null;
};

class Remplacements {
  constructor(texte) { this.texte = texte; this.liste = []; }
  ajouter(debut, fin, par) { this.liste.push([debut, fin, par]); }
  appliquer() {
    let t = this.texte;
    for (const [debut, fin, par] of this.liste.sort((a, b) => b[0] - a[0] || b[1] - a[1]))
      t = t.slice(0, debut) + par + t.slice(fin);
    return t;
  }
}

// Replace the text of `noeud` (value `ancien`) so that it reads `nouveau`; false when only a larger
// rewrite can do it (the caller then rewrites the block that holds it).
function remplacer(r, noeud, ancien, nouveau) {
  const t = r.texte;
  if (egal(ancien, nouveau)) return true;
  if (!noeud || !noeud.range) return false;
  const [debut, fin] = noeud.range;
  if (noeud.type === "MAP" && nouveau && typeof nouveau === "object" && !Array.isArray(nouveau) &&
      ancien && typeof ancien === "object" && !Array.isArray(ancien))
    return remplacerCles(r, noeud, ancien, nouveau);
  if (noeud.type === "SEQ" && Array.isArray(nouveau) && Array.isArray(ancien))
    return remplacerListe(r, noeud, ancien, nouveau);
  const objet = nouveau !== null && typeof nouveau === "object";
  // « actions: [] » that receives its first action: written in block style, each key on its line, as the other
  // fiches' actions (in place, the whole action went on one line of flow syntax).
  if ((noeud.type || "").startsWith("FLOW") && Array.isArray(ancien) && !ancien.length && Array.isArray(nouveau) &&
      nouveau.some(v => v !== null && typeof v === "object")) return false;
  if (estBloc(noeud) !== (objet && !vide(nouveau) && !(noeud.type || "").startsWith("FLOW"))) {
    if (estBloc(noeud) || objet) return false;  // a block becomes a scalar or the reverse: the key is rewritten
  }
  const fini = t.slice(debut, fin).endsWith("\n") ? "\n" : "";
  if (noeud.type === "BLOCK_FOLDED" && typeof nouveau === "string") {
    const marge = margeDuBloc(t, debut), plie = marge ? plierBloc(nouveau, marge) : null;
    if (plie) {
      r.ajouter(debut, fin, plie + fini);
      return true;
    }
  }
  const texte = estBloc(noeud) ? bloc(nouveau, colonne(t, debut)) : enLigne(nouveau, noeud);
  if (texte.includes("\n") && !estBloc(noeud)) return false;
  r.ajouter(debut, fin, texte + fini);
  return true;
}

function remplacerCles(r, noeud, ancien, nouveau) {
  const t = r.texte, col = colonne(t, noeud.range[0]);
  const paires = noeud.items.filter(p => p.key && p.key.range);
  if (paires.length !== noeud.items.length) return false;
  const cles = paires.map(p => String(p.key.value));
  for (const [i, paire] of paires.entries()) {
    const k = cles[i];
    if (k in nouveau) {
      if (!remplacer(r, paire.value, ancien[k], nouveau[k])) {
        // The whole « key: value » rewritten.
        const fin = paire.value && paire.value.range ? finDeLigne(t, paire.value.range[1]) : finDeLigne(t, paire.key.range[1]);
        r.ajouter(paire.key.range[0], fin, bloc({[k]: nouveau[k]}, col) + "\n" + (i + 1 < paires.length ? " ".repeat(col) : ""));
        if (i + 1 < paires.length) r.liste[r.liste.length - 1][1] = paires[i + 1].key.range[0];
      }
    } else if (paires.length === 1) {
      return false;
    } else if (i + 1 < paires.length) {
      r.ajouter(paire.key.range[0], paires[i + 1].key.range[0], "");
    } else {
      const avant = paires[i - 1];
      const debut = finDeLigne(t, avant.value && avant.value.range ? avant.value.range[1] : avant.key.range[1]);
      const fin = finDeLigne(t, paire.value && paire.value.range ? paire.value.range[1] : paire.key.range[1]);
      r.ajouter(debut, fin, "");
    }
  }
  // New keys, each before the key that follows it in the model's order (or after the last one).
  const ordre = Object.keys(nouveau);
  for (const k of ordre) {
    if (cles.includes(k)) continue;
    const suivante = ordre.slice(ordre.indexOf(k) + 1).find(c => cles.includes(c));
    if (suivante) {
      const paire = paires[cles.indexOf(suivante)];
      r.ajouter(paire.key.range[0], paire.key.range[0], bloc({[k]: nouveau[k]}, col) + "\n" + " ".repeat(col));
    } else {
      const derniere = paires[paires.length - 1];
      const fin = finDeLigne(t, derniere.value && derniere.value.range ? derniere.value.range[1] : derniere.key.range[1]);
      const sep = fin === t.length && !t.endsWith("\n") ? "\n" : "";
      r.ajouter(fin, fin, sep + " ".repeat(col) + bloc({[k]: nouveau[k]}, col) + "\n");
    }
  }
  return true;
}

function remplacerListe(r, noeud, ancien, nouveau) {
  const t = r.texte, items = noeud.items;
  if (items.length !== ancien.length || items.some(n => !n || !n.range)) return false;
  const col = colonne(t, items[0].range[0]);
  // A citation list written { publication: …, page: … } on each line keeps that layout for a new item.
  const flux = items.length && items.every(n => n.type === "FLOW_MAP");
  const article = v => (flux && v && typeof v === "object" ? enLigne(v) : bloc(v, col));
  const tiret = i => debutDeLigne(t, items[i].range[0]);
  if (items.some((n, i) => t.slice(tiret(i), n.range[0]).trim() !== "-")) return false;
  if (!nouveau.length) return false;  // an emptied list: the key is rewritten
  // Where item i begins with the comment lines right above it (« # ── Étude 2019 ── »): they head it and those
  // below, and stay with it when the item before goes or an item comes before it.
  const avecCommentaires = i => {
    let debut = tiret(i);
    while (debut > 0) {
      const precedente = debutDeLigne(t, debut - 1);
      // (the item above may count them in its range: YAML's nodes keep the comments that follow them)
      if (!/^\s*#/.test(t.slice(precedente, debut))) break;
      debut = precedente;
    }
    return debut;
  };
  // The items kept as they were, then each stretch between two of them: its items changed in place, one for one,
  // and those left over removed or added there. An action changed and another removed in one save rewrote the
  // whole list (editor QA: 200 lines for two).
  const gardes = [...alignement(ancien, nouveau), [ancien.length, nouveau.length]];
  // An item moved (removed here, added there) keeps its text as written: dumped again, its folded résumé became one
  // quoted line of 450 characters (focused QA).
  const cle = v => JSON.stringify(canonique(v));
  const deplaces = new Map();
  {
    let i = 0, j = 0;
    for (const [ig, jg] of gardes) {
      const changes = Math.min(ig - i, jg - j);
      for (let k = i + changes; k < ig; k++) {
        const fin = k + 1 < items.length ? avecCommentaires(k + 1) : finDeLigne(t, items[k].range[1]);
        const texte = t.slice(tiret(k), fin);
        if (!texte.endsWith("\n")) continue;
        if (!deplaces.has(cle(ancien[k]))) deplaces.set(cle(ancien[k]), []);
        deplaces.get(cle(ancien[k])).push(texte);
      }
      i = ig + 1;
      j = jg + 1;
    }
  }
  let i = 0, j = 0;
  for (const [ig, jg] of gardes) {
    const changes = Math.min(ig - i, jg - j);
    for (let k = 0; k < changes; k++) if (!remplacer(r, items[i + k], ancien[i + k], nouveau[j + k])) return false;
    const a = i + changes, b = ig;  // old items [a, b) go
    if (a < b) {
      const de = b < items.length ? tiret(a) : finDeLigne(t, items[a - 1].range[1]);
      const jusqua = b < items.length ? avecCommentaires(b) : finDeLigne(t, items[b - 1].range[1]);
      r.ajouter(de, jusqua, "");
    }
    const ajoutes = nouveau.slice(j + changes, jg);  // new items, before old item ig
    if (ajoutes.length) {
      const lignes = ajoutes.map(v => (deplaces.get(cle(v)) || []).shift() ?? (" ".repeat(col - 2) + "- " + article(v) + "\n")).join("");
      const ou = ig < items.length ? avecCommentaires(ig) : finDeLigne(t, items[items.length - 1].range[1]);
      r.ajouter(ou, ou, (ou === t.length && !t.endsWith("\n") ? "\n" : "") + lignes);
    }
    i = ig + 1;
    j = jg + 1;
  }
  return true;
}

// The pairs [i, j] of items of `ancien` and `nouveau` that are the same, in order, as many as can be (a longest
// common subsequence): what an editor kept when changing, removing or adding others.
function alignement(ancien, nouveau) {
  const a = ancien.map(v => JSON.stringify(canonique(v))), b = nouveau.map(v => JSON.stringify(canonique(v)));
  const n = a.length, m = b.length;
  const L = Array.from({length: n + 1}, () => new Array(m + 1).fill(0));
  for (let i = n - 1; i >= 0; i--)
    for (let j = m - 1; j >= 0; j--) L[i][j] = a[i] === b[j] ? L[i + 1][j + 1] + 1 : Math.max(L[i + 1][j], L[i][j + 1]);
  const paires = [];
  for (let i = 0, j = 0; i < n && j < m;) {
    if (a[i] === b[j]) paires.push([i++, j++]);
    else if (L[i + 1][j] >= L[i][j + 1]) i++;
    else j++;
  }
  return paires;
}

// The new header written over the old one, changing only what changed; null when it cannot be done
// safely (the caller then writes the whole header).
function reecrire(entete, ancien, nouveau) {
  let doc;
  try {
    doc = YAML.parseDocument(entete, {keepCstNodes: true});
  } catch (e) {
    return null;
  }
  if (doc.errors.length || !doc.contents || doc.contents.type !== "MAP") return null;
  const r = new Remplacements(entete);
  if (!remplacerCles(r, doc.contents, ancien, nouveau)) return null;
  const texte = r.appliquer();
  try {  // the text written must read back as exactly the data meant
    if (!egal(jsyaml.safeLoad(texte, {schema: jsyaml.CORE_SCHEMA}), nouveau)) return null;
  } catch (e) {
    return null;
  }
  return texte;
}

function lireEntete(texte) {
  return jsyaml.safeLoad(texte || "", {schema: jsyaml.CORE_SCHEMA}) || {};
}

function format(ordre, avecTexte) {
  return {
    fromFile(content) {
      const m = avecTexte ? FRONT.exec(content) : null;
      const data = avecTexte ? (m ? lireEntete(m[1]) : {}) : lireEntete(content);
      if (avecTexte) data.body = m ? content.slice(m[0].length).replace(/^\n+/, "") : content;
      data[SOURCE] = content;
      return data;
    },
    toFile(data) {
      const {body, [SOURCE]: lu, ...champs} = data;
      const m = lu !== undefined && avecTexte ? FRONT.exec(lu) : null;
      const enteteLu = avecTexte ? (m ? m[1] || "" : null) : lu;
      const textes = enteteLu ? textesNumeriques(lireEntete(enteteLu), "", new Set()) : new Set();
      const rangees = ranger(champs, ordre, "", "", textes);
      let entete = null;
      if (enteteLu) {
        let ancien = lireEntete(enteteLu);
        entete = egal(ancien, rangees) ? enteteLu : reecrire(enteteLu, ancien, rangees);
      }
      if (entete === null) entete = versYaml(rangees, ECRIRE);
      if (!avecTexte) return entete;
      const texte = nettoyer(body || "").trim();
      // The text after the header is kept as it was when the editor did not change it.
      const corpsLu = m ? lu.slice(m[0].length) : null;
      const corps = corpsLu !== null && corpsLu.trim() === texte ? corpsLu : (texte ? "\n" + texte + "\n" : "");
      return "---\n" + entete + "---\n" + corps;
    },
  };
}
for (const [collection, ordre] of Object.entries(D.ordre))
  CMS.registerCustomFormat("fiche-" + collection, collection === "sources" ? "yaml" : "md",
                           format(ordre, collection !== "sources"));

// ---------------------------------------------------------------------------------------------------
// The checks of the build, before saving: the JSON Schema (Ajv), a file name already taken, an official
// code already given to another fiche. The messages say, in French, which field and what to write.

const TYPES = {string: "un texte", integer: "un nombre entier", number: "un nombre", array: "une liste",
               object: "un bloc de clés", boolean: "vrai ou faux", null: "rien"};
function typeDe(v) {
  if (typeof v === "boolean") return "vrai/faux";
  if (typeof v === "number") return "un nombre";
  if (typeof v === "string") return "un texte";
  if (Array.isArray(v)) return "une liste";
  if (v instanceof Date) return "une date";
  if (v && typeof v === "object") return "un bloc de clés";
  return "rien";
}
const montrer = v => (v === null || typeof v === "object" ? "" : ` « ${String(v).slice(0, 60)} »`);

function champ(collection, chemin) {  // « Actions n° 2 › Sources n° 1 › Page »
  let arbre = D.libelles[collection] || {};
  const parts = [];
  for (const part of chemin) {
    if (/^\d+$/.test(part)) {
      if (parts.length) parts[parts.length - 1] += " n° " + (Number(part) + 1);
      continue;
    }
    const [libelle, sous] = arbre[part] || [part, {}];
    parts.push(libelle);
    arbre = sous || {};
  }
  return parts.join(" › ");
}

function message(e, collection) {
  const chemin = e.instancePath.split("/").filter(Boolean).map(p => p.replace(/~1/g, "/").replace(/~0/g, "~"));
  const p = e.params, v = e.data;
  let texte;
  switch (e.keyword) {
    case "required":
      chemin.push(p.missingProperty);
      texte = "à remplir (obligatoire).";
      break;
    case "additionalProperties":
      chemin.push(p.additionalProperty);
      texte = "clé inconnue du modèle des fiches.";
      break;
    case "type": {
      const attendu = [].concat(p.type).map(t => TYPES[t] || t).join(" ou ");
      texte = v === null ? `vide : écrivez ${attendu}.` : `attendu ${attendu}, trouvé ${typeDe(v)}${montrer(v)}.`;
      // « 12/2024 » for a year: the type alone does not say what to type (editor QA; validate.py says it too)
      const mois = chemin[chemin.length - 1] === "annee" && typeof v === "string" &&
        /^\s*(?:\d{1,2}[\/.-])?\d{1,2}[\/.-]((?:19|20)\d{2})\s*$/.exec(v);
      if (mois) texte += ` Une année se tape seule : tapez ${mois[1]} (le mois ou le jour, s'il compte, se dit dans le texte).`;
      break;
    }
    case "enum":
      texte = `valeur${montrer(v)} non reconnue. Valeurs possibles : ${p.allowedValues.join(", ")}.`;
      break;
    case "pattern":
      texte = typeof v === "string" && !v.trim()
        ? "le texte ne doit pas être vide : il ne contient que des espaces."
        : `format incorrect pour « ${v} ». ${(e.parentSchema && e.parentSchema.description) || ""}`.trim();
      break;
    case "minItems":
      texte = `ajoutez au moins ${p.limit} élément${p.limit > 1 ? "s" : ""}.`;
      break;
    case "minLength":
      texte = "le texte ne doit pas être vide.";
      break;
    case "minimum": case "maximum":
      texte = `la valeur ${v} doit être ${e.keyword === "minimum" ? "supérieure ou égale" : "inférieure ou égale"} à ${p.limit}.`;
      break;
    case "exclusiveMinimum":
      texte = `la valeur ${v} doit être supérieure à ${p.limit} : un chiffre nul ou négatif ne décrit pas le ` +
              "territoire ; tapez celui que la source donne, ou retirez-le.";
      break;
    default:
      texte = (e.parentSchema && e.parentSchema.description) || "valeur non conforme au modèle des fiches.";
  }
  return `${champ(collection, chemin) || "Fiche"} : ${texte}`;
}

function erreursSchema(collection, data) {
  const valider = window.GuideValidation[collection];
  if (!valider || valider(data)) return [];
  // `if` only says which `then` failed; the `then` errors say what is missing.
  return [...new Set(valider.errors.filter(e => e.keyword !== "if").map(e => message(e, collection)))];
}

function slugDe(nom) {  // as scripts/nouvelle_fiche.py's derive_slug and macros/guide/modele/slugs.py's slugify
  let t = String(nom).replace(/[’ʼ]/g, "'")
    .replace(/\b(St|Ste)(?:\.|\b)(?=[\s-])/gi, (_, s) => (s.toLowerCase() === "st" ? "Saint" : "Sainte"));
  t = t.replace(/œ/g, "oe").replace(/Œ/g, "Oe").replace(/æ/g, "ae").replace(/Æ/g, "Ae");
  t = t.normalize("NFKD").replace(/[^\x00-\x7f]/g, "").toLowerCase();
  return t.replace(/[^a-z0-9]+/g, "-").replace(/^-+|-+$/g, "");
}

// Checks of the build beyond the schema (macros/guide/modele/validate.py: check_citations, check_dates, the
// levers of join.py; the reserved file names of guide/__init__.py), made here too so that the form does not write
// a fiche that the pull request's checks then refuse.
const DATE_DANS_TEXTE = /(?<![\d-])(\d{4})-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])(?![\d-])/g;
function dateReelle(a, m, j) {
  const d = new Date(Date.UTC(Number(a), Number(m) - 1, Number(j)));
  return d.getUTCFullYear() === Number(a) && d.getUTCMonth() === Number(m) - 1 && d.getUTCDate() === Number(j);
}
function bornes(texte) {  // the two ends of a period « 2019-2021 », AAAA[-MM[-JJ]]/AAAA[-MM[-JJ]] (validate.py, _bornes)
  if (typeof texte !== "string") return null;
  const annees = /^(\d{4})-(\d{4})$/.exec(texte);
  const [debut, fin] = annees ? [annees[1], annees[2]] : [texte.split("/")[0], texte.split("/").slice(1).join("/")];
  const borne = /^\d{4}(?:-\d{2}){0,2}$/;
  return fin && borne.test(debut) && borne.test(fin) ? [debut, fin] : null;
}

function anneeDeDebut(periode) {  // the year a period starts in, or null (validate.py, _annee_de_debut)
  const b = bornes(periode);
  return b ? Number(b[0].slice(0, 4)) : null;
}

function aRebours(texte) {  // « 2014-2011 », « 2016-09-25/2016-09-24 » (validate.py, _a_rebours)
  const b = bornes(texte);
  if (!b) return false;
  const commun = Math.min(b[0].length, b[1].length);
  return b[1].slice(0, commun) < b[0].slice(0, commun);
}
// The citations a text makes in brackets (macros/guide/modele/parentheses.py: a bracket whose every part starts with a
// publication's short name is a citation; what follows the name and its comma is its page, then its section): for
// each part, {part, pid, reste, section}.
const PAGE_CITEE = /^(?:p\.?|pages?)\s*(\d[\d\-–]*(?:\s+et\s+\d[\d\-–]*)*)(?:,\s*(.+))?$/i;  // parentheses._PAGE
const SECTION_ENTRE_GUILLEMETS = /^«[\s\u202f]*(.+?)[\s\u202f]*»(.*)$/s;  // parentheses._SECTION_ENTRE_GUILLEMETS
function citationsEntreParentheses(texte) {
  const out = [];
  for (const m of texte.matchAll(/\(([^()]+)\)/g)) {
    const parts = m[1].split(";").map(p => p.split(/\s+/).filter(Boolean).join(" "));
    const lues = parts.map(p => {
      const trouve = D.noms_courts.find(([nom]) => p === nom || p.startsWith(nom + ","));
      if (!trouve) return null;
      const reste = p.slice(trouve[0].length).replace(/^,/, "").trim();
      const page = PAGE_CITEE.exec(reste);
      const apres = page ? page[2] || "" : reste;
      const entre = SECTION_ENTRE_GUILLEMETS.exec(apres);
      return {part: p, pid: trouve[1], reste, section: entre ? entre[1] + entre[2] : apres};
    });
    if (lues.every(Boolean)) out.push(...lues);
  }
  return out;
}
// The sources a text cites in brackets by their publication alone, « (Étude 2019) ».
function sansPageNiSection(texte) {
  return citationsEntreParentheses(texte).filter(l => !l.reste && !D.pages_web.includes(l.pid)).map(l => l.part);
}
// The sections the fiche's `sources` entries cite, by publication; and the brackets of a text naming a section none
// of them cites (validate.py, check_parentheses): their notes read « Étude 2019, « zoom du champ #1 » », which a
// reader cannot find in the publication (phone QA).
function sectionsCitees(value, out = new Map()) {
  if (Array.isArray(value)) value.forEach(v => sectionsCitees(v, out));
  else if (value && typeof value === "object") {
    if (typeof value.publication === "string" && typeof value.section === "string")
      (out.get(value.publication) || out.set(value.publication, new Set()).get(value.publication)).add(value.section);
    for (const [k, v] of Object.entries(value)) if (k !== "body") sectionsCitees(v, out);
  }
  return out;
}
function sectionsInconnues(texte, citees) {
  return citationsEntreParentheses(texte).filter(l => l.section && !(citees.get(l.pid) || new Set()).has(l.section))
    .map(l => [l.part, l.section]);
}
// HTML in a text, which the pages show as written (validate.py, html_ecrit): a tag, a comment, an automatic link, an
// entity the browser knows (« R&D » is text).
const BALISE = /<(?:\/?[A-Za-z]|!|\?)[^<>\n]{0,60}>?|<[^<> !]+@[^@<> ]+>/;
const ENTITE = /&(?:#[0-9]{1,7};?|#[xX][0-9A-Fa-f]{1,6};?|[A-Za-z][A-Za-z0-9]{1,31};)/g;
function caractere(c) {
  const noms = {"\u00a0": "l'espace insécable", "\u202f": "l'espace fine insécable", " ": "une espace"};
  return noms[c] || (/^\S$/u.test(c) && !/\p{C}/u.test(c) ? `« ${c} »` : `le caractère U+${c.codePointAt(0).toString(16).toUpperCase().padStart(4, "0")}`);
}
function htmlEcrit(ici, texte) {
  const decoder = document.createElement("textarea");
  const trouves = [];
  const balise = texte.includes("<") && BALISE.exec(texte);
  if (balise) trouves.push([balise.index, balise[0], null]);
  for (const m of texte.includes("&") ? texte.matchAll(ENTITE) : []) {
    decoder.innerHTML = m[0];
    if (decoder.value !== m[0]) { trouves.push([m.index, m[0], decoder.value]); break; }
  }
  if (!trouves.length) return null;
  const [, vu, lu] = trouves.sort((a, b) => a[0] - b[0])[0];
  return lu === null
    ? `${ici} : HTML « ${vu} » : une fiche s'écrit en Markdown, sans HTML, qui serait publié tel quel, en texte ; ` +
      "pour un lien, écrivez [texte du lien](https://adresse), pour du gras **texte**."
    : `${ici} : entité HTML « ${vu} » : elle serait publiée telle quelle ; tapez le caractère lui-même (${caractere(lu)}).`;
}

// Where the build reads a text as Markdown (decap.mis_en_forme: a résumé, an encadré), what it refuses there only: a
// paragraph opening with a year and a point, which Markdown makes a numbered list, « 2021. » published « 1. »
// (validate.py, _ANNEE_EN_TETE). The form saved it, and the pull request's check refused it (editor QA).
const MIS_EN_FORME = Object.fromEntries(Object.entries(D.mis_en_forme).map(([c, l]) => [c, new Set(l)]));
const ANNEE_EN_TETE = /(?:^(?:[^\S\n]*\n)*|\n[^\S\n]*\n) {0,3}([12]\d{3})\.[ \t]/;
function anneeEnTete(ici, texte) {
  const m = ANNEE_EN_TETE.exec(texte);
  return m && `${ici} : « ${m[1]}. » : en début de paragraphe, un nombre suivi d'un point ouvre une liste numérotée : ` +
    `la page afficherait « 1. » à la place de « ${m[1]}. » ; écrivez « En ${m[1]}, … » ou « ${m[1]} : … ».`;
}
// A word cut at a line's end, as a PDF prints it (« coopé- ratives »), in any text (validate.py, _COUPURE).
// (The spaces around the line break read in one way only: two runs of them split anyhow backtracked on long runs.)
const COUPURE = /(?<![\p{L}\p{N}_-])(\p{L}{2,})-[^\S\n]*(?:\n[^\S\n]*)?(?<=\s)(?!(?:et|ou|à|ni|voire|comme|puis|mais|sinon|que|plutôt)(?![\p{L}\p{N}_]))(\p{L}{2,})/u;
function motCoupe(ici, texte) {
  const m = texte.includes("-") && COUPURE.exec(texte);
  if (!m) return null;
  const [, debut, fin] = m, entier = `« ${debut}${fin} »`, compose = `« ${debut}-${fin} »`;
  const debutDuMessage = `${ici} : « ${debut}- » : mot coupé en fin de ligne (« ${debut}- ${fin} ») : la page ` +
    "l'afficherait coupé et la recherche ne le trouverait pas ; écrivez-le entier, ";
  return /^\p{Lu}/u.test(fin)  // a compound name cut at its own hyphen, most likely
    ? debutDuMessage + `${compose}, ou ${entier} si le trait d'union n'en fait pas partie.`
    : debutDuMessage + `${entier}, ou ${compose} si le trait d'union en fait partie.`;
}

// A Markdown heading in a field of the header (validate.py, check_titres): « ### … », or a line underlined with
// « = » or « - ». In a résumé it became a heading of the page, between the actions' own.
function titreMarkdown(texte) {
  const atx = /^ {0,3}#{1,6}[^\n]*/m.exec(texte);
  const souligne = texte.includes("\n") ? [...texte.matchAll(/^([^\n]*)\n {0,3}(?:=+|-+)[ \t]*$/gm)].find(m => m[1].trim()) : null;
  const trouve = [atx, souligne].filter(Boolean).sort((a, b) => a.index - b.index)[0];
  return trouve ? trouve[0].split("\n")[0].trim().slice(0, 60) : null;
}

// A list or a table right under a paragraph line: the page printed « Exemple : - une convention - un projet » in one
// line (editor QA). The first such line. validate.py's liste_collee reads the page Python-Markdown makes of the text,
// which the browser cannot: this reads the lines, as its blocks do outside a quote, a box or an item (the build
// checks those).
const DEBUT_DE_LISTE = /^ {0,3}(?:(?:[-*+]|\d{1,9}\.)[ \t]+\S|\|.*\|)/;
// A list meant, not prose an editor's wrapping put at a line's start (« 2021. Elle crée… »): load.py, liste_voulue.
function listeVoulue(lignes, i) {
  const ligne = lignes[i].trim();
  if (ligne.startsWith("|")) return true;
  const avant = lignes.slice(0, i).map(l => l.trim()).filter(Boolean).pop() || "";
  if (avant.endsWith(":")) return true;
  const apres = (lignes[i + 1] || "").trim();
  return DEBUT_DE_LISTE.test(apres) && !apres.startsWith("|");
}
function listeCollee(texte) {
  let avant = "", bloc = null;
  const lignes = texte.split("\n");
  for (const [i, ligne] of lignes.entries()) {
    if (!ligne.trim() || /^#{1,6}(?:[ \t]|$)/.test(ligne)) {
      avant = "";
      if (ligne.trim()) bloc = null;
      continue;
    }
    const debut = DEBUT_DE_LISTE.exec(ligne);
    let genre = debut ? (debut[0].trimStart().startsWith("|") ? "tableau" : "liste") : null;
    if (genre && avant && bloc !== genre && listeVoulue(lignes, i)) return ligne.trim();
    if (genre && avant && bloc !== genre) genre = null;  // prose, read as the paragraph's
    if (genre) bloc = genre;
    else if (bloc === "tableau" || (!avant && !/^(?: {4}|\t)/.test(ligne))) bloc = null;
    else if (!avant) bloc = "suite";
    avant = ligne;
  }
  return null;
}

// An image, typed in Markdown or in the rich text mode (which writes « !\[…](…) »): none is published (validate.py,
// _IMAGE; focused QA: the form saved it without a word).
function imageEcrite(ici, texte) {
  const image = texte.includes("![") || texte.includes("!\\[") ? /!\\?\[[^\]\n]*\\?\]\s?[(\[][^)\]\n]{0,60}[)\]]?/.exec(texte) : null;
  return image ? `${ici} : image « ${image[0]} » : le guide ne publie pas d'image venue d'une fiche (elle disparaîtrait ` +
                 "de la page, sa description aussi) ; décrivez-la dans le texte, ou mettez un lien vers elle : " +
                 "« [description](https://…) »." : null;
}

// Figures written the English way in a text (validate.py, same patterns, same words): « 45.000 € » was saved, then
// stopped the preview of every fiche until corrected (editor QA). \p{L}\p{N}_ where Python's \w is Unicode.
const DECIMALE = /(?<![\p{L}\p{N}_.,\/-])(\d{1,3})\.(\d{1,2})([^\S\n]?(?:%|millions?(?![\p{L}\p{N}_])|milliards?(?![\p{L}\p{N}_])|M€|k€|Md€|€|euros?(?![\p{L}\p{N}_])))/u;
const MILLIERS = /(?<![\p{L}\p{N}_.,\/-])\d{1,3}(?:\.\d{3})+(?![\p{L}\p{N}_]|[,.]\d)(?=[^\S\n]?(?:\p{L}|€|%)|[.,;!?)]?(?:\s|$))/u;
const MILLIERS_VIRGULES = /(?<![\p{L}\p{N}_.,\/-])\d{1,3}(?:,\d{3}){2,}(?:\.\d+)?(?![\p{L}\p{N}_]|[,.]\d)/u;
function nombreAlAnglaise(texte) {
  if (texte.includes(".")) {
    const d = DECIMALE.exec(texte);
    if (d) return [d[0], `en français, la virgule sépare les décimales ; écrivez « ${d[1]},${d[2]}${d[3]} ».`];
    const m = MILLIERS.exec(texte);
    if (m && m[0] !== texte.trim()) return [m[0], `en français, une espace sépare les milliers ; écrivez « ${m[0].replace(/\./g, " ")} ».`];
  }
  if (texte.includes(",")) {
    const v = MILLIERS_VIRGULES.exec(texte);
    if (v) return [v[0], "en français, une espace sépare les milliers (une virgule, les décimales) ; écrivez " +
                         `« ${v[0].replace(/,/g, " ").replace(".", ",")} ».`];
  }
  return null;
}

// An address of this computer or a private network (adresses.adresse_locale): the browser's own URL parser reads the
// host as a browser does (« 0x7f.1 » and « 2130706433 » are 127.0.0.1).
function adresseLocale(adresse) {
  let hote;
  try { hote = new URL(adresse).hostname.toLowerCase().replace(/\.$/, ""); } catch (e) { return false; }
  if (hote.startsWith("[")) return /^\[(::1?|f[cd][0-9a-f]*:.*|fe[89ab][0-9a-f]*:.*|::ffff:(7f|a|c0a8)[0-9a-f]*:.*)\]$/.test(hote);
  const ip = /^(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(hote);
  if (ip) {
    const [a, b] = [Number(ip[1]), Number(ip[2])];
    return a === 0 || a === 10 || a === 127 || (a === 169 && b === 254) || (a === 172 && b >= 16 && b <= 31) ||
           (a === 192 && b === 168) || (a === 100 && b >= 64 && b <= 127) || a >= 224;
  }
  return !hote.includes(".") || ["localhost", "local", "localdomain", "internal", "intranet", "lan", "home", "home.arpa"]
    .some(nom => hote === nom || hote.endsWith("." + nom));
}

// The links of a text to an address of this computer or a private network (validate.py, _liens: « local »), in the
// header's fields and in the text of the page alike: a link typed in the rich-text mode of « Texte de présentation »
// was saved, then refused by the build (editor QA).
function liensLocaux(ici, texte) {
  if (!texte.includes("](")) return [];
  return [...texte.matchAll(/\]\(\s*<?(https?:\/\/[^\s)>]+)/gi)].filter(m => adresseLocale(m[1])).map(m =>
    `${ici} : lien vers « ${m[1]} » : cette adresse est celle d'un ordinateur ou d'un réseau local (l'aperçu du ` +
    "guide, un intranet), qu'aucun lecteur du guide publié ne peut ouvrir. Une page du guide se cite par sa fiche " +
    "(« x.md » depuis une autre fiche territoire, « ../champs/x.md » pour un champ) ; un autre site, par son adresse " +
    "publique complète (https://…).");
}

// A link to a web address without its scheme (validate.py, check_links « www », _DOMAINE_SANS_SCHEMA): saved by the
// form, then refused by the pull request's check (editor QA: « [le règlement](www.testbourg.fr/aap) »).
const DOMAINE_SANS_SCHEMA = new RegExp(D.domaine_sans_schema, "i");  // (validate.DOMAINE_SANS_SCHEMA)
function liensSansProtocole(ici, texte) {
  if (!texte.includes("](")) return [];
  return [...texte.matchAll(/\]\(\s*<?([^\s)>]+)/g)].map(m => m[1])
    .filter(cible => !/^[a-z][a-z0-9+.-]*:/i.test(cible) && DOMAINE_SANS_SCHEMA.test(cible))
    .map(cible => `${ici} : lien vers « ${cible} » : écrivez l'adresse complète, avec https:// (« https://${cible} »).`);
}

// Bold opened and never closed (validate.py, _mise_en_forme_ouverte, which reads the page Python-Markdown makes of
// the text; the browser cannot): a « ** » or « __ » left once code, bare addresses, escaped signs and closed pairs are
// set aside, each replaced by as many letters (the passage is then where the text has it; a letter, not a space,
// keeps the pair around it closed: « **Montant\*** », « **`code`** », attacker QA). A pair may run over lines of one
// paragraph, as Markdown reads it (« **Pacte\nESS** »), and a bare address stops at a bracket or a star
// (« **[le règlement](https://…)** »). The form saved
// « doté de **40 000 euros pour… », and the pull request's check refused it (editor QA). Italics are left to the
// build: a lone star stands for other things too (« 3 *4 », « * voir »).
function grasOuvert(ici, texte) {
  if (!texte.includes("**") && !texte.includes("__")) return null;
  const lettres = m => "x".repeat(m.length), blanc = m => " ".repeat(m.length);
  const reste = texte.replace(/`[^`\n]*`/g, lettres).replace(/(?:https?:\/\/|www\.)[^\s)*\]]+/g, lettres)
    .replace(/\\[*_]/g, lettres).replace(/\*\*(?=\S)(?:[^\n]|\n(?![^\S\n]*\n)){0,1000}?(?<=\S)\*\*/g, blanc)
    .replace(/__(?=\S)(?:[^\n]|\n(?![^\S\n]*\n)){0,1000}?(?<=\S)__/g, blanc);
  const m = /\*\*|(?<![\p{L}\p{N}_])__|__(?![\p{L}\p{N}_])/u.exec(reste);
  if (!m) return null;
  const passage = texte.slice(m.index).split(/\s+/).filter(Boolean).slice(0, 6).join(" ").slice(0, 60);
  return `${ici} : « ${passage} » : gras (« ${m[0]} ») ouvert et jamais fermé : la page afficherait les signes ; ` +
    `fermez-le après le dernier mot en gras (${m[0]}mots en gras${m[0]}), ou retirez-les.`;
}

function erreursDuGuide(collection, value, chemin, out, citees) {
  if (Array.isArray(value)) value.forEach((v, i) => erreursDuGuide(collection, v, [...chemin, String(i)], out, citees));
  else if (value && typeof value === "object") {
    const ici = champ(collection, chemin);
    if (typeof value.publication === "string" && vide(value.page) && vide(value.section) &&
        !D.pages_web.includes(value.publication))
      out.push(`${ici} : citation sans page ni section : ajoutez la page ou la section citée, pour que le lecteur ` +
               "retrouve le passage.");
    if (Array.isArray(value.leviers) && Array.isArray(value.champs)) {
      const permis = new Set(value.champs.flatMap(c => D.leviers[c] || []));
      const titre = l => D.titres_leviers[l] || l;
      for (const l of value.leviers.filter(l => !permis.has(l)))
        out.push(`${champ(collection, [...chemin, "leviers"])} : « ${titre(l)} » n'est pas un levier des champs ` +
                 "d'action de cette action ; choisissez parmi les leviers de ses champs " +
                 `(${[...permis].map(p => `« ${titre(p)} »`).join(", ") || "aucun levier"}), ou ajoutez son champ.`);
    }
    const debut = anneeDeDebut(value.periode);  // an action's year is its period's first (validate.check_dates)
    if (debut !== null && Number.isInteger(value.annee) && value.annee !== debut)
      out.push(`${champ(collection, [...chemin, "annee"])} : l'année ${value.annee} n'est pas celle où commence la ` +
               `période « ${value.periode} » : la page ne montre que la période. Gardez la période seule, ou ` +
               `donnez à « annee » son année de début (${debut}).`);
    for (const k of Object.keys(value)) erreursDuGuide(collection, value[k], [...chemin, k], out, citees);
  } else if (typeof value === "string") {
    const ici = champ(collection, chemin);
    const html = htmlEcrit(ici, value);
    if (html) out.push(html);
    const nombre = nombreAlAnglaise(value);  // validate.py, _DECIMALE, _MILLIERS, _MILLIERS_VIRGULES
    if (nombre) out.push(`${ici} : « ${nombre[0]} » : ${nombre[1]}`);
    const image = imageEcrite(ici, value);
    if (image) out.push(image);
    if ((value.match(/"/g) || []).length % 2) {  // validate.py, _ecrit_autrement: a quote left over (editor QA)
      const i = value.split('"').length === 2 ? value.indexOf('"') : value.lastIndexOf('"');
      out.push(`${ici} : « ${value.slice(0, i + 1).split(/\s+/).filter(Boolean).slice(-5).join(" ")} » : un guillemet ` +
               "droit (\") sans son pendant : la page l'imprimerait tel quel ; retirez-le, ou écrivez la citation entre " +
               "guillemets français, « … ».");
    }
    if (MIS_EN_FORME[collection] && MIS_EN_FORME[collection].has(chemin.map(p => /^\d+$/.test(p) ? "*" : p).join("."))) {
      const annee = anneeEnTete(ici, value);
      if (annee) out.push(annee);
    }
    const coupe = motCoupe(ici, value);
    if (coupe) out.push(coupe);
    const collee = value.includes("\n") && listeCollee(value);
    if (collee)
      out.push(`${ici} : « ${collee.slice(0, 60)} » : une liste (ou un tableau) commence après une ligne vide : collée ` +
               "au paragraphe qui la précède, elle serait publiée au milieu de celui-ci, sur une seule ligne ; laissez " +
               "une ligne vide avant son premier point.");
    if (chemin[chemin.length - 1] === "url" && adresseLocale(value.trim()))  // validate.py, check_ecriture
      out.push(`${ici} : « ${value.trim()} » : cette adresse est celle d'un ordinateur ou d'un réseau local (l'aperçu ` +
               "du guide, un intranet), qu'aucun lecteur du guide publié ne peut ouvrir ; écrivez l'adresse publique " +
               "complète (https://…).");
    out.push(...liensLocaux(ici, value));
    out.push(...liensSansProtocole(ici, value));
    const gras = grasOuvert(ici, value);
    if (gras) out.push(gras);
    const titre = (value.includes("#") || value.includes("\n")) && titreMarkdown(value);
    if (titre)
      out.push(`${ici} : titre Markdown « ${titre} » : un champ de l'en-tête n'a pas de titre (il s'insérerait dans ` +
               "le plan de la page, entre les actions) ; écrivez ce mot en gras (**texte**), ou mettez ce passage " +
               "dans le texte après l'en-tête.");
    if (value.includes("(")) for (const source of sansPageNiSection(value))
      out.push(`${ici} : source « ${source} » entre parenthèses sans page ni section : ajoutez ce qui situe le ` +
               `passage, « (${source}, p. 14) » ou « (${source}, titre de la partie) ».`);
    if (value.includes("(") && citees) for (const [source, section] of sectionsInconnues(value, citees))
      out.push(`${ici} : source « ${source} » entre parenthèses : aucune entrée « sources » de la fiche ne cite la ` +
               `section « ${section} ». Écrivez la section comme une entrée « sources » la nomme, ou ajoutez cette ` +
               "entrée aux « sources » de la fiche.");
    const cle = chemin[chemin.length - 1];
    if ((cle === "titre" || cle === "nom") && /^\s*[“”„‘’‚][^“”„«»]*[“”‘’]\s*$/.test(value))  // validate.py, _ENTRE_GUILLEMETS_ANGLAIS
      out.push(`${ici} : « ${value.trim().slice(0, 80)} » : ces guillemets seraient imprimés avec le ` +
               `${cle} ; tapez-le sans eux (« ${value.trim().slice(1, -1).trim()} ») ; pour une citation, le guide écrit « … ».`);
    if (value.includes("/") && !["date", "periode", "mis_a_jour"].includes(cle))  // validate.py, DATE_FR_DANS_TEXTE
      for (const m of value.matchAll(/(?<![\d\/])(\d{1,2})\/(\d{1,2})\/(\d{4})(?![\d\/])/g))
        if (!dateReelle(m[3], m[2], m[1]))
          out.push(`${ici} : la date « ${m[0]} » n'existe pas dans le calendrier : vérifiez le jour et le mois.`);
    if (cle === "date" || cle === "periode") {  // validate.py, check_dates: the years of the guide
      const hors = [...value.matchAll(/(?<!\d)\d{4}(?!\d)/g)].map(m => m[0]).filter(a => Number(a) < D.annees[0] || Number(a) > D.annees[1]);
      if (hors.length)
        out.push(`${ici} : l'année ${hors[0]} de « ${value} » est hors des années du guide (${D.annees[0]} à ` +
                 `${D.annees[1]}) : vérifiez-la.`);
    }
    if (!value.includes("-")) return out;
    for (const m of value.matchAll(DATE_DANS_TEXTE))
      if (!dateReelle(m[1], m[2], m[3])) out.push(`${ici} : la date « ${m[0]} » n'existe pas dans le calendrier.`);
    if (chemin[chemin.length - 1] === "mis_a_jour" && /^\d{4}-\d{2}-\d{2}$/.test(value) &&
        value > new Date().toISOString().slice(0, 10))
      out.push(`${ici} : la date de mise à jour « ${value} » est à venir : tapez le jour où la fiche a été mise à ` +
               "jour, aujourd'hui au plus tard.");
    if (cle === "date" && [...value.matchAll(/(?<![\d-])\d{4}-(\d{2})(?![\d-])/g)].some(m => Number(m[1]) < 1 || Number(m[1]) > 12))
      out.push(`${ici} : la date « ${value} » n'existe pas dans le calendrier : le mois s'écrit de 01 à 12.`);
    else if ((cle === "date" || cle === "periode") && aRebours(value))  // a chronology's date, an action's period
      out.push(`${ici} : la période « ${value} » finit avant de commencer : écrivez d'abord le début, puis la fin.`);
  }
  return out;
}

// What two titles (or two summaries) of one action share, as doublons.titre_normalise reads them: « L’Économie  sociale, »
// is « l economie sociale ».
function normalise(texte) {
  return (String(texte).replace(/œ/g, "oe").replace(/Œ/g, "Oe").toLowerCase().match(/[\p{L}\p{N}]+/gu) || [])
    .map(mot => mot.normalize("NFKD").replace(/[^\x00-\x7f]/g, "")).filter(Boolean).join(" ");
}

function erreursGuide(collection, data, nouvelle, slug) {
  const out = collection === "sources" ? [] : [...new Set(erreursDuGuide(collection, data, [], [], sectionsCitees(data)))];
  if (collection !== "territoires") return out;
  let plusRecente = null;  // the chronology in the order of its years (validate.py, check_dates)
  (Array.isArray(data.chronologie) ? data.chronologie : []).forEach((e, i) => {
    const annee = e && typeof e.date === "string" && /(?<!\d)\d{4}(?!\d)/.exec(e.date);
    if (!annee) return;
    if (plusRecente && Number(annee[0]) < plusRecente[0])
      out.push(`${champ(collection, ["chronologie", String(i), "date"])} : la chronologie n'est pas dans l'ordre : ` +
               `« ${e.date} » vient après « ${plusRecente[1]} » ; rangez les dates de la plus ancienne à la plus ` +
               "récente, comme la page les montre.");
    else if (!plusRecente || Number(annee[0]) > plusRecente[0]) plusRecente = [Number(annee[0]), e.date];
  });
  // validate.py: a co-porteur that is the fiche itself, a carrier named again among the partners (_porteurs_en_partenaires,
  // on the names the form knows: the fiches' names, not their aliases, which the build checks too)
  (Array.isArray(data.actions) ? data.actions : []).forEach((a, i) => {
    const coporteurs = a && Array.isArray(a.coporteurs) ? a.coporteurs : [];
    coporteurs.forEach((c, j) => {
      if (slug && c === slug)
        out.push(`${champ(collection, ["actions", String(i), "coporteurs", String(j)])} : « ${c} » est cette fiche même : ` +
                 "un coporteur est un autre territoire, qui porte l'action avec celui-ci ; retirez-le.");
    });
    const porteurs = new Map(coporteurs.filter(c => D.fiches.territoires[c]).map(c => [plier(D.fiches.territoires[c]), "est déjà coporteur de cette action"]));
    if (typeof data.nom === "string" && data.nom.trim()) porteurs.set(plier(data.nom), "est le territoire de cette fiche");
    (a && Array.isArray(a.partenaires) ? a.partenaires : []).forEach((p, j) => {
      const role = typeof p === "string" && porteurs.get(plier(p));
      if (role)
        out.push(`${champ(collection, ["actions", String(i), "partenaires", String(j)])} : « ${p} » ${role} : la page le ` +
                 "nommerait deux fois, comme porteur et comme partenaire ; retirez-le des partenaires.");
    });
  });
  // validate.py, SANS_ACTION: a fiche without an action of its own is one another fiche names as co-porteur
  const actions = Array.isArray(data.actions) ? data.actions : [];
  // doublons.py (_actions, _resumes): one action written twice in the fiche, by its title, or by its summary under
  // another title (the same action in two fiches is the build's to tell: the form does not hold every fiche's actions)
  const titres = new Map(), resumes = new Map();
  actions.forEach((a, i) => {
    const titre = a && typeof a.titre === "string" ? normalise(a.titre) : "";
    const resume = a && typeof a.resume === "string" ? normalise(a.resume) : "";
    if (titre && titres.has(titre))
      out.push(`${champ(collection, ["actions", String(i), "titre"])} : l'action « ${a.titre} » figure deux fois dans la ` +
               `fiche (aussi action n° ${titres.get(titre) + 1}) : fusionnez-les en une action, avec toutes leurs sources.`);
    else if (resume && resumes.has(resume) && normalise(actions[resumes.get(resume)].titre || "") !== titre)
      out.push(`${champ(collection, ["actions", String(i), "resume"])} : l'action « ${a.titre} » a le même résumé que ` +
               `l'action n° ${resumes.get(resume) + 1} « ${actions[resumes.get(resume)].titre} » : c'est la même action, ` +
               "écrite deux fois ; fusionnez-les en une action, avec toutes leurs sources.");
    if (titre && !titres.has(titre)) titres.set(titre, i);
    if (resume && !resumes.has(resume)) resumes.set(resume, i);
  });
  if (!actions.length && !(slug && D.portees.includes(slug)))
    out.push(`${champ(collection, ["actions"])} : la fiche n'a aucune action : ajoutez au moins une action (titre, ` +
             "champs, résumé, sources), ou citez ce territoire comme coporteur d'une action d'une autre fiche.");
  if (nouvelle && data.nom && !slug)
    out.push(`Nom officiel : « ${data.nom} » ne donne aucun nom de fichier (lettres latines, chiffres) : écrivez le ` +
             "nom de la collectivité en français.");
  if (nouvelle && slug && D.reservees.includes(slug))
    out.push(`Nom officiel : « ${slug} » est l'adresse d'une page du site (territoires/${slug}/), que la fiche ` +
             "remplacerait : donnez le nom complet de la collectivité.");
  if (nouvelle && slug && D.fiches.territoires[slug])
    out.push(`Nom officiel : une fiche porte déjà l'identifiant « ${slug} » (${D.fiches.territoires[slug]}) : ` +
             "modifiez cette fiche plutôt que d'en créer une seconde.");
  for (const cle of ["code_insee", "siren"]) {
    // the code with the list it belongs to (referentiel.cle_de_code): « 44 » is a département and, among regions, Grand Est
    const liste = cle === "siren" ? "siren" : D.listes[data.type] || String(data.type);
    const deja = data[cle] && D.codes[`${cle}:${liste}:${String(data[cle]).trim()}`];
    if (deja && deja !== slug)
      out.push(`${champ(collection, [cle])} : « ${data[cle]} » est déjà le code de la fiche « ${D.fiches.territoires[deja] || deja} » ` +
               `(fiches/territoires/${deja}.md) : complétez cette fiche plutôt que d'en créer une seconde.`);
  }
  return out;
}

const panneau = document.getElementById("guide-erreurs");
function montrerErreurs(erreurs) {
  const liste = panneau.querySelector("ul");
  liste.replaceChildren(...erreurs.map(e => Object.assign(document.createElement("li"), {textContent: e})));
  panneau.hidden = !erreurs.length;
}
panneau.querySelector("button").addEventListener("click", () => { panneau.hidden = true; });

// A field that breaks one of Decap's own rules (a pattern, « 7 décembre 2026 » for a date) stops a save before preSave,
// and Decap says so only on the field, often out of view: « Publier maintenant » did nothing visible (editor QA). After
// a click on a save, the fields' errors are listed in the form's frame, and the first is brought into view.
document.addEventListener("click", ev => {
  const cible = ev.target.closest && ev.target.closest("button, [role=menuitem], [role=button]");
  if (!cible || !/publier|enregistrer/i.test(cible.textContent || "")) return;
  setTimeout(() => {
    // (the class Decap's styled list of a field's errors carries its component's name: « …-ControlErrorsList »)
    const erreurs = [...document.querySelectorAll('[class*="ControlErrorsList"] li')].filter(li => li.textContent.trim());
    if (!erreurs.length) return;
    montrerErreurs(erreurs.map(li => {
      const bloc = li.closest('[class*="ControlContainer"]');
      const libelle = bloc && bloc.querySelector("label"), texte = li.textContent.trim();
      // (the field's name once: a message that names it already, « Date : format incorrect… », read « Date : Date : »)
      const nom = libelle ? libelle.textContent.replace(/\s*\(optionnel\)\s*$/i, "").trim() : "";
      return `${nom && !texte.includes(nom) ? nom + " : " : ""}${texte} Rien n'est enregistré tant ` +
             "que ce champ n'est pas corrigé.";
    }));
    erreurs[0].scrollIntoView({block: "center"});
  }, 400);
}, true);

// The build's report while the form runs on this computer (the preview of CONTRIBUTING: `mkdocs serve` and
// decap-server): a save wrote the file and said « Entrée enregistrée », the build then refused the fiche, and
// the report the preview puts at the top of its pages stayed under Decap's editor (editor QA). The admin page is
// read again every few seconds; its report, if any, is shown in the form's frame, and goes when the site builds.
// A published site serves no report: nothing is shown there.
const rapport = document.getElementById("guide-construction");
let rapportMasque = null;  // the report the editor hid: shown again only if it changes
rapport.querySelector("button").addEventListener("click", () => {
  rapport.hidden = true;
  rapportMasque = rapport.querySelector("pre").textContent;
});
let lectureEnCours = false;  // one reading at a time: a slow server queued them (attacker QA)
async function lireLeRapport() {
  if (lectureEnCours) return;
  lectureEnCours = true;
  try {
    await lireLeRapportUneFois();
  } finally {
    lectureEnCours = false;
  }
}
async function lireLeRapportUneFois() {
  let texte = null;
  try {
    const reponse = await fetch(location.pathname, {cache: "no-store"});
    // An error page or a huge reply says nothing of the build: the frame stays as it was.
    if (!reponse.ok || Number(reponse.headers.get("content-length") || 0) > 5e6) return;
    const page = new DOMParser().parseFromString(await reponse.text(), "text/html");
    const bandeau = page.querySelector("#guide-erreur-apercu pre");
    texte = bandeau ? bandeau.textContent.trim() : "";
  } catch (e) {
    return;  // the preview restarting: the next reading tells
  }
  rapport.querySelector("pre").textContent = texte;
  rapport.hidden = !texte || texte === rapportMasque;
  if (!texte) rapportMasque = null;
}
if (/^(127\.0\.0\.1|localhost|\[::1\])$/.test(location.hostname)) {
  lireLeRapport();
  setInterval(lireLeRapport, 3000);
}

// The fiche as the build will read it: the text the form writes, read back as the build reads YAML
// (YAML 1.1 dates included, which the schema refuses where a text is expected).
function telleQuEcrite(collection, data) {
  const formats = CMS.getCustomFormatsFormatters();
  const f = formats.get ? formats.get("fiche-" + collection) : formats["fiche-" + collection];
  const texte = f.toFile(data);
  const m = collection === "sources" ? null : FRONT.exec(texte);
  return jsyaml.safeLoad(collection === "sources" ? texte : (m && m[1]) || "", {schema: jsyaml.DEFAULT_SAFE_SCHEMA}) || {};
}

// What stops a save, in French: figures the form cannot read as typed, then what the build would refuse.
function erreursAvantEnregistrement(collection, saisie, nouvelle, slug) {
  const chiffres = erreursChiffres(collection, saisie, D.ordre[collection], [], []);
  const fiche = telleQuEcrite(collection, saisie);  // (a figure it cannot read stays text there)
  const nombre = typeof saisie.body === "string" && nombreAlAnglaise(saisie.body);  // (validate.py, check_ecriture)
  const corps = typeof saisie.body === "string" ?
    [htmlEcrit("Texte de présentation", saisie.body), imageEcrite("Texte de présentation", saisie.body),
     nombre && `Texte de présentation : « ${nombre[0]} » : ${nombre[1]}`,
     anneeEnTete("Texte de présentation", saisie.body), motCoupe("Texte de présentation", saisie.body),
     ...liensLocaux("Texte de présentation", saisie.body), ...liensSansProtocole("Texte de présentation", saisie.body),
     grasOuvert("Texte de présentation", saisie.body)].filter(Boolean) : [];
  // Every fault at once: a page typed « p.58 » and a lever of another champ were told one save after the other
  // (editor QA). A figure's own message stands alone for its field, without the schema's « attendu un nombre ».
  const champDe = e => e.slice(0, e.indexOf(" : "));
  const lus = new Set(chiffres.map(champDe));
  const autres = [...erreursSchema(collection, fiche), ...erreursGuide(collection, fiche, nouvelle, slug), ...corps];
  return [...chiffres, ...autres.filter(e => !lus.has(champDe(e)))];
}

CMS.registerEventListener({
  name: "preSave",
  handler: ({entry}) => {
    const collection = entry.get("collection");
    let data = entry.get("data");
    const nouvelle = entry.get("newRecord");
    const nom = data.get("nom");
    const slug = nouvelle ? (nom ? slugDe(nom) : "") : entry.get("slug");
    if (nouvelle && collection === "territoires") data = data.set(IDENTIFIANT, slug);
    const erreurs = erreursAvantEnregistrement(collection, data.toJS(), nouvelle, slug);
    montrerErreurs(erreurs);
    if (erreurs.length) {
      const e = new Error(erreurs.join(" "));
      const quoi = collection === "sources" ? "la liste des publications" : "la fiche";
      e.toString = () => `${quoi} a ${erreurs.length} erreur${erreurs.length > 1 ? "s" : ""} (détail en bas de la page). ` + erreurs[0];
      throw e;
    }
    return data;
  },
});

// ---------------------------------------------------------------------------------------------------
// A new territory chosen in the official reference: the form is opened again with nom, type, region and
// code filled (Decap fills a new entry's fields from the address: #/collections/territoires/new?nom=…).

let referentiel = null;
function chargerReferentiel() {
  referentiel = referentiel || fetch(D.referentiel).then(r => r.json());
  return referentiel;
}
const plier = s => s.normalize("NFKD").replace(/[\u0300-\u036f]/g, "").toLowerCase().replace(/[^a-z0-9]+/g, " ").trim();
// Words an editor abbreviates where the reference writes them out (referentiel.ABREVIATIONS): « Seine St Denis ».
const ABREVIATIONS = {st: "saint", ste: "sainte", sts: "saints", stes: "saintes"};

// The reference's lines for what was typed, at most 30: the name itself first, then a name that starts with what
// was typed, then one with a word that does, then the rest, each in the reference's order (« Rennes » came
// thirteenth, after La Réunion and several Varennes). `lignes`: [{l, nom, cle}], names folded by `plier`.
function trouverDansLeReferentiel(lignes, requete) {
  const mots = plier(requete).split(" ").filter(Boolean).map(m => ABREVIATIONS[m] || m), q = mots.join(" ");
  const rang = x => x.nom === q ? 0 : x.nom.startsWith(q) ? 1 : (" " + x.nom).includes(" " + q) ? 2 : 3;
  return !mots.length ? [] : lignes.filter(x => mots.every(m => x.cle.includes(m))).map((x, i) => [rang(x), i, x.l])
    .sort((a, b) => a[0] - b[0] || a[1] - b[1]).slice(0, 30).map(r => r[2]);
}
const lignesDuReferentiel = r => r.lignes.map(l => ({l, nom: plier(l[0]), cle: plier(l[0] + " " + l[4])}));

const Referentiel = createClass({
  getInitialState() { return {requete: "", resultats: [], pret: false}; },
  componentDidMount() {
    if (!this.props.entry.get("newRecord")) return;  // 3 MB, read only to create a fiche
    chargerReferentiel().then(r => {
      this.lignes = lignesDuReferentiel(r);
      this.setState({pret: true, millesime: r.millesime});
      this.chercher(this.state.requete);  // what was typed while the reference was loading
    });
  },
  chercher(requete) {
    this.setState({requete, resultats: this.lignes ? trouverDansLeReferentiel(this.lignes, requete) : []});
  },
  choisir(l) {
    const [nom, type, region, cle, code] = l;
    const valeurs = {nom, type, region: region || "", code_insee: cle === "code_insee" ? code : "",
                     siren: cle === "siren" ? code : ""};
    // Decap gives a widget the setter of its own field only. The editor pane above it sets any field of
    // the entry (onChange(field, value)): it is found among the React components that hold this widget.
    // (Decap can also fill a new entry from the address, #/…/new?nom=…, but escapes the values as HTML:
    // « Saint-Martin-d&#039;Hères ».) Decap is pinned (package.json); tests/test_decap.py fills a fiche so.
    let f = this._reactInternals;
    while (f && !(f.memoizedProps && f.memoizedProps.fields && f.memoizedProps.entry && f.memoizedProps.onChange))
      f = f.return;
    if (!f) {
      this.setState({erreur: "Le formulaire n'a pas pu remplir les champs : recopiez-les depuis cette ligne."});
      return;
    }
    const {fields, onChange} = f.memoizedProps;
    for (const [name, value] of Object.entries(valeurs)) {
      const field = fields.find(x => x.get("name") === name);
      if (field) onChange(field, value);
    }
    this.props.onChange(`${nom} (${cle === "siren" ? "SIREN" : "code INSEE"} ${code})`);
    this.setState({requete: "", resultats: [], erreur: null});
  },
  ouvrir(slug) {
    // Decap keeps the new entry's editor when only the address changes: the fiche showed empty, marked « Publiée »
    // (editor QA). The admin page is loaded again at the fiche's address (its scripts come from the cache).
    location.hash = "#/collections/territoires/entries/" + slug;
    location.reload();
  },
  render() {
    const id = this.props.forID;
    if (!this.props.entry.get("newRecord"))
      return h("p", {className: this.props.classNameWrapper}, "Le territoire de cette fiche est déjà choisi.");
    return h("div", {className: this.props.classNameWrapper},
      this.props.value ? h("p", {style: {margin: "0 0 0.5rem"}}, "Choisi : " + this.props.value) : null,
      this.state.erreur ? h("p", {role: "alert"}, this.state.erreur) : null,
      h("input", {id, type: "search", value: this.state.requete, onChange: ev => this.chercher(ev.target.value), autoComplete: "off",
                  placeholder: this.state.pret ? "Nom ou code (ex. « Villeneuve-d'Ascq », « 59009 »)" : "Chargement du référentiel…",
                  "aria-describedby": id + "-aide", style: {width: "100%", padding: "0.5rem", fontSize: "1rem"}}),
      this.state.millesime ? h("p", {id: id + "-aide", style: {margin: "0.25rem 0 0", fontSize: "0.85rem"}},
        `Découpage administratif d'Etalab, millésime ${this.state.millesime}.`) : null,
      // A name the reference does not hold showed nothing, and an editor did not know what to do next (editor QA).
      h("p", {role: "status", style: {margin: "0.5rem 0 0"}},
        this.state.pret && this.state.requete.trim().length >= 3 && !this.state.resultats.length
          ? "Aucun territoire de ce nom ni de ce code dans le découpage administratif. Vérifiez l'orthographe, ou " +
            "cherchez par le code INSEE ou le SIREN. Si la collectivité n'y figure pas, remplissez vous-même le nom, " +
            "le type et la région ci-dessous, et dites dans « Sans code officiel : pourquoi » ce qui l'explique."
          : ""),
      h("ul", {role: "list", style: {listStyle: "none", padding: 0, margin: "0.5rem 0 0"}},
        this.state.resultats.map(l => h("li", {key: `${l[1]}:${l[3]}:${l[4]}`},  // a region and a département share a code
          // A territory the guide already has opens its fiche: a second fiche for the same code is refused.
          h("button", {type: "button", onClick: () => (l[6] ? this.ouvrir(l[6]) : this.choisir(l)),
                       style: {display: "block", width: "100%", textAlign: "left", padding: "0.4rem", margin: "2px 0",
                               border: "1px solid #ccc", borderRadius: "4px", background: l[6] ? "#f1f1f1" : "#fff",
                               color: "#222", cursor: "pointer", font: "inherit"}},
            `${l[0]} — ${l[5]} (${l[3] === "siren" ? "SIREN" : "code INSEE"} ${l[4]})` +
            (l[6] ? ` : déjà dans le guide, ouvrir sa fiche` : ""))))));
  },
});
CMS.registerWidget("referentiel", Referentiel);

// ---------------------------------------------------------------------------------------------------
// Previews: the guide's typography, names rather than identifiers.

const nomChamp = s => D.fiches.champs[s] || s;
const nomPublication = s => D.publications[s] || s;
const liste = (data, k) => (data.get(k) && data.get(k).toJS ? data.get(k).toJS() : []);
const citer = sources => "Source : " + sources.map(
  s => [nomPublication(s.publication), s.page && "p. " + s.page, s.section].filter(Boolean).join(", ")).join(" ; ");

// The free text as the preview shows it: its « < » written as an entity, so that Markdown shows it as text. Decap's
// preview reads raw HTML in Markdown and its sanitiser keeps <style>: a fiche's <style> made its whole preview pane
// a link « Session expirée » to another site (attacker QA). The site publishes no HTML of a fiche (the validator
// refuses it), and neither does the preview: what it shows is what the editor typed.
const sansHtml = data => data.set("body", String(data.get("body") || "").replace(/</g, "&lt;"));

const Territoire = createClass({
  render() {
    const data = this.props.entry.get("data");
    return h("article", {className: "md-typeset", style: {padding: "1rem"}},
      h("h1", {}, data.get("nom") || "Nouveau territoire"),
      h("p", {className: "guide-chapeau"},
        [D.types[data.get("type")] || data.get("type"), data.get("region")].filter(Boolean).join(" · ")),
      liste(data, "actions").map((a, i) => h("section", {key: i},
        h("h2", {}, a.titre || "Action n° " + (i + 1)),
        h("p", {className: "guide-meta"}, [a.annee, (a.champs || []).map(nomChamp).join(", ")].filter(Boolean).join(" · ")),
        h("p", {}, a.resume || ""),
        (a.coporteurs || []).length ? h("p", {}, "Avec : " + a.coporteurs.map(c => D.fiches.territoires[c] || c).join(", ")) : null,
        h("p", {className: "guide-source"}, citer(a.sources || [])))),
      liste(data, "sources").length ? h("p", {className: "guide-source"}, citer(liste(data, "sources"))) : null,
      this.props.widgetFor("body", undefined, sansHtml(data)));
  },
});
CMS.registerPreviewTemplate("territoires", Territoire);

const Champ = createClass({
  render() {
    const data = this.props.entry.get("data");
    return h("article", {className: "md-typeset", style: {padding: "1rem"}},
      h("h1", {}, data.get("titre") || "Nouveau champ"),
      h("p", {className: "guide-chapeau"}, data.get("resume") || ""),
      liste(data, "voir_aussi").length ? h("p", {}, "Voir aussi : " +
        liste(data, "voir_aussi").map(v => nomChamp(v.champ)).join(", ")) : null,
      liste(data, "sources").length ? h("p", {className: "guide-source"}, citer(liste(data, "sources"))) : null,
      this.props.widgetFor("body", undefined, sansHtml(data)));
  },
});
CMS.registerPreviewTemplate("champs", Champ);

// No image from a fiche is published (the validator refuses them, the sanitiser keeps none): Decap's media library,
// whose uploads the page's security policy blocks, said « Failed to persist media » in English (editor QA). In its
// place, a library of Decap's own API that has no page of its own (its « Médias » button goes) and, where an image
// is asked for, says why there is none and what to write instead.
CMS.registerMediaLibrary({
  name: "guide-sans-images",
  init: () => ({
    show: () => montrerErreurs(["Le guide ne publie pas d'image venue d'une fiche : décrivez-la dans le texte, ou " +
                                "mettez un lien vers elle, [description](https://…)."]),
    hide: () => {},
    enableStandalone: () => false,
  }),
});

// Decap's French (decap-cms-locales) leaves 46 phrases in English, which Decap then shows: « Strikethrough » in the
// text toolbar, « Account options dropdown », « Toggle to markdown mode »… (editor QA). Its French is completed here
// with the form's own words, where it has none; a phrase Decap's French has is kept. (A test compares every English
// phrase of the loaded Decap with the French one.)
const FRANCAIS_MANQUANT = {
  auth: {loginWithForgejo: "Se connecter avec Forgejo"},
  collection: {
    collectionTop: {viewAsList: "Afficher en liste", viewAsGrid: "Afficher en grille"},
    entries: {unpublishedHeader: "Fiches non publiées"},
  },
  editor: {
    editorControl: {field: {widgetLabel: "champ %{widgetLabel}"}},
    editorControlPane: {i18n: {
      copyFromLocale: "Remplir depuis une autre langue",
      copyFromLocaleConfirm: "Remplir avec le contenu de la langue %{locale} ?\nTout le contenu actuel sera remplacé.",
    }},
    editorInterface: {toggleNotes: "Afficher ou masquer les notes"},
    editorNotesPane: {
      title: "Notes", emptyState: "Aucune note pour l'instant. Ajoutez la première ci-dessous.",
      addNote: "Ajouter une note", addPlaceholder: "Ajouter une note…", editPlaceholder: "Modifier la note…",
      save: "Enregistrer", cancel: "Annuler", edit: "Modifier", delete: "Supprimer", resolve: "Marquer comme résolue",
      unresolve: "Rouvrir", confirmDelete: "Supprimer cette note ?",
      shortcut: "Astuce : Ctrl+Entrée ajoute la note.",
    },
    editorToolbar: {
      statusInfoTooltipDraft: "La fiche est en brouillon. Pour la proposer à la relecture, passez son statut à « En relecture ».",
      statusInfoTooltipInReview: "La fiche est en relecture : rien d'autre à faire. Vous pouvez encore la modifier pendant ce temps.",
    },
    editorWidgets: {
      markdown: {strikethrough: "Barré", toggleMode: {rich: "Passer en mode texte enrichi",
                                                     markdown: "Passer en mode Markdown"}},
      image: {chooseMultiple: "Choisir des images", addMore: "Ajouter des images", removeAll: "Retirer toutes les images"},
      file: {chooseMultiple: "Choisir des fichiers", addMore: "Ajouter des fichiers", removeAll: "Retirer tous les fichiers"},
      datetime: {setToNow: "Mettre %{fieldLabel} à maintenant"},
      object: {expand: "Déplier", collapse: "Replier"},
    },
  },
  mediaLibrary: {mediaLibraryModal: {close: "Fermer"}},
  ui: {
    settingsDropdown: {account: "Menu du compte"},
    toast: {
      noteAdded: "Note ajoutée", onFailToAddNote: "La note n'a pas pu être ajoutée : %{details}",
      noteUpdated: "Note modifiée", onFailToUpdateNote: "La note n'a pas pu être modifiée : %{details}",
      noteDeleted: "Note supprimée", onFailToDeleteNote: "La note n'a pas pu être supprimée : %{details}",
      noteResolved: "Note résolue", noteReopened: "Note rouverte",
      onFailToToggleNote: "L'état de la note n'a pas pu être changé : %{details}",
    },
  },
};

/** `francais` with what it lacks taken from `complement`, at any depth. */
function completer(francais, complement) {
  const out = {...francais};
  for (const [cle, valeur] of Object.entries(complement)) {
    if (valeur && typeof valeur === "object") out[cle] = completer(out[cle] && typeof out[cle] === "object" ? out[cle] : {}, valeur);
    else if (out[cle] === undefined) out[cle] = valeur;
  }
  return out;
}
// …and one of its phrases in the form's words: « Le champ Date ne correspond pas au schéma: … » (editor QA: jargon, and
// no space before the colon).
const francais = completer(CMS.getLocale("fr") || {}, FRANCAIS_MANQUANT);
francais.editor.editorControlPane.widget = {...francais.editor.editorControlPane.widget,
                                            regexPattern: "%{fieldLabel} : %{pattern}."};
CMS.registerLocale("fr", francais);

window.GuideFormulaire = {slugDe, format, erreursAvantEnregistrement,  // for the tests
                          trouverDansLeReferentiel, lignesDuReferentiel};
CMS.init();
