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
function documents(donnees, score, liste) {
  var sections = R.sections(donnees, true).slice(0, 6)
  var termes = {}  // Material builds `?h=` from the terms found: the words as this page writes them
  R.surligner([donnees.excerpt].concat(sections.map(function (s) { return s.excerpt })), liste)
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
    // A section whose passage the list already shows above (an action a champ page lists under two levers) says so,
    // rather than show its heading over nothing (search QA: « ESUS », « cantine » listed empty sections).
    return { location: R.adresse(s.url, []), title: R.echapper(s.title),
             text: s.excerpt || "<em>Le même passage que ci-dessus, aussi dans cette section.</em>",
             score: i < 2 ? score : score / 2, terms: termes }
  }))
}

/** The last word typed, completed with the guide's most frequent word that starts with it, written as
 *  typed (Material's search.suggest): with the page's accents when typed with them, without when typed
 *  without (Material shows a completion that starts as typed). */
function suggestion(saisie) {
  var dernier = saisie.split(/[\s-]+/).pop()
  if (!dernier || dernier.length < 2) return Promise.resolve([])
  // A word the guide writes whole, more often than any longer one, is not completed into another: « grand est »
  // showed « grand estime », and the → key, which accepts the completion, left 2 results (search QA).
  return R.completerLeMot(dernier).then(function (completer) {
    return completer ? R.completions(dernier) : []
  }).then(function (mots) {
    for (var i = 0; i < mots.length; i++) {
      var mot = mots[i].toLowerCase(), plie = R.plier(mot)
      if (mot.indexOf(dernier.toLowerCase()) === 0) return [mot]
      if (R.plier(dernier) === dernier.toLowerCase() && plie.length === mot.length) return [dernier + plie.slice(dernier.length)]
    }
    return []
  })
}

/** The list for words no page holds: what is missing, and the guide's words near it, each a link to the
 *  results page of the query so corrected. */
function introuvable(saisie, reponse, reste) {
  var manque = reponse.inconnus.map(function (i) { return "« " + i.mot + " »" }).join(", ")
  var items = [[{
    location: "recherche/?mots=" + encodeURIComponent(saisie.trim()),
    title: "Aucun résultat pour « " + R.echapper(saisie.trim()) + " »",
    text: R.echapper((reponse.inconnus.length > 1 ? "Ces mots ne figurent" : "Ce mot ne figure") +
      " dans aucune page du guide : " + manque + "."),
    score: 0, terms: {}
  }]]
  // The near words first, then the other words of the query alone, then the list of territories (phone QA:
  // « Haguneau » showed the list of territories first, « Vouliez-vous dire « haguenau » ? » under it; search QA:
  // « monaie locale » offered « locale » alone before « monnaie », as the results page does not).
  reponse.inconnus.forEach(function (inconnu) {
    inconnu.suggestions.forEach(function (mot, i) {
      var corrigee = R.corriger(saisie, inconnu.mot, mot)
      items.push([{
        location: "recherche/?mots=" + encodeURIComponent(corrigee),
        title: "Vouliez-vous dire « " + R.echapper(mot) + " » ?",
        text: "Mot proche de « " + R.echapper(inconnu.mot) + " » dans le guide.",
        score: 0, terms: {}
      }])
    })
  })
  // The other words of the query, searched without the missing ones (R.sansInconnus), when they find pages.
  if (reste) {
    items.push([{
      location: "recherche/?mots=" + encodeURIComponent(reste.mots),
      title: "Chercher seulement « " + R.echapper(reste.mots) + " » : " +
        (reste.nombre === 1 ? "1 résultat" : reste.nombre + " résultats"),
      text: R.echapper("La même recherche, sans " + manque + "."),
      score: 0, terms: {}
    }])
  }
  items.push([{
    location: "territoires/",
    title: "Parcourir les territoires du guide",
    text: "Un territoire sans fiche n'apparaît dans aucune page : la liste des territoires du guide, par région et par type.",
    score: 0, terms: {}
  }])
  // …and a subject the publications do not treat (« piscine »), the levers they do: the list offered only
  // territories, as if every word typed were a place (reader QA).
  items.push([{
    location: "leviers/",
    title: "Parcourir les leviers d'action",
    text: "Un sujet que les publications ne traitent pas n'a pas de page : les leviers d'action du guide, par champ.",
    score: 0, terms: {}
  }])
  return items
}

/** A query that names a département by its code or a postcode, or a type of collectivité, also leads to the
 *  territories of that département or type (the finder filtered on it), right after the first line of the list. */
