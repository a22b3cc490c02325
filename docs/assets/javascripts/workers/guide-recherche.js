/* Search worker of the guide: Material's search box, Pagefind's index.
 *
 * overrides/main.html points Material's search at this file, which speaks Material's worker protocol
 * (SETUP → READY, QUERY → RESULT: Material's src/templates/assets/javascripts/integrations/search/worker)
 * and answers from Pagefind, asked as ../guide-requete.js says (French the engine does not fold).
 * Material keeps its header box, keys (/ and s, arrows, Enter, Esc), result list with sections,
 * instant navigation and the highlighting of the opened page (`?h=`, from each result's `terms`).
 * Pagefind's files are loaded on the first word typed, then only the index chunks and page fragments a
 * query needs: nothing is downloaded for a page view without a search.
 */
"use strict"

importScripts(new URL("../guide-requete.js", self.location.href).href)

var SETUP = 0, READY = 1, QUERY = 2, RESULT = 3  // Material's SearchMessageType
var AFFICHES = 9  // results whose fragment is loaded: with the link to all results, the ten Material
                  // shows before any scrolling (it renders the rest on scroll only)
var ATTENTE = 300  // ms without typing before searching (Pagefind's own debounce): no index chunk or
                  // fragment is loaded for the half-typed words of a quick typist
var R = self.GuideRequete
var racine = new URL("../../../", self.location.href)  // this file is <site>/assets/javascripts/workers/
var derniere = 0  // number of the latest query: answers to older ones are dropped

/** One Pagefind result as Material's list of documents: the page, then the sections holding the words. */
function documents(donnees, score) {
  var sections = R.sections(donnees).slice(0, 6)
  var termes = {}  // Material builds `?h=` from the terms found: the words as this page writes them
  R.marques([donnees.excerpt].concat(sections.map(function (s) { return s.excerpt })))
    .forEach(function (mot) { termes[mot] = true })
  var type = R.type(donnees)
  var page = {
    location: R.adresse(donnees.url.replace(/#.*$/, ""), []),
    // Material writes titles and texts as HTML: Pagefind's excerpts are escaped, with <mark> around the words.
    title: '<span class="guide-resultat-type" data-type="' + R.echapper(type) + '">' + R.echapper(type) +
      '<span class="guide-sr"> : </span></span>' + R.echapper(donnees.meta.title || ""),
    text: donnees.excerpt, score: score, terms: termes
  }
  // The two sections holding most matches are shown; Material folds the others (« N de plus sur cette page »).
  return [page].concat(sections.map(function (s, i) {
    return { location: R.adresse(s.url, []), title: R.echapper(s.title), text: s.excerpt,
             score: i < 2 ? score : score / 2, terms: termes }
  }))
}

/** The last word typed, completed with a word of the results, written as typed (search.suggest). */
function suggestion(saisie, termes) {
  var dernier = saisie.split(/[\s-]+/).pop()
  if (!dernier || dernier.length < 2) return []
  for (var i = 0; i < termes.length; i++) {
    var mot = termes[i], plie = R.plier(mot)
    if (mot.length <= dernier.length) continue
    if (mot.indexOf(dernier.toLowerCase()) === 0) return [mot]
    // Typed without accents: completed without them (Material shows a completion that starts as typed).
    if (plie.length === mot.length && plie.indexOf(R.plier(dernier)) === 0) return [dernier + plie.slice(dernier.length)]
  }
  return []
}

function repondre(numero, saisie) {
  if (!R.mots(saisie).length) return Promise.resolve({ items: [] })
  var liste
  return R.charger(racine).then(function (pagefind) {
    liste = R.mots(saisie)
    return R.chercher(pagefind, liste)
  }).then(function (resultats) {
    if (numero !== derniere) return null
    return Promise.all(resultats.slice(0, AFFICHES).map(function (r) { return r.data() })).then(function (pages) {
      var items = R.ordonner(pages, liste).map(function (donnees, i) { return documents(donnees, AFFICHES - i) })
      var termes = [].concat.apply([], items.map(function (docs) { return Object.keys(docs[0].terms) }))
      if (items.length) {
        // Last: every result of the query, with the filters (docs/recherche.md). Material's count line
        // says « Meilleurs résultats » (overrides/main.html): this item gives the count.
        items.push([{
          location: "recherche/?mots=" + encodeURIComponent(saisie.trim()),
          title: "Tous les résultats (" + resultats.length + ") et filtres",
          text: "Affiner par type de page, région, type de collectivité et champ d'action.",
          score: 0, terms: {}
        }])
      }
      return { items: items, suggest: suggestion(saisie.trim(), termes) }
    })
  })
}

self.addEventListener("message", function (event) {
  var message = event.data
  if (message.type === SETUP) {
    self.postMessage({ type: READY })  // Material's documents are empty: Pagefind loads on the first word
  } else if (message.type === QUERY) {
    var numero = ++derniere
    var saisie = String(message.data || "")
    setTimeout(function () {
      if (numero !== derniere) return
      repondre(numero, saisie).then(function (resultat) {
        if (resultat && numero === derniere) self.postMessage({ type: RESULT, data: resultat })
      }).catch(function (erreur) {
        console.error("Recherche indisponible :", erreur)
        if (numero === derniere) self.postMessage({ type: RESULT, data: { items: [] } })
      })
    }, saisie.trim() ? ATTENTE : 0)
  }
})
