/* A query to Pagefind as the guide asks it, shared by the header's search worker
 * (workers/guide-recherche.js, through importScripts) and the full results page (recherche.js).
 *
 * Pagefind (site/pagefind/, written by macros/guide/recherche.py) stems French (locaux → local,
 * réseaux → réseau), folds accents and case, splits elisions and hyphens, and lists only the pages
 * holding every word. Written here, because Pagefind does not:
 *  - ligatures: Pagefind folds « é » but not « œ »: a query word typed « oeuvre » is written as the guide
 *    writes it (« œuvre »), from the list of the guide's ligature words made at build time;
 *  - -ail/-aux plurals (travail, travaux), which the stemmer leaves apart: both forms are searched;
 *  - quotes and guillemets are dropped (Pagefind would read "…" as an exact phrase, without stemming);
 *  - a query whose words no page holds together lists the pages holding most of them.
 */
"use strict"

self.GuideRequete = (function () {
  var moteurs = {}      // site root → Promise of Pagefind's module
  var ligatures = {}    // « oeuvre » → « œuvre »

  /** Pagefind's module of the site at `racine` (a URL ending with « / »), loaded once. */
  function charger(racine) {
    var cle = String(racine)
    if (!moteurs[cle]) {
      moteurs[cle] = Promise.all([
        import(new URL("pagefind/pagefind.js", racine).href),
        fetch(new URL("pagefind/guide-ligatures.json", racine)).then(function (r) { return r.ok ? r.json() : {} })
          .catch(function () { return {} })
      ]).then(function (charges) {
        var pagefind = charges[0]
        ligatures = charges[1]
        // Page length left out of the ranking: a champ page, long because it gathers its subject, must not
        // rank under a territory page that mentions the words once (relevance set of tests/test_recherche.py).
        return pagefind.options({ ranking: { pageLength: 0 }, excerptLength: 24 })
          .then(function () { return pagefind.init() })
          .then(function () { return pagefind })
      })
    }
    return moteurs[cle]
  }

  /** « Économie », « œuvre » → « economie », « oeuvre » (for comparisons only). */
  function plier(mot) {
    return mot.toLowerCase().normalize("NFD").replace(/[\u0300-\u036f]/g, "").replace(/œ/g, "oe").replace(/æ/g, "ae")
  }

  function nu(mot) {
    return mot.replace(/^[^\p{L}\p{N}]+|[^\p{L}\p{N}]+$/gu, "")
  }

  /** The words of a query, as the guide writes them (once `charger` is done, with its ligatures), without
   *  elided words: Pagefind indexes « l'économie » as one word too, and « l'économie » typed would miss the
   *  pages that only write « économie ». */
  function mots(texte) {
    return String(texte || "").normalize("NFC").replace(/["«»“”„]/g, " ")
      .replace(/(^|[\s(])(?:[cdjlmnst]|qu|jusqu|lorsqu|puisqu|quoiqu)['’]/gi, "$1")
      .split(/\s+/).map(nu).filter(Boolean)
      .map(function (mot) { return ligatures[plier(mot)] || mot })
  }

  // The French nouns in -ail whose plural is in -aux (the others take an s, which the stemmer folds).
  var AIL_AUX = ["bail", "corail", "email", "soupirail", "travail", "vantail", "vitrail"]

  /** The query, and the same with each -ail/-aux word of AIL_AUX in the other number. */
  function variantes(liste) {
    var out = [liste.join(" ")]
    liste.forEach(function (mot, i) {
      var radical = plier(mot).replace(/(ail|aux)$/, "")
      if (radical === plier(mot) || AIL_AUX.indexOf(radical + "ail") < 0) return
      var autre = /ail$/i.test(mot) ? mot.replace(/ail$/i, "aux") : mot.replace(/aux$/i, "ail")
      out.push(liste.slice(0, i).concat([autre], liste.slice(i + 1)).join(" "))
    })
    return out
  }

  /** Loaded results (Pagefind's data) with the pages whose title holds every word of the query first:
   *  a territory or champ named by the query comes before pages that name it often (« Ville de Grenoble »
   *  before Grenoble-Alpes Métropole's page). Otherwise Pagefind's order. */
  function ordonner(pages, liste) {
    var voulus = liste.map(plier)
    function nomme(donnees) {
      var titre = plier(donnees.meta.title || "").split(/[^\p{L}\p{N}]+/u)
      return voulus.every(function (mot) { return titre.indexOf(mot) >= 0 })
    }
    return pages.filter(nomme).concat(pages.filter(function (d) { return !nomme(d) }))
  }

  /** Pagefind results of several searches ({results, rang}), each page once, by rang then score. */
  function fusionner(reponses) {
    var parPage = {}
    reponses.forEach(function (reponse) {
      reponse.results.forEach(function (r) {
        var vu = parPage[r.id]
        if (!vu || reponse.rang > vu.rang || (reponse.rang === vu.rang && r.score > vu.r.score))
          parPage[r.id] = { r: r, rang: reponse.rang }
      })
    })
    return Object.keys(parPage).map(function (id) { return parPage[id] })
      .sort(function (a, b) { return b.rang - a.rang || b.r.score - a.r.score })
      .map(function (x) { return x.r })
  }

  /** Pagefind's results (best first) for the words of `liste`, with Pagefind's `filtres` if any. An empty
   *  list with filters gives every page of the filters. */
  function chercher(pagefind, liste, filtres) {
    var options = filtres ? { filters: filtres } : {}
    if (!liste.length) return pagefind.search(null, options).then(function (r) { return r.results })
    return Promise.all(variantes(liste).map(function (q) { return pagefind.search(q, options) })).then(function (reponses) {
      var resultats = fusionner(reponses.map(function (r) { return { results: r.results, rang: liste.length } }))
      if (resultats.length || liste.length < 2) return resultats
      // No page holds every word: the pages holding all words but one, then (three words or more) any one
      // word; a page holding more words comes first (its rang is the number of words searched).
      var parties = liste.map(function (_, i) { return liste.filter(function (__, j) { return j !== i }) })
      if (liste.length > 2) parties = parties.concat(liste.map(function (mot) { return [mot] }))
      return Promise.all(parties.map(function (p) { return pagefind.search(p.join(" "), options) })).then(function (reps) {
        return fusionner(reps.map(function (r, i) { return { results: r.results, rang: parties[i].length } }))
      })
    })
  }

  /** The words Pagefind marked in excerpts, lower case, as the pages write them (accents kept). */
  function marques(extraits) {
    var out = []
    extraits.forEach(function (extrait) {
      (String(extrait || "").match(/<mark>[^<]*<\/mark>/g) || []).forEach(function (m) {
        m.slice(6, -7).split(/[\s\-'’]+/).map(nu).forEach(function (mot) {
          mot = mot.toLowerCase()
          if (mot.length > 2 && out.indexOf(mot) < 0) out.push(mot)
        })
      })
    })
    return out
  }

  /** The sections of a result that hold the words (anchors), most matches first. */
  function sections(donnees) {
    return (donnees.sub_results || []).filter(function (s) { return s.url.indexOf("#") >= 0 })
      .sort(function (a, b) { return (b.locations || []).length - (a.locations || []).length })
  }

  /** The kind of page of a result (Champ d'action, Territoire, Étude…), from its « type » filter. */
  function type(donnees) {
    return (donnees.filters && donnees.filters.type && donnees.filters.type[0]) || "Page"
  }

  /** Address of a result relative to the site root, with `?h=` (Material highlights these words on the
   *  opened page, accents included since they are the page's own words). */
  function adresse(url, surligner) {
    var m = /^\/?([^#]*)(#.*)?$/.exec(url)
    return m[1] + (surligner.length ? "?h=" + encodeURIComponent(surligner.join(" ")).replace(/%20/g, "+") : "") + (m[2] || "")
  }

  function echapper(texte) {
    return String(texte).replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;")
  }

  return { charger: charger, plier: plier, mots: mots, chercher: chercher, ordonner: ordonner, marques: marques, sections: sections,
           type: type, adresse: adresse, echapper: echapper }
})()