function avecRaccourcis(saisie, resultat) {
  // (not for a territory's or a page's own name: « Nantes Métropole » offered « « Nantes » dans les territoires du
  // type : Métropole », « Plaine Commune » the communes named « Plaine »; search QA)
  if (!resultat || resultat.titreExact) return resultat
  return R.raccourcis(R.mots(saisie)).then(function (raccourcis) {
    var items = raccourcis.map(function (c) {
      return [{ location: c.adresse, title: R.echapper(c.titre), text: R.echapper(c.texte), score: AFFICHES + 1.5, terms: {} }]
    })
    Array.prototype.splice.apply(resultat.items, [resultat.items.length ? 1 : 0, 0].concat(items))
    return resultat
  })
}

function repondre(numero, saisie) {
  if (!R.mots(saisie).length) return Promise.resolve({ items: [] })
  var liste, moteur
  return R.charger(racine).then(function (pagefind) {
    liste = R.mots(saisie)
    moteur = pagefind
    // Material sends the box's words trimmed: the last one is taken as being typed (completed when it is
    // not a word of the guide yet).
    return R.chercher(pagefind, liste, null, true)
  }).then(function (reponse) {
    if (numero !== derniere) return null
    if (!reponse.resultats.length && reponse.inconnus.length) {
      return R.sansInconnus(moteur, saisie, reponse.inconnus, null).then(function (reste) {
        return { items: introuvable(saisie, reponse, reste) }
      })
    }
    if (!reponse.resultats.length && reponse.ignores.length) {
      return { items: [[{
        location: "recherche/?mots=" + encodeURIComponent(saisie.trim()),
        title: "Aucun résultat pour « " + R.echapper(saisie.trim()) + " »",
        text: "Les mots d'une lettre (" + reponse.ignores.map(function (m) { return "« " + R.echapper(m) + " »" }).join(", ") +
          ") figurent dans presque toutes les pages : ils ne sont pas cherchés. Saisir un mot plus long.",
        score: 0, terms: {}
      }]] }
    }
    if (!reponse.resultats.length) return { items: [] }
    var resultats = reponse.resultats
    return Promise.all(resultats.slice(0, AFFICHES).map(function (r) { return r.data() })).then(function (pages) {
      var ordonnees = R.ordonner(pages, liste)
      var titreExact = R.titreExact(ordonnees[0], liste)
      var items = ordonnees.map(function (donnees, i) { return documents(donnees, AFFICHES - i, liste) })
      // First, unless a page's title is the query: every result of the query, with the filters
      // (docs/recherche.md). Material's Enter opens the link of highest score: the results page, or the page
      // whose title was typed. Material's count line says « Meilleurs résultats » (overrides/main.html).
      var tous = [{
        location: "recherche/?mots=" + encodeURIComponent(saisie.trim()),
        title: "Tous les résultats (" + resultats.length + ") et filtres",
        text: R.echapper(R.avertissement(reponse, saisie.trim()) || "Affiner par type de page, région, type de collectivité et champ d'action."),
        score: titreExact ? AFFICHES + 1 : AFFICHES + 2, terms: {}
      }]
      if (titreExact) {
        items[0].forEach(function (doc) { doc.score = AFFICHES + 2 })
        items.splice(1, 0, tous)
      } else {
        items.unshift(tous)
      }
      // The list shows the first AFFICHES results: at its end, the way to the others (search QA: on a phone, the list
      // of « coopérative » stopped at its tenth result, 56 others said nowhere but at its top).
      if (resultats.length > AFFICHES) {
        var autres = resultats.length - AFFICHES
        items.push([{
          location: tous[0].location,
          title: autres === 1 ? "Voir l'autre résultat" : "Voir les " + autres + " autres résultats",
          text: "Tous les résultats de la recherche, avec les filtres.", score: 0, terms: {}
        }])
      }
      return suggestion(saisie.trim()).then(function (suggest) { return { items: items, suggest: suggest, titreExact: titreExact } })
    })
  })
}

self.addEventListener("message", function (event) {
  var message = event.data
  if (message.type === SETUP) {
    self.postMessage({ type: READY })  // Material's documents are empty: Pagefind loads on the first word
  } else if (message.type === QUERY) {
    var numero = ++derniere
    var saisie = R.propre(message.data).trim()
    setTimeout(function () {
      if (numero !== derniere) return
      repondre(numero, saisie).then(function (resultat) { return avecRaccourcis(saisie, resultat) }).then(function (resultat) {
        if (resultat && numero === derniere) self.postMessage({ type: RESULT, data: resultat })
      }).catch(function (erreur) {
        console.error("Recherche indisponible :", erreur)
        if (numero === derniere) self.postMessage({ type: RESULT, data: { items: [] } })
      })
    }, saisie.trim() ? ATTENTE : 0)
  }
})
