/* A query to Pagefind as the guide asks it, shared by the header's search worker
 * (workers/guide-recherche.js, through importScripts) and the full results page (recherche.js).
 *
 * Pagefind (site/pagefind/, written by macros/guide/sorties/recherche.py) stems French (locaux → local,
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
  var racineChargee = null  // the site root of the last module loaded (the vocabulary's files are beside)
  var ligatures = Object.create(null)  // « oeuvre » → « œuvre »
  var sigles = Object.create(null)     // « aap » → « Appel à projets »: the glossary's acronyms (recherche.SIGLES)

  /** Pagefind's module of the site at `racine` (a URL ending with « / »), loaded once. */
  function charger(racine) {
    var cle = String(racine)
    racineChargee = cle
    if (!moteurs[cle]) {
      moteurs[cle] = Promise.all([
        import(new URL("pagefind/pagefind.js", racine).href),
        fetch(new URL("pagefind/guide-ligatures.json", racine)).then(function (r) { return r.ok ? r.json() : {} })
          .catch(function () { return {} }),
        fetch(new URL("pagefind/guide-sigles.json", racine)).then(function (r) { return r.ok ? r.json() : {} })
          .catch(function () { return {} })
      ]).then(function (charges) {
        var pagefind = charges[0]
        // Without Object's prototype: a word typed is looked up in them, and « constructor » found Object's own
        // function (attacker QA: « Recherche indisponible : TypeError »).
        ligatures = Object.assign(Object.create(null), charges[1])
        sigles = Object.assign(Object.create(null), charges[2])
        // Page length left out of the ranking: a champ page, long because it gathers its subject, must not
        // rank under a territory page that mentions the words once (relevance set of tests/test_recherche.py).
        // baseUrl "/": results' addresses as indexed, from the site root (macros/guide/recherche.py), in the
        // header's worker and on the results page alike; `adresse` puts them under the site's root, sub-path
        // included (Pagefind's default prefixes the folder of pagefind.js's page on the results page only:
        // /guide/guide/… under a sub-path).
        return pagefind.options({ baseUrl: "/", ranking: { pageLength: 0, termSimilarity: SIMILARITE }, excerptLength: 24 })
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

  /** A query as shown and searched: without the invisible characters that change how text reads (direction marks and
   *  overrides, zero-width characters, soft hyphens: Unicode's « format » characters) nor control characters. A
   *  shared address « ?mots=%E2%80%AE… » showed its words reversed, a text of its author's choosing (attacker
   *  QA); the fiches refuse these characters. */
  function propre(texte) {
    return String(texte || "").replace(/[\p{Cf}\p{Cc}]/gu, " ").replace(/\s+/g, " ")
  }

  function nu(mot) {
    return mot.replace(/^[^\p{L}\p{N}]+|[^\p{L}\p{N}]+$/gu, "")
  }

  /** The words of a query, as the guide writes them (once `charger` is done, with its ligatures), without
   *  elided words: Pagefind indexes « l'économie » as one word too, and « l'économie » typed would miss the
   *  pages that only write « économie ». */
  function mots(texte) {
    // A PDF's letter ligatures (« ﬁnancement » pasted) as the letters (editor and attacker QA), as the index reads them.
    return propre(texte).replace(/[\uFB00-\uFB06]/g, function (c) { return c.normalize("NFKC") })
      .normalize("NFC").replace(/["«»“”„]/g, " ")
      // « qu'est-ce que », « est-ce que »: a question's words; its « est » marked « n'est », « Est » (search QA)
      .replace(/(^|\s)(?:qu['’])?est[\-\u2010\u2011]ce(?=\s|$)/gi, "$1")
      .replace(/(^|[\s(])(?:[cdjlmnst]|qu|jusqu|lorsqu|puisqu|quoiqu)['’]/gi, "$1")
      // An article of a code as the pages write it (« L. 2111-3 »), however typed (« L2111-3 », « l.2111-3 »): the
      // code's letter apart from the number (search QA: « L2111-3 » was a word found nowhere).
      // An article's number alone, without its last part (« L2113 »: « aucun résultat », département agent's QA): the same.
      .replace(/(^|[\s(])([LRD])\.?\s*(?=\d{1,4}[\-\u2010\u2011]\d|\d{4}(?![\w\-\u2010\u2011]))/gi, "$1$2 ")
      // « n°13 » as the pages print it, « n° 13 » (typographie.py): its number a word of its own (attacker QA: « fiche
      // action n°13 » found nothing once the pages spaced it)
      .replace(/(^|[\s(])(n°)(?=\d)/gi, "$1$2 ")
      // Hyphens split words as Pagefind's index does (« tiers-lieux » holds « tiers » and « lieux »), but not between
      // two digits: Pagefind indexes « 2111-3 » as one word and « 2111 », not its « 3 » (search QA: « L. 2111-3 » was
      // said written nowhere as typed, its « 3 » matched on other pages, the article's page came with a warning).
      .split(/\s+|(?<!\d)[\-\u2010\u2011]+|[\-\u2010\u2011]+(?!\d)/).map(nu).filter(Boolean)
      .map(function (mot) { return ligatures[plier(mot)] || ABREGES[mot.toLowerCase()] || mot })
  }

  // « St », « Ste » as a place's name abbreviates them (« St-Denis », « Ste Foy »): the pages write « Saint », « Sainte »
  // (search QA: « St Denis » listed the contributors' page, marked « St- » and « d'en »). The same rule as the fiches'
  // file names (scripts/nouvelle_fiche.py, derive_slug).
  var ABREGES = Object.assign(Object.create(null), { st: "Saint", ste: "Sainte" })

  // The French nouns in -ail whose plural is in -aux (the others take an s, which the stemmer folds).
  var AIL_AUX = ["bail", "corail", "email", "soupirail", "travail", "vantail", "vitrail"]

  /** The query, and the same with each word in the other number where the stemmer does not fold the two: the -ail/-aux
   *  nouns of AIL_AUX, and the words in -eu whose plural takes an x (« lieu », « lieux »; « enjeu », « enjeux »:
   *  reader QA, « tiers-lieu » found 20 pages and « tiers-lieux » 34). An -eux word with no -eu form (« nombreux »)
   *  costs a search that finds nothing. */
  function variantes(liste) {
    var out = [liste.join(" ")]
    liste.forEach(function (mot, i) {
      var plie = plier(mot), autre = null
      var radical = plie.replace(/(ail|aux)$/, "")
      if (radical !== plie && AIL_AUX.indexOf(radical + "ail") >= 0) {
        autre = /ail$/i.test(mot) ? mot.replace(/ail$/i, "aux") : mot.replace(/aux$/i, "ail")
      } else if (/eux$/.test(plie)) {
        autre = mot.slice(0, -1)
      } else if (/eu$/.test(plie)) {
        autre = mot + (mot === mot.toUpperCase() ? "X" : "x")
      }
      if (autre) out.push(liste.slice(0, i).concat([autre], liste.slice(i + 1)).join(" "))
    })
    return out
  }

  /** The words of a title or a query, folded, without elided letters nor one-letter words. */
  function motsPlies(texte) {
    return mots(texte).map(plier).filter(function (m) { return m.length > 1 || /\d/.test(m) })
  }

  /** Whether the title of a loaded result (Pagefind's data) is the query: the same words, in the same
   *  order (« Leviers d'action », « leviers action », « Territoires »). */
  function titreExact(donnees, liste) {
    if (!donnees) return false
    var titre = motsPlies(donnees.meta.title || ""), voulus = motsPlies(liste.join(" "))
    return voulus.length > 0 && titre.join(" ") === voulus.join(" ")
  }

  /** Loaded results (Pagefind's data) in the guide's order (docs/recherche.md, « L'ordre des résultats »):
   *  the page whose title is the query (or the definition of the acronym typed); then the pages whose title
   *  holds every word of the query (a territory or champ named by the query comes before pages that name it
   *  often: « Ville de Grenoble » before Grenoble-Alpes Métropole's page); then the order of the score. */
  function ordonner(pages, liste) {
    var voulus = motsPlies(liste.join(" "))
    // An acronym of the glossary typed alone: the page whose title is its definition too (search QA: « MEL » listed
    // the « Soutien direct » champ page before the Métropole européenne de Lille's).
    var definition = liste.length === 1 && sigles[plier(liste[0])]
    function rang(donnees) {
      if (titreExact(donnees, liste) || (definition && titreExact(donnees, [definition]))) return 0
      var titre = motsPlies(donnees.meta.title || "")
      return voulus.every(function (mot) { return titre.indexOf(mot) >= 0 }) ? 1 : 2
    }
    return pages.map(function (d, i) { return { d: d, r: rang(d), i: i } })
      .sort(function (a, b) { return a.r - b.r || a.i - b.i }).map(function (x) { return x.d })
  }

  // ---------------------------------------------------------------------------------------------------
  // Whole words. Pagefind matches every query word as a prefix of the stems of its index, and when no stem
  // starts with the word it falls back to the longest indexed stem the word starts with (Pagefind#599,
  // #780: no option turns either off): « Ajaccio » gives every page holding « à », « ESS » marks « essor ».
  // The guide asks Pagefind's exact search (a quoted word: the pages holding that very stem, Snowball French
  // from <html lang="fr">, accents folded) for each word, keeps only the pages it gives, and marks only the
  // places it gives. Pagefind's ordinary search of each word still gives the score (BM25 and the page's
  // weights). Nothing is left out of the index: a word of the guide is found wherever it is written.
  // The word being typed (the last, while the header's box updates) is completed from the guide's own
  // words (pagefind/guide-mots/, written by macros/guide/sorties/recherche.py) when it is not a word yet:
  // « coopérati » finds what « coopérative », « coopératives » and « coopération » find. A word that is
  // nowhere gives no page, and the guide's words nearest to it (edit distance) are suggested.

  // Pagefind's ranking.termSimilarity: a stem longer than the word typed scores far less than the word
  // itself (and `entier` tells their places apart). BONUS_ENTIER: its word_length_bonus(1).
  var SIMILARITE = 10
  var BONUS_ENTIER = Math.exp(SIMILARITE * Math.exp(-0.5 / 4)) / Math.exp(SIMILARITE)
  var COMPLETIONS = 12  // words of the guide tried for a word being typed, those on most pages first
  var vocabulaires = {}  // first letter → Promise of the guide's words starting with it

  /** The guide's words whose folded form starts with the letter of `plie` (pagefind/guide-mots/<letter>.json,
   *  the same rule as recherche.cle_de_mot), those on most pages first. */
  function vocabulaire(plie) {
    var cle = /^[a-z0-9]/.test(plie) ? plie[0] : "_"
    if (!vocabulaires[cle]) {
      vocabulaires[cle] = fetch(new URL("pagefind/guide-mots/" + cle + ".json", racineChargee))
        .then(function (r) { return r.ok ? r.json() : [] }).catch(function () { return [] })
    }
    return vocabulaires[cle]
  }

  /** The guide's words that start with `mot` (folded) and are longer, those on most pages first. */
  function completions(mot) {
    var plie = plier(mot)
    if (!plie) return Promise.resolve([])
    return vocabulaire(plie).then(function (mots) {
      return mots.filter(function (m) { var p = plier(m); return p.length > plie.length && p.indexOf(plie) === 0 })
    })
  }

  var departementsCharges = null  // Promise of pagefind/guide-departements.json, loaded on the first code typed

  /** The départements of the guide that a query of one word names by its code or by a postcode (« 93 », « 2A »,
   *  « 35000 », « 97400 »): [{mot, code, nom, territoires}] (recherche.DEPARTEMENTS). A Corsican postcode (20…)
   *  names no single département; the file is loaded only when a code is typed. */
  function departements(liste) {
    if (liste.length !== 1) return Promise.resolve([])
    var mot = String(liste[0]).toUpperCase(), code = null
    if (/^(\d{2}|2[AB]|97\d)$/.test(mot)) code = mot
    else if (/^\d{5}$/.test(mot) && mot.slice(0, 2) !== "20") code = mot.slice(0, 2) === "97" ? mot.slice(0, 3) : mot.slice(0, 2)
    if (!code || !racineChargee) return Promise.resolve([])
    if (!departementsCharges) {
      departementsCharges = fetch(new URL("pagefind/guide-departements.json", racineChargee))
        .then(function (r) { return r.ok ? r.json() : {} }).catch(function () { return {} })
    }
    return departementsCharges.then(function (table) {
      var d = table[code]
      return d ? [{ mot: liste[0], code: code, nom: d[0], territoires: d[1] }] : []
    })
  }

  /** « les 5 territoires du guide de ce département », « le territoire du guide de ce type » */
  function lesTerritoires(n, de) {
    return (n > 1 ? "les " + n + " territoires" : "le territoire") + " du guide de " + de
  }

  var tablesChargees = {}  // file name → Promise of its table (pagefind/guide-types.json…), loaded on the first query

  /** A folded word in the singular, as the name of a type writes it (« métropoles », « territoriaux »). */
  function singulier(plie) {
    return plie.length > 3 ? plie.replace(/aux$/, "al").replace(/[sx]$/, "") : plie
  }

  /** The entries of a table the build writes, {key: [label, how many territories]}, whose label (or the acronym in
   *  brackets it ends with) the query ends with, in the singular or the plural: [{cle, libelle, territoires, reste}].
   *  Named alone, `reste` is empty; named last, after other words, `reste` holds those words as typed. A name first
   *  or in the middle is left: « métropole de Lyon » names a territory. */
  function nommesALaFin(liste, fichier) {
    var voulus = []  // the query's words as the index folds them, in the singular, each with its place in `liste`
    liste.forEach(function (mot, i) {
      var p = plier(mot)
      if (p.length > 1 || /\d/.test(p)) voulus.push([singulier(p), i])
    })
    if (!voulus.length || !racineChargee) return Promise.resolve([])
    if (!tablesChargees[fichier]) {
      tablesChargees[fichier] = fetch(new URL("pagefind/" + fichier, racineChargee))
        .then(function (r) { return r.ok ? r.json() : {} }).catch(function () { return {} })
    }
    /** How many of the query's last words name `texte` (0 if they do not). */
    function nommeALaFin(texte) {
      var noms = motsPlies(texte).map(singulier), debut = voulus.length - noms.length
      return noms.length && debut >= 0 && noms.every(function (m, k) { return voulus[debut + k][0] === m }) ? noms.length : 0
    }
    return tablesChargees[fichier].then(function (table) {
      return Object.keys(table).map(function (cle) {
        var libelle = table[cle][0], sigle = /\(([^()]+)\)$/.exec(libelle)
        var n = nommeALaFin(libelle.replace(/\s*\([^()]+\)$/, "")) || (sigle ? nommeALaFin(sigle[1]) : 0)
        if (!n) return null
        var reste = n === voulus.length ? [] : liste.slice(0, voulus[voulus.length - n][1])
        return { cle: cle, libelle: libelle, territoires: table[cle][1], reste: reste.join(" "), n: n, ligne: table[cle] }
      }).filter(Boolean).filter(function (t, i, tous) {
        // the longest name the query ends with: « communauté de communes » is not « Commune » after other words
        return tous.every(function (autre) { return autre.n <= t.n })
      })
    })
  }

  /** The types of collectivité of the guide that a query names (« communauté de communes », « métropoles », « PETR »;
   *  recherche.TYPES). Named alone (reader QA: Figeac, a communauté de communes titled by its name alone, came 50th of
   *  the results for « communauté de communes »), or last, after other words (« clauses sociales département »: the
   *  département that uses them came 6th, département agent's QA). */
  function types(liste) {
    return nommesALaFin(liste, "guide-types.json")
  }

  /** The régions of the guide's territories that a query names last (« tiers-lieux Grand Est » listed Grand-Orly Seine
   *  Bièvre and Grand Paris Sud Est Avenir first, for their « Grand » and « Est », phone QA; recherche.REGIONS). */
  function regions(liste) {
    return nommesALaFin(liste, "guide-regions.json")
  }

  /** The territories of the guide a query names last, after other words, by their name or an alias (reader QA:
   *  « budget ESS Lille » listed 13 pages holding the three words, not Ville de Lille's, which holds no « budget »;
   *  recherche.NOMS), the query's words left, `reste`, empty when it names nothing else (raccourcis). */
  function territoiresNommes(liste) {
    // (a word alone names nothing after other words: no table is loaded for it)
    if (liste.length < 2) return Promise.resolve([])
    // The file of the names that end as the query does (recherche.NOMS, cles_de_nom): its last letter or digit.
    var fin = plier(liste[liste.length - 1]).match(/[a-z0-9]/g)
    return nommesALaFin(liste, "guide-noms/" + (fin ? fin[fin.length - 1] : "_") + ".json")
  }

  /** The finder's lists a query also leads to, each as its address (from the site root), the sentence of the results
   *  page around its link, and the header's item: a département named by its code or a postcode, a type of
   *  collectivité named in full; a type named after other words leads to those words searched in that type's
   *  territories (the results page's filter); a territory named after other words, to its page. */
  function raccourcis(liste) {
    return Promise.all([departements(liste), types(liste), regions(liste), territoiresNommes(liste)]).then(function (r) {
      // The longest name the query ends with: « tiers-lieux Rennes Métropole » names a territory, not the type
      // « Métropole » (whose shortcut searched « tiers lieux Rennes » in the métropoles); a région named as its own
      // territory is both (« Île-de-France »: the Région's page, and the words searched in the région's territories).
      // Named whole and alone, « Rennes Métropole » is not the type either (search QA: « chercher « Rennes » dans les
      // métropoles »), and its page comes first: no way to it is added.
      var nommes = Math.max.apply(null, [0].concat(r[3].map(function (t) { return t.n })))
      var plusLongs = function (t) { return t.n >= nommes }
      r[1] = r[1].filter(plusLongs)
      r[2] = r[2].filter(plusLongs)
      r[3] = r[3].filter(function (t) { return t.reste })
      return r[0].map(function (d) {
        var lien = lesTerritoires(d.territoires, "ce département")
        return { adresse: "territoires/?departement=" + encodeURIComponent(d.code), lien: lien,
                 avant: "« " + d.mot + " » renvoie au département " + d.nom + " (" + d.code + ") : voir ",
                 titre: "Territoires du département : " + d.nom + " (" + d.code + ")",
                 texte: "« " + d.mot + " » : " + lien + ", dans la liste des territoires." }
      }).concat(r[1].map(function (t) {
        // (named as the guide writes it: the words of the query have lost their elisions, « d'agglomération »; the
        // results page's filter takes the type's label, the finder its value)
        return raccourci(t, { recherche: "collectivite=" + encodeURIComponent(t.libelle), liste: "type=" + encodeURIComponent(t.cle),
                              de: "ce type", estUn: "est un type de collectivité", duQuoi: "du type" })
      })).concat(r[2].map(function (region) {
        var filtre = "region=" + encodeURIComponent(region.cle)
        return raccourci(region, { recherche: filtre, liste: filtre, de: "cette région", estUn: "est une région",
                                   duQuoi: "de la région" })
      })).concat(r[3].map(function (t) {
        var nom = t.ligne[2]
        return { adresse: t.ligne[3], lien: nom, avant: "« " + t.libelle + " » nomme un territoire du guide : voir la page ",
                 titre: nom, texte: "« " + t.libelle + " » nomme ce territoire du guide : sa page." }
      }))
    })
  }

  /** The shortcut of a type or a région a query names (nommesALaFin): the other words searched in its territories
   *  (the results page filtered by `sorte.recherche`), or, named alone, its territories in the finder (`sorte.liste`). */
  function raccourci(nomme, sorte) {
    if (nomme.reste) {
      var parmi = nomme.territoires > 1 ? "les " + nomme.territoires + " territoires du guide de " + sorte.de
        : "le territoire du guide de " + sorte.de
      return { adresse: "recherche/?mots=" + encodeURIComponent(nomme.reste) + "&" + sorte.recherche,
               lien: "chercher « " + nomme.reste + " » dans " + parmi,
               avant: "« " + nomme.libelle + " » " + sorte.estUn + " : ",
               titre: "« " + nomme.reste + " » dans les territoires " + sorte.duQuoi + " : " + nomme.libelle,
               texte: "Chercher « " + nomme.reste + " » dans " + parmi + "." }
    }
    var lien = lesTerritoires(nomme.territoires, sorte.de)
    return { adresse: "territoires/?" + sorte.liste, lien: lien,
             avant: "« " + nomme.libelle + " » " + sorte.estUn + " : voir ",
             titre: "Territoires " + sorte.duQuoi + " : " + nomme.libelle,
             texte: "« " + nomme.libelle + " » : " + lien + ", dans la liste des territoires." }
  }

  /** Whether a word being typed (folded) is completed from the guide's words `mots` (its letter's, most pages
   *  first): unless the guide writes it whole, and, for a word of three letters, on more pages than any longer word
   *  starting with it (« est » before « estime »; not « ter » before « territoire », « pro » before « projet »). A
   *  longer word typed whole is meant: completed, « local » and « social » also found « localement » and
   *  « socialement ». */
  function aCompleter(plie, mots) {
    for (var i = 0; i < mots.length; i++) {
      var p = plier(mots[i])
      if (p === plie) return false
      if (plie.length <= 3 && p.length > plie.length && p.indexOf(plie) === 0) return true  // a longer word comes first
    }
    return true
  }

  /** The same, for `mot` as typed: whether the box's grey completion may offer a longer word. */
  function completerLeMot(mot) {
    var plie = plier(mot)
    if (!plie || sigles[plie]) return Promise.resolve(false)  // an acronym of the glossary is whole (« SEM », not « SEMIA »)
    return vocabulaire(plie).then(function (mots) { return aCompleter(plie, mots) })
  }

  /** Edit distance (insertions, deletions, substitutions, swaps of two neighbours) of a and b, or
   *  max + 1 as soon as it exceeds max. Written here: a dozen lines, where a library would load the
   *  whole of itself for one function in every search. */
  function distance(a, b, max) {
    if (Math.abs(a.length - b.length) > max) return max + 1
    var avant = null, prec = [], cour
    for (var j = 0; j <= b.length; j++) prec.push(j)
    for (var i = 1; i <= a.length; i++) {
      cour = [i]
      var mini = i
      for (j = 1; j <= b.length; j++) {
        var d = Math.min(prec[j] + 1, cour[j - 1] + 1, prec[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1))
        if (avant && i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d = Math.min(d, avant[j - 2] + 1)
        cour.push(d)
        mini = Math.min(mini, d)
      }
      if (mini > max) return max + 1
      avant = prec
      prec = cour
    }
    return prec[b.length]
  }

  /** What Pagefind has of `mot` as a whole word (its stem exactly, by Pagefind's exact search):
   *  {connu: whether any page holds it, pages: {id → Pagefind's result of the ordinary search of `mot` on that
   *  page (its score, its places)}}, on the pages of Pagefind's `filtres` if any, each marked `guideSujet`
   *  when it gathers a subject. Three searches, on the same index chunks: no search without words, which
   *  would load every chunk of the index. */
  function exacts(pagefind, mot, filtres) {
    var avecFiltres = filtres && !vide(filtres) ? { filters: filtres } : {}
    var sujets = { filters: { classement: "sujet" } }
    Object.keys(avecFiltres.filters || {}).forEach(function (k) { sujets.filters[k] = avecFiltres.filters[k] })
    return Promise.all([pagefind.search('"' + mot + '"'), pagefind.search(mot, avecFiltres), pagefind.search(mot, sujets)])
      .then(function (r) {
        var ordinaires = {}, sujet = {}, pages = {}
        r[1].results.forEach(function (res) { ordinaires[res.id] = res })
        r[2].results.forEach(function (res) { sujet[res.id] = true })
        r[0].results.forEach(function (res) {
          var o = ordinaires[res.id]
          if (!o) return  // not on the filters' pages
          o.guideSujet = !!sujet[res.id]
          // A phrase (a figure in groups, « 90 000 »): its places are where the page writes it, its groups one after
          // the other; Pagefind's ordinary search gives each group's places anywhere (search QA: « 90000 » marked every
          // « 000 » of « 105 000 », « 950 000 », « 1 000 000 »).
          if (/\s/.test(mot)) o.guideSuite = mot.split(/\s+/).map(plier)
          pages[res.id] = o
        })
        return { connu: r[0].results.length > 0, pages: pages }
      })
  }

  function vide(objet) { return !Object.keys(objet).length }

  // An article's number in a code (« 2111-3 », « 5217-2 »), or a span of years (« 2014-2020 »): one word to Pagefind.
  var NUMERO = /^\d{1,4}[\-\u2010\u2011]\d+$/

  /** What one word of a query finds: {mot, pages: {id → [Pagefind results, one per form searched]}}.
   *  `enCours`: the word is being typed (completed from the guide's words when it is not a word yet). `lettre`: the
   *  code's letter typed before an article's number (« L » of « L. 2111-3 »), or null (see `article`). */
  /** The guide's own spellings of a word typed without its accents (« accelerateur »: « accélérateur »), to search as
   *  the pages write it: Pagefind found the same pages either way but scored them otherwise, and the lists typed with
   *  and without accents differed once the word stood on more pages than a list shows (verifying QA). A word typed
   *  with accents, or that the guide writes only so, is searched as typed. */
  function accentuees(mot, plie) {
    if (plie !== mot.toLowerCase() || plie.length < 3) return Promise.resolve([mot])
    return vocabulaire(plie).then(function (mots) {
      // (its accented spellings, and the word as typed if the guide writes it so; not a word with an apostrophe,
      // « l'habitat », which `sansElision` tells from « lhabitat »)
      var formes = mots.filter(function (m) { return m === plie || plier(m) === plie && /[^\x00-\x7f]/.test(m) && !/['’]/.test(m) })
      return formes.length ? formes : [mot]
    })
  }

  function trouver(pagefind, mot, enCours, filtres, lettre) {
    var plie = plier(mot)
    if (NUMERO.test(mot)) return article(pagefind, mot, filtres, lettre)
    return accentuees(mot, plie).then(function (formes) {
      var cherchees = [].concat.apply([], formes.map(function (f) { return variantes([f]) }))
      return Promise.all(cherchees.map(function (f) { return exacts(pagefind, f, filtres) }))
    }).then(function (trouves) {
      // A plural s the stemmer keeps, on a word the guide writes without it: « spasers » (the stem of « SPASER » is
      // « spas »; reader QA: no result) finds what « spaser » finds. Only for a word no page holds as typed.
      if (trouves.some(function (t) { return t.connu }) || !/[^s]s$/.test(plie) || plie.length < 4) return trouves
      return exacts(pagefind, mot.slice(0, -1), filtres).then(function (t) { return t.connu ? [t] : trouves })
    }).then(function (trouves) {
      return sansElision(plie, trouves)
    }).then(function (trouves) {
      if (!enCours || plie.length < 3) return trouves
      var connu = trouves.some(function (t) { return t.connu })
      return vocabulaire(plie).then(function (mots) {
        // A word being typed is completed as `aCompleter` says, even when its stem is found: « solida » (stem
        // « solid ») found only « solide », « asso » only « TremplinAsso », « inser » two pages (search QA); « ter »,
        // « loc », « pro », words of a page or two, kept the list nearly empty until the next letter (attacker QA). A
        // figure or an acronym of the glossary found is left as typed.
        if (connu && (/^\d+$/.test(plie) || sigles[plie] || !aCompleter(plie, mots))) return trouves
        var suites = mots.filter(function (m) { var p = plier(m); return p.length > plie.length && p.indexOf(plie) === 0 })
          .slice(0, COMPLETIONS)
        return Promise.all(suites.map(function (f) { return exacts(pagefind, f, filtres) })).then(function (t) {
          // A word the guide writes, typed whole (« loi »), is meant as typed: the longer words it starts (« loin »,
          // « Loire ») are `suite`, their pages listed after its own (see `chercherMots`; reader QA: « loi » listed
          // « Pour aller plus loin » and three territories of the Loire before the first page on a law).
          return trouves.concat(t.map(function (x) { return { connu: x.connu, pages: x.pages, suite: connu } }))
        })
      })
    }).then(function (trouves) {
      // …and the singular of a word the guide writes only in the plural: « vélo » (the pages write « vélos ») was
      // found as the last word of a query, completed, and said written nowhere before another word (reader QA:
      // « vélo insertion »). Only for a word no page holds as typed, nor completed (« accelerateur », being typed,
      // is completed to « accélérateur »: its plural alone would leave out the pages of the singular).
      // The plural as the guide writes it (its vocabulary), not as Pagefind's stems match it: « liles » found « lilas ».
      if (trouves.some(function (t) { return t.connu }) || /[sx]$/.test(plie) || plie.length < 3) return trouves
      return vocabulaire(plie).then(function (mots) {
        var pluriels = mots.filter(function (m) { var p = plier(m); return p === plie + "s" || p === plie + "x" })
        if (!pluriels.length) return trouves
        return Promise.all(pluriels.map(function (f) { return exacts(pagefind, f, filtres) })).then(function (t) {
          var connus = t.filter(function (x) { return x.connu })
          return connus.length ? connus : trouves
        })
      })
    }).then(function (trouves) {
      return developpement(pagefind, mot, filtres).then(function (t) { return trouves.concat(t) })
    }).then(function (trouves) {
      // `entiers`: the pages of the word itself (its forms, its acronym's definition); a page of the word gets
      // its score and its marks from the word alone, not from the longer words it starts.
      var pages = {}, entiers = {}
      trouves.forEach(function (t) {
        if (!t.suite) Object.keys(t.pages).forEach(function (id) { entiers[id] = true })
      })
      trouves.forEach(function (t) {
        Object.keys(t.pages).forEach(function (id) {
          if (!t.suite || !entiers[id]) (pages[id] = pages[id] || []).push(t.pages[id])
        })
      })
      return { mot: mot, connu: trouves.some(function (t) { return t.connu }), pages: pages, entiers: entiers }
    })
  }

  // A word glued to an elided article or pronoun: « lile » is « l'île » to Pagefind, which indexes « l'île » as
  // « île » and « lile » (search QA: « Lile », typed for Lille, listed 7 pages on « l'île de Nantes »).
  var ELISION = /^(?:qu|[ldjmnst])(?=[aeiouyh])/

  /** `trouves`, unless the pages hold the word only glued to an elided article (« lile »: no word of the guide starts so,
   *  and it writes « île »): then no page holds it, and its near words are proposed (« lille »). A word being typed
   *  that starts a word of the guide (« lill ») is left as found. */
  function sansElision(plie, trouves) {
    var elision = ELISION.exec(plie)
    if (!elision || plie.length < 4 || !trouves.some(function (t) { return t.connu })) return trouves
    var reste = plie.slice(elision[0].length)
    return Promise.all([vocabulaire(plie), vocabulaire(reste)]).then(function (v) {
      var commence = v[0].some(function (m) { return plier(m).indexOf(plie) === 0 })
      var ecrit = v[1].some(function (m) { return plier(m) === reste })
      return commence || !ecrit ? trouves : [{ mot: plie, connu: false, pages: {} }]
    })
  }

  /** An article's number, as `trouver` answers, on the pages that write it: « L. 2111-3 » or « L2113-15 » (the pages
   *  write both: one word to Pagefind, « L2113-15 » another), or « 2113-15 » typed alone (verifying QA: said written
   *  nowhere). Pagefind also finds « 5132-1 » in « 51321 », a commune's code, and the number of « L. 2111-3 » for
   *  « R. 2111-3 »: a page counts only if its text writes the number, after the letter typed if any (verifying QA). */
  function article(pagefind, mot, filtres, lettre) {
    var formes = [mot].concat(lettre ? [lettre + mot] : ["L", "R", "D"].map(function (l) { return l + mot }))
    var nombre = mot.replace(/[\-\u2010\u2011]/, "[\\-\u2010\u2011]")
    var ecrit = new RegExp((lettre ? "(?:^|[^\\p{L}\\d])" + lettre + "\\.?[\\s\u00a0\u202f]?" : "(?:^|\\D)") + nombre + "(?!\\d)",
                           lettre ? "iu" : "u")
    return Promise.all(formes.map(function (f) { return exacts(pagefind, f, filtres) })).then(function (trouves) {
      var pages = {}
      trouves.forEach(function (t) {
        Object.keys(t.pages).forEach(function (id) { (pages[id] = pages[id] || []).push(t.pages[id]) })
      })
      var ids = Object.keys(pages)
      return Promise.all(ids.map(function (id) { return pages[id][0].data() })).then(function (donnees) {
        var retenues = {}
        ids.forEach(function (id, i) { if (ecrit.test(donnees[i].content || "")) retenues[id] = pages[id] })
        var connu = ids.some(function (id) { return retenues[id] })
        return { mot: connu || !lettre ? mot : lettre + ". " + mot, connu: connu, pages: retenues }
      })
    })
  }

  // The little words of a definition, not searched (their places in it still count, for `seSuivent`): found on every
  // page, they would be marked in every excerpt (« Économie sociale et solidaire »: each « et »).
  var MOTS_OUTILS = ["de", "du", "des", "et", "la", "le", "les", "en", "au", "aux", "un", "une", "par", "pour", "sur"]

  // Words that ask or link rather than name (folded): in a query that names something else, they are not searched
  // (their places in the query still count, for `seSuivent`). A page holding them all came before the page of the
  // subject (phone QA: « comment soutenir une scic » listed one page, on économie circulaire, and not the SCIC's;
  // « soutenir scic » lists the SCIC's first). « est » is not one: « Grand Est », « Est Ensemble ».
  var MOTS_VIDES = MOTS_OUTILS.concat([
    "ou", "dans", "avec", "sans", "sous", "chez", "vers", "entre",
    "ce", "cet", "cette", "ces", "mon", "ma", "mes", "ton", "ta", "tes", "son", "sa", "ses",
    "notre", "nos", "votre", "vos", "leur", "leurs",
    "je", "tu", "il", "elle", "on", "nous", "vous", "ils", "elles", "se", "ne", "pas",
    "qui", "que", "quoi", "quel", "quelle", "quels", "quelles", "comment", "pourquoi", "quand", "combien",
    // the verbs of a question (verifying QA: « qui fait déjà des marchés réservés ? » listed 4 pages, none a
    // territory's, for the pages also holding « fait » and « déjà »)
    "fait", "font", "faire", "deja", "existe", "existent", "peut", "peuvent", "doit", "doivent",
    "ai", "as", "ont", "sont", "suis"])

  /** For an acronym of the glossary (« AAP »), what each word of its definition (« Appel à projets ») finds, as a
   *  whole word, on the pages writing the definition, its words one after the other (as `seSuivent` finds a
   *  phrase): more forms of the word, their places (the excerpt's, the marks') only where the definition is
   *  written; [] for another word. A reader types the acronym where most pages write the words out (reader QA:
   *  « AAP » found 3 pages, « appels à projets » 54); « coopération » apart from « d'activité » is not a CAE. */
  function developpement(pagefind, mot, filtres) {
    var plie = plier(mot)
    var definition = sigles[plie] || (/[^s]s$/.test(plie) ? sigles[plie.slice(0, -1)] : undefined)  // « PTCEs », « AAPs »
    var tous = definition ? mots(definition) : []
    var rangs = [], liste = []
    tous.forEach(function (m, i) { if (plier(m).length > 1 && MOTS_OUTILS.indexOf(plier(m)) < 0) { rangs.push(i); liste.push(m) } })
    if (liste.length < 2) return Promise.resolve([])  // a one-word definition is a word of its own, searched as typed
    var etendue = rangs[rangs.length - 1] - rangs[0]
    return Promise.all(liste.map(function (m) { return exacts(pagefind, m, filtres) })).then(function (parMot) {
      var ecrites = {}  // page id → {place: true} of the definition's words where it is written
      Object.keys(parMot[0].pages).forEach(function (id) {
        if (!parMot.every(function (t) { return t.pages[id] })) return
        var fins = seSuivent(parMot.map(function (t) { return [t.pages[id]] }), rangs)
        if (!fins.length) return
        var ici = {}
        parMot.forEach(function (t) {
          (t.pages[id].words || []).forEach(function (l) {
            if (fins.some(function (f) { return l <= f && l >= f - etendue })) ici[l] = true
          })
        })
        ecrites[id] = ici
      })
      var ids = Object.keys(ecrites)
      return parMot.map(function (t) {
        var pages = {}
        ids.forEach(function (id) { pages[id] = dansLaDefinition(t.pages[id], ecrites[id]) })
        return { connu: ids.length > 0, pages: pages }
      })
    })
  }

  /** A Pagefind result of one word of a definition, its places only those of `ici` (where the definition is
   *  written), in its `words` and in the weighted places its data() gives (the excerpt and the marks). */
  function dansLaDefinition(resultat, ici) {
    var garder = function (l) { return ici[l] }
    var copie = Object.assign(Object.create(Object.getPrototypeOf(resultat)), resultat)
    copie.words = (resultat.words || []).filter(garder)
    copie.data = function () {
      return resultat.data().then(function (d) {
        var e = {}
        Object.keys(d).forEach(function (k) { e[k] = d[k] })
        e.weighted_locations = (d.weighted_locations || []).filter(function (l) { return ici[l.location] })
        e.locations = (d.locations || []).filter(garder)
        return e
      })
    }
    return copie
  }

  /** Up to three words of the guide near `mot` (a word no page holds): those starting with it (a word cut
   *  short), then those one or two edits away (one for words of four letters or less), those on most pages
   *  first; each checked against the index. Only the words with the same first letter are compared. */
  function suggerer(pagefind, mot) {
    var plie = plier(mot)
    // A figure one digit away is another figure, not a typing slip (phone QA: « 100000 » → « 12000 » ?), whether
    // typed whole or in groups, as a figure no page writes is searched (« 80000 », « 80 000 »: « 8000 » ?, which led
    // to the port of the help page; search QA).
    if (/^[\d\s\u00a0\u202f]+$/.test(plie)) return Promise.resolve([])
    // A name typed with its capital (« Perpignan », « Limoges ») is a place, the guide's or not: only a name one slip
    // away is proposed (search QA: « pérignat », a commune of a member list, and « limites », « loges » were).
    var max = plie.length <= 4 || /^\p{Lu}\p{Ll}/u.test(mot) ? 1 : 2
    // A word glued to an elided article (« lhabitat », « lile »): the word after it too (« habitat », « île »).
    var elision = ELISION.exec(plie), reste = elision ? plie.slice(elision[0].length) : ""
    return Promise.all([vocabulaire(plie), reste.length > 1 ? vocabulaire(reste) : []]).then(function (v) {
      var mots = v[0]
      var suites = plie.length >= 3 ? mots.filter(function (m) { return plier(m).indexOf(plie) === 0 }) : []
      var proches = mots.map(function (m) { return { m: m, d: distance(plie, plier(m), max) } })
        .filter(function (x) { return x.d <= max })
        .sort(function (a, b) { return a.d - b.d })  // stable: most pages first at equal distance
      // Beside a word one slip away, a word two slips away is another word (« monaie » was offered « montre » after
      // « monnaie »: reader QA), unless it is a form of the nearest (« monnaies »).
      var plusProche = proches.length ? plier(proches[0].m) : ""
      proches = proches.filter(function (x) { return x.d === proches[0].d || plier(x.m).indexOf(plusProche) === 0 })
        .map(function (x) { return x.m })
      var apres = v[1].filter(function (m) { return plier(m) === reste }).slice(0, 1)
      var candidats = []
      suites.concat(proches.slice(0, 1), apres, proches.slice(1))
        .forEach(function (m) { if (candidats.length < 8 && candidats.indexOf(m) < 0) candidats.push(m) })
      return Promise.all(candidats.map(function (m) { return exacts(pagefind, m) })).then(function (t) {
        return candidats.filter(function (_, i) { return t[i].connu }).slice(0, 3)
      })
    })
  }

  // The order of the results (docs/recherche.md, « L'ordre des résultats »): Pagefind's score (BM25 with
  // the weights of the page's elements: the title 10, headings 7 to 5, text 1, source notes 0), counted
  // POIDS_SUJET times on the pages that gather a subject (champ, focus, cadre: the « classement » filter
  // written by macros/guide/recherche.py from the guide's structure, never from a fiche's text); then
  // `ordonner` puts first the page whose title is the query and the pages whose title holds every word.
  var POIDS_SUJET = 2
  // A page writing the words of a query as typed counts more than twice a subject's page holding them apart: at
  // POIDS_SUJET (as much), « Soutien aux dynamiques de coopération territoriale », which holds « marchés » and
  // « réservés » apart, came before the territories writing « marchés réservés » (tests/test_recherche.py);
  // the relevance set holds at this weight (« maillage territorial » still finds its champ first).
  var POIDS_ENSEMBLE = 2 * POIDS_SUJET
  // The words of a query searched, at most: each costs its searches, and a pasted text of 200 words held the list
  // 5 s on a phone, a shared results address of 1,000 words 47 s (attacker QA). A paragraph of a fiche pasted whole
  // is found by its first words.
  var MOTS_MAX = 32

  /** Pagefind's results (best first) for the words of `liste`, with Pagefind's `filtres` if any:
   *  {resultats: [{id, score, data()}], inconnus: [{mot, suggestions}], ignores: [one-letter words],
   *  vides: [words of MOTS_VIDES left out]}.
   *  Each result's data() is Pagefind's, with the excerpt and the sections made from the whole-word places.
   *  `enCours`: the last word is being typed. An empty list with filters gives every page of the filters. */
  function chercher(pagefind, liste, filtres, enCours) {
    // Each word once (« ac ac ac » proposed the same words three times), the first MOTS_MAX.
    liste = liste.filter(function (m, i) {
      return liste.findIndex(function (x) { return plier(x) === plier(m) }) === i
    }).slice(0, MOTS_MAX)
    // A figure is one phrase (Pagefind's quoted search: its groups one after the other; searched as words, « 25000 »
    // and « 25 000 » found every page holding a « 25 » and a « 000 », search and verifying QA). Typed in groups, its
    // groups are joined; of five digits or more, if no page writes it as typed, it is searched as the pages write
    // figures, in groups of three (« 61000 »: « 61 000 »; phone QA); a code that pages write whole (a SIREN, an INSEE
    // code: attacker QA) is searched as typed.
    liste = liste.reduce(function (out, m) {
      var avant = out[out.length - 1]
      if (avant !== undefined && /^\d{3}$/.test(m) && /^\d{1,3}( \d{3})*$/.test(avant)) out[out.length - 1] = avant + " " + m
      else out.push(m)
      return out
    }, [])
    var chiffres = liste.filter(function (m) { return /^\d{5,15}$/.test(m) })
    if (!chiffres.length) return chercherMots(pagefind, liste, filtres, enCours)
    return Promise.all(chiffres.map(function (m) { return exacts(pagefind, m, filtres) })).then(function (trouves) {
      var mots = liste.map(function (m) {
        var i = chiffres.indexOf(m)
        return i >= 0 && !trouves[i].connu ? m.replace(/\B(?=(\d{3})+$)/g, " ") : m
      })
      return chercherMots(pagefind, mots, filtres, enCours)
    })
  }

  function chercherMots(pagefind, liste, filtres, enCours) {
    var options = filtres && !vide(filtres) ? { filters: filtres } : null
    // One-letter words (« à », « a », « y », a stray « l ») stand in nearly every page: they are not searched.
    // A code's letter before an article's number (« L » of « L2113-15 ») is searched with the number (`article`), not
    // as a word: it is neither searched alone nor said left out (search QA: « L2113-15 » was found, and the status
    // line said « Mots d'une lettre non cherchés : L »).
    // (« L2113 », the article's number without its last part: its letter too.)
    var deCode = liste.map(function (m, i) { return /^[LRD]$/i.test(m) && /^\d{4}$|^\d{1,4}[\-\u2010\u2011]\d+$/.test(liste[i + 1] || "") })
    var ignores = liste.filter(function (m, i) { return !deCode[i] && plier(m).length < 2 && !/\d/.test(m) })
    // …nor an acronym of the glossary typed in capitals that spells a common word (« loi NOTRe »: « NOTRe » was left
    // out as « notre », and the list answered « loi » alone; search QA).
    var vides = liste.filter(function (m) {
      return ignores.indexOf(m) < 0 && MOTS_VIDES.indexOf(plier(m)) >= 0 && !(sigles[plier(m)] && /\p{Lu}{2}/u.test(m))
    })
    if (vides.length + ignores.length === liste.length) vides = []  // nothing else named: they are the query
    // Where each word searched stands in the query (« accès à emploi »: 0 and 2), to find it so on a page.
    var rangs = [], lettres = []
    liste.forEach(function (m, i) {
      if (!deCode[i] && ignores.indexOf(m) < 0 && vides.indexOf(m) < 0) {
        rangs.push(i)
        // An article's number after its code's letter (mots: « L. 2111-3 » and « L2111-3 » are « L », « 2111-3 »).
        lettres.push(NUMERO.test(m) && /^[LRD]$/i.test(liste[i - 1] || "") ? liste[i - 1].toUpperCase() : null)
      }
    })
    liste = liste.filter(function (m, i) { return !deCode[i] && ignores.indexOf(m) < 0 && vides.indexOf(m) < 0 })
    if (!liste.length) {  // the filters alone: every page of the filters
      return (options ? pagefind.search(null, options) : Promise.resolve({ results: [] })).then(function (r) {
        return { resultats: r.results, inconnus: [], ignores: ignores, vides: vides }
      })
    }
    return Promise.all(liste.map(function (mot, i) {
      return trouver(pagefind, mot, enCours && i === liste.length - 1, filtres, lettres[i])
    })).then(function (mots) {
      var absents = mots.filter(function (m) { return !m.connu })
      if (absents.length) {
        return Promise.all(absents.map(function (m) { return suggerer(pagefind, m.mot) })).then(function (s) {
          return { resultats: [], inconnus: absents.map(function (m, i) { return { mot: m.mot, suggestions: s[i] } }), ignores: ignores, vides: vides }
        })
      }
      // The score of a page: the sum, over the words, of the best score of Pagefind's ordinary search of
      // the word's forms (its completions for a word being typed) on the page.
      var parPage = {}
      mots.forEach(function (m) {
        Object.keys(m.pages).forEach(function (id) {
          var p = parPage[id] = parPage[id] || { id: id, rang: 0, entiers: 0, score: 0, resultats: [] }
          p.rang += 1
          if (!m.entiers || m.entiers[id]) p.entiers += 1  // (an article's number: its pages are its own)
          p.score += Math.max.apply(null, m.pages[id].map(function (r) { return r.score }))
          p.resultats = p.resultats.concat(m.pages[id])
        })
      })
      var pages = Object.keys(parPage).map(function (id) { return parPage[id] })
      pages.forEach(function (p) { if (p.resultats.some(function (r) { return r.guideSujet })) p.score *= POIDS_SUJET })
      // No page holds every word: the pages holding most of them (a page holding more words first).
      var complets = pages.filter(function (p) { return p.rang === mots.length })
      if (complets.length) pages = complets
      // Of several words, a page that writes them one after the other, as typed (« marchés réservés »), counts
      // POIDS_ENSEMBLE times: it is more likely about them than one holding them apart (« budget » here,
      // « financement participatif » there). A weight, not a rank: the page gathering a subject whose title
      // words them otherwise (« Maillage et articulation des actions territoriales ») still comes first.
      var ensemble = null
      if (complets.length && mots.length > 1) {
        pages.forEach(function (p) {
          p.fins = seSuivent(mots.map(function (m) { return m.pages[p.id] }), rangs)
          p.ensemble = p.fins.length > 0
          if (p.ensemble) p.score *= POIDS_ENSEMBLE
        })
        ensemble = pages.filter(function (p) { return p.ensemble }).length
      }
      // Then the pages holding the words typed, before those holding only longer words the last word starts.
      function avant(a, b) { return b.rang - a.rang || b.entiers - a.entiers || b.score - a.score }
      pages.sort(avant)
      // Of the pages gathering a subject that write the words together, the one writing them most often is the one
      // about them: they are ordered among themselves by their score counted 1 + ln(times written together) times, in
      // the places they hold in the list (search QA: « conseil de l'ESS » listed the Co-construction cadre, which
      // writes it some 30 times, fifth, after champs writing it a few times). In their places only: a champ writing a
      // territory's name 20 times must not push the territory's page out of the first results (« Nantes Métropole »),
      // and a territory's page, which writes a phrase more often as it grows longer, is not weighed so.
      var sujets = pages.filter(function (p) { return p.ensemble && p.resultats.some(function (r) { return r.guideSujet }) })
      if (sujets.length > 1) {
        var places = sujets.map(function (p) { return pages.indexOf(p) })
        sujets.map(function (p) { return { id: p.id, rang: p.rang, entiers: p.entiers, score: p.score * (1 + Math.log(p.fins.length)), page: p } })
          .sort(avant).forEach(function (x, k) { pages[places[k]] = x.page })
      }
      return {
        resultats: pages.map(function (p) {
          var etendue = rangs[rangs.length - 1] - rangs[0]
          return { id: p.id, score: p.score, rang: p.rang, data: function () { return donnees(p.resultats, p.fins, etendue) } }
        }),
        // Pages writing the words together (null for one word or none holding them all), and whether the
        // pages given hold only some of the words: the lists say so rather than let them pass for answers.
        ensemble: ensemble, partiel: !complets.length && mots.length > 1,
        inconnus: [], ignores: ignores, vides: vides
      }
    })
  }

  /** Whether a page writes the words in the order typed, each at most as far from the one before as in the
   *  query (`rangs`: places in the query, one-letter words counted: « accès à emploi »), or at the same place
   *  (Pagefind places the parts of « tiers-lieux » where the compound is). From Pagefind's places of each
   *  word's forms on the page: the word's stem or a longer one (« budgets participatifs »). The places of the
   *  last word where the words so end, [] when the page never writes them together. */
  function seSuivent(parMot, rangs) {
    var places = parMot.map(function (resultats) {
      var ici = {}
      ;(resultats || []).forEach(function (r) { (r.words || []).forEach(function (l) { ici[l] = true }) })
      return ici
    })
    var atteintes = Object.keys(places[0]).map(Number)
    for (var i = 1; i < places.length && atteintes.length; i++) {
      var ecart = rangs[i] - rangs[i - 1], suivantes = {}
      atteintes.forEach(function (l) {
        for (var d = 0; d <= ecart; d++) if (places[i][l + d]) suivantes[l + d] = true
      })
      atteintes = Object.keys(suivantes).map(Number)
    }
    return atteintes
  }

  // ---------------------------------------------------------------------------------------------------
  // Excerpts from the whole-word places. Pagefind's API builds a result's excerpt and sections from the
  // places of one search; a page of the guide's results has the places of several (one exact search per
  // word). Its build_excerpt, calculate_excerpt_region and calculate_sub_results (pagefind.js 1.5.2) are
  // ported here, on the places of all the words: the excerpt is the densest stretch of the page's weighted
  // places (the source notes weigh nothing, macros/guide/sorties/recherche.py: an excerpt comes from the text).

  var LONGUEUR = 24  // words of an excerpt

  /** Whether a place of Pagefind's ordinary search holds the word searched whole (its stem), not a longer
   *  stem that starts with it: Pagefind scores a place weight² × word_length_bonus(difference of lengths + 1)
   *  (pagefind_web/src/search.rs), so the whole word's places score the bonus of a difference of 0. With
   *  ranking.termSimilarity at SIMILARITE the bonus of a longer stem is under a tenth of it, and even several
   *  of them summed at one place (parts of a compound word) stay under it. A place of weight 0 (the source
   *  notes) says nothing: it is not marked. */
  function entier(l) {
    var poids = l.weight * 24  // Pagefind's data gives the weight divided by 24, its scale
    return poids > 0 && l.balanced_score / (poids * poids) >= BONUS_ENTIER * 0.999
  }

  /** Pagefind's data of a page, with the excerpt and sections made from the places of `resultats` (exact
   *  results of the same page, one per word). Fragments are loaded one after the other: each data() call
   *  writes its places into Pagefind's cached copy of the fragment. */
  function donnees(resultats, fins, etendue) {
    var places = {}, fragment = null
    return resultats.reduce(function (attente, r) {
      return attente.then(function () {
        return r.data().then(function (d) {
          fragment = d
          var ecrits = r.guideSuite ? String(d.content || "").split(/\s+/) : null
          ;(d.weighted_locations || []).filter(entier).filter(function (l) {
            return !ecrits || enSuite(ecrits, l.location, r.guideSuite)
          }).forEach(function (l) {
            var vu = places[l.location]
            if (!vu || l.weight > vu.weight) places[l.location] = { weight: l.weight, balanced_score: l.balanced_score, location: l.location }
          })
        })
      })
    }, Promise.resolve()).then(function () {
      var ponderees = Object.keys(places).map(function (k) { return places[k] }).sort(function (a, b) { return a.location - b.location })
      // A page writing the words together (`fins`: where they end, seSuivent): the excerpt where it writes them
      // (reader QA: « conseil de développement » listed a champ page for an example writing it, under an excerpt
      // of « de » and « développement » elsewhere, without « conseil »), and only there the words marked and the
      // sections listed (search QA: « Saint-Étienne » marked each « Saint- » of a list of communes, and listed the
      // sections « Ville de Saint-Denis » and « … Saint-Dié-des-Vosges » of a champ page).
      var ensemble = (fins || []).length ? ponderees.filter(function (l) {
        return fins.some(function (f) { return l.location <= f && l.location >= f - etendue })
      }) : []
      if (ensemble.length) ponderees = ensemble
      var d = {}
      Object.keys(fragment).forEach(function (k) { d[k] = fragment[k] })
      d.weighted_locations = ponderees
      d.locations = ponderees.map(function (l) { return l.location })
      var contenu = d.raw_content || String(d.content || "").replace(/</g, "&lt;").replace(/>/g, "&gt;")
      // Where the words are written together, the excerpt holds one such place whole, centred: a window of the best
      // score could hold the end of one and the start of the next (« … réservés. La troisième … (SPASER), Marchés … »,
      // Besançon's page for « marchés réservés »).
      var debut = ensemble.length ? entourer(ponderees, fins, etendue) : region(ponderees, LONGUEUR)
      d.excerpt = extrait(contenu, debut, LONGUEUR, d.locations)
      d.sub_results = sousResultats(d, contenu)
      return d
    })
  }

  /** Whether the word at `place` of a page's words (`ecrits`, its content split at spaces, as Pagefind counts places)
   *  is one of the words of `suite` (folded) where the page writes them all, one after the other. */
  function enSuite(ecrits, place, suite) {
    for (var j = 0; j < suite.length; j++) {
      var debut = place - j
      if (debut >= 0 && suite.every(function (mot, k) { return plier(nu(ecrits[debut + k] || "")) === mot })) return true
    }
    return false
  }

  /** The first word of an excerpt centred on the place where the words are written together (`fins`: where they end,
   *  each `etendue` words after its start) that scores most (`places`: the words' places there), the first of equals. */
  function entourer(places, fins, etendue) {
    var meilleure = null, score = -1
    fins.forEach(function (f) {
      var ici = places.filter(function (l) { return l.location <= f && l.location >= f - etendue })
        .reduce(function (somme, l) { return somme + l.balanced_score }, 0)
      if (ici > score) { score = ici; meilleure = f }
    })
    return Math.max(0, meilleure - etendue - Math.floor((LONGUEUR - etendue - 1) / 2))
  }

  function region(places, longueur) {
    if (!places.length) return 0
    var mots = []
    places.forEach(function (p) { mots[p.location] = (mots[p.location] || 0) + p.balanced_score })
    if (mots.length <= longueur) return 0
    var somme = 0
    for (var i = 0; i < longueur; i++) somme += mots[i] || 0
    var meilleure = somme, debuts = [0]
    for (i = 0; i < mots.length; i++) {
      somme += (mots[i + longueur] || 0) - (mots[i] || 0)
      if (somme > meilleure) { meilleure = somme; debuts = [i + 1] }
      else if (somme === meilleure && debuts[debuts.length - 1] === i) debuts.push(i + 1)
    }
    return debuts[Math.floor(debuts.length / 2)]
  }

  function extrait(contenu, debut, longueur, places, pasAvant, pasApres) {
    var mots = contenu.split(/[\r\n\s]+/g)
    var fin = pasApres == null ? mots.length : pasApres
    var commencement = pasAvant || 0
    if (fin - commencement < longueur) longueur = fin - commencement
    if (debut + longueur > fin) debut = fin - longueur
    if (debut < commencement) debut = commencement
    places.forEach(function (p) { if (mots[p] != null && mots[p].indexOf("<mark>") !== 0) mots[p] = "<mark>" + mots[p] + "</mark>" })
    // Pagefind's text of a page puts a space where it left out an element (a note call: « solidaire¹. »), read
    // « solidaire . » (phone QA): no space before a full stop, a comma or a closing bracket.
    var texte = mots.slice(debut, debut + longueur).join(" ").trim().replace(/ ([.,)])(?= |$)/g, "$1")
      // A figure's groups as the page writes them, joined by a narrow no-break space: Pagefind's text has plain spaces,
      // and an excerpt broke « 219 380 » over two lines on a phone (reader QA). (Not a year before a figure: « en
      // 2014 200 projets ».)
      .replace(/(^|[^\d])(\d{1,3})((?: \d{3})+)(?!\d)/g, function (_, avant, tete, groupes) {
        return avant + tete + groupes.replace(/ /g, "\u202f")
      })
    // A passage cut from its page or section says so (search QA: excerpts began and ended mid-sentence, without a sign).
    // (its first word the end of a sentence it cuts, « . L'étude… », left out: the ellipsis stands for it)
    if (debut > commencement) texte = texte.replace(/^[.,;:)\]]+\s*/, "")
    if (!texte) return texte
    return (debut > commencement ? "… " : "") + texte + (debut + longueur < fin ? " …" : "")
  }

  function sousResultats(d, contenu) {
    var adresse = (d.meta && d.meta.url) || d.url
    var ancres = (d.anchors || []).filter(function (a) { return /h\d/i.test(a.element) && a.text && /\S/.test(a.text) })
      .sort(function (a, b) { return a.location - b.location })
    var out = [], position = 0
    var courant = { title: d.meta && d.meta.title, url: adresse, weighted_locations: [], locations: [] }
    function ajouter(finDeSection) {
      if (!courant.locations.length) return
      var relatives = courant.weighted_locations.map(function (l) {
        return { weight: l.weight, balanced_score: l.balanced_score, location: l.location - position }
      })
      var debut = region(relatives, LONGUEUR) + position
      var longueur = finDeSection ? Math.min(finDeSection - debut, LONGUEUR) : LONGUEUR
      courant.excerpt = extrait(contenu, debut, longueur, courant.locations, position, finDeSection)
      out.push(courant)
    }
    d.weighted_locations.forEach(function (l) {
      if (!ancres.length || l.location < ancres[0].location) {
        courant.weighted_locations.push(l)
        courant.locations.push(l.location)
        return
      }
      var ancre = ancres.shift()
      ajouter(ancre.location)
      while (ancres.length && l.location >= ancres[0].location) ancre = ancres.shift()
      position = ancre.location
      courant = { title: ancre.text, url: String(adresse).replace(/#.*$/, "") + "#" + ancre.id, anchor: ancre,
                  weighted_locations: [l], locations: [l.location] }
    })
    ajouter(ancres[0] && ancres[0].location)
    return out
  }

  /** What the results of several words are, when they are not pages writing them as typed: « Aucune page
   *  n'écrit « budget participatif » : … » (the words apart), or pages holding only some of them; else "". */
  function avertissement(reponse, saisie) {
    var une = reponse.resultats.length === 1
    var vides = reponse.vides || []
    // The words searched, without the common ones left out (« comment soutenir une scic »: « soutenir scic »), and
    // the common ones named, in the header's list as on the results page (verifying QA).
    var cherches = vides.length ? mots(saisie).filter(function (m) { return vides.indexOf(m) < 0 }).join(" ") : saisie
    var sans = vides.length ? " Mots courants non cherchés : " + vides.join(", ") + "." : ""
    if (reponse.partiel) return "Aucune page n'a tous ces mots : " + (une ? "cette page en a" : "ces pages en ont") + " une partie." + sans
    if (reponse.ensemble === 0) {
      return "Aucune page n'écrit « " + cherches + " » : " + (une ? "cette page en a" : "ces pages en ont") + " les mots séparément." + sans
    }
    return sans.trim()
  }

  /** The words Pagefind marked in excerpts, lower case, as the pages write them (accents kept): those the opened
   *  page highlights (`?h=`). With `requete` (the query's words), only the marked words that are forms of one of
   *  them (see `forme`): an acronym's definition and the other words of a marked compound name are not spread
   *  over the opened page (search QA: « PTCE » left 143 marks on the coopération page, each « coopération »;
   *  « Saint Etienne » marked « Jarez » and « Joseph » in a list of communes). Nor figures of three digits or
   *  less (« 25000 » marked each « 000 » of the page). */
  function marques(extraits, requete) {
    var voulus = requete ? requete.map(plier) : null
    var out = []
    extraits.forEach(function (extrait) {
      (String(extrait || "").match(/<mark>[^<]*<\/mark>/g) || []).forEach(function (m) {
        parties(m.slice(6, -7)).forEach(function (mot) {
          if (out.indexOf(mot) >= 0) return
          if (voulus && !voulus.some(function (v) { return forme(plier(mot), v) })) return
          out.push(mot)
        })
      })
    })
    return out
  }

  /** The words of a query the opened page may mark when no excerpt marked any (`parties` of each). */
  function surlignables(liste) {
    var out = []
    liste.forEach(function (m) {
      parties(m).forEach(function (mot) { if (out.indexOf(mot) < 0) out.push(mot) })
    })
    return out
  }

  /** The words the opened page of a result highlights (`?h=`), in the header's list and on the results page alike: the
   *  words its excerpts mark (`marques`); where they mark no word of the query (a code written « L2113‑15 » with a
   *  non-breaking hyphen, an acronym found through its definition), the words typed, so that the page still marks
   *  them where it writes them (search QA: « L2113-15 », « CAE » opened pages with an empty « ?h= », then the results
   *  page's links had none). */
  function surligner(extraits, liste) {
    var mots = marques(extraits, liste)
    return mots.length ? mots : surlignables(liste)
  }

  /** The parts of a text a page can highlight, lower case: split at spaces, apostrophes and hyphens (non-breaking
   *  ones too: « L2113‑15 »), their punctuation off, none of two letters or less, no figure of three digits or less. */
  function parties(texte) {
    return String(texte).toLowerCase().split(/[\s\-\u2010\u2011'’]+/).map(nu).filter(function (mot) {
      return mot.length > 2 && !/^\d{1,3}$/.test(mot)
    })
  }

  /** Whether two folded words are forms of one word, as a stemmer or a completion relates them: the same word,
   *  or a common start of three letters or more that leaves at most two letters of the shorter (« réservé » and
   *  « réservés », « économie » and « économique », « asso » and « association »). */
  function forme(a, b) {
    var n = 0
    while (n < a.length && n < b.length && a[n] === b[n]) n++
    return a === b || (n >= 3 && n >= Math.min(a.length, b.length) - 2)
  }

  /** The sections of a result that hold the words (anchors), most matches first; a section whose excerpt the
   *  result already shows (the page's, or a section's before it) has none: an action a champ page lists under
   *  two levers gave the same excerpt three times, under the page and each lever (reader QA). */
  function sections(donnees, sansExtraitDeLaPage) {
    // (`sansExtraitDeLaPage`: the header's list, where Material hides the page's excerpt as soon as it lists
    // sections; a code found only in « Identité officielle » showed neither, search QA.)
    var montres = sansExtraitDeLaPage ? [] : [donnees.excerpt]
    return (donnees.sub_results || []).filter(function (s) { return s.url.indexOf("#") >= 0 })
      .sort(function (a, b) { return (b.locations || []).length - (a.locations || []).length })
      .map(function (s) {
        if (montres.indexOf(s.excerpt) < 0) { montres.push(s.excerpt); return s }
        return Object.assign({}, s, { excerpt: "" })
      })
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

  /** The query `saisie` with its word `mot` (one of `mots(saisie)`) replaced by `par`, the rest as typed: a
   *  suggestion's link. The word is found between separators (space, hyphen, apostrophe, quotes): « tier-lieux »
   *  with « tiers » for « tier » is « tiers-lieux » (split on spaces only, the hyphenated word was never the word
   *  and the link led to the same empty search, reader QA). Where it is not found as typed (a ligature the guide
   *  writes), the query's words, with it replaced. */
  function corriger(saisie, mot, par) {
    saisie = String(saisie || "").normalize("NFC").trim()
    var avant = /[\s\-\u2010\u2011'’"«»“”„(]/, apres = /[\s\-\u2010\u2011'’"«»“”„),.;:!?]/
    for (var i = saisie.indexOf(mot); i >= 0; i = saisie.indexOf(mot, i + 1)) {
      var fin = i + mot.length
      if ((i === 0 || avant.test(saisie[i - 1])) && (fin === saisie.length || apres.test(saisie[fin]))) {
        return saisie.slice(0, i) + par + saisie.slice(fin)
      }
    }
    return mots(saisie).map(function (m) { return m === mot ? par : m }).join(" ")
  }

  /** The query `saisie` without the words no page holds (`inconnus`, as `chercher` gives them), each typed word that
   *  was only such words left out whole (« l'emphytéose » with its article), and how many pages it finds with `filtres`:
   *  {mots, nombre}, or null when nothing is left to search or it finds nothing. The lists offer it after saying what
   *  is missing: « bail emphytéotique » ended on « aucun résultat », « bail » on 9 pages one edit away (phone QA). */
  function sansInconnus(pagefind, saisie, inconnus, filtres) {
    var absents = inconnus.map(function (i) { return i.mot })
    // A compound name without one of its parts is another name (« Saint-Malo »: « Saint » alone, 72 pages), and little
    // words alone find every page (« Le Mans »: « Le », 146): neither is offered (search QA).
    var reste = propre(saisie).trim().split(/\s+/).map(function (jeton) {
      var siens = mots(jeton)
      return siens.some(function (m) { return absents.indexOf(m) >= 0 }) ? "" : jeton
    }).filter(Boolean).join(" ")
    var liste = mots(reste)
    if (!liste.length || liste.length === mots(saisie).length) return Promise.resolve(null)
    if (liste.every(function (m) { return MOTS_VIDES.indexOf(plier(m)) >= 0 })) return Promise.resolve(null)
    // Its last word taken as being typed, as the lists take it: the count offered is the count its link gives.
    return chercher(pagefind, liste, filtres, true).then(function (r) {
      return r.resultats.length ? { mots: reste, nombre: r.resultats.length } : null
    })
  }

  function echapper(texte) {
    return String(texte).replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;")
  }

  return { charger: charger, plier: plier, mots: mots, chercher: chercher, distance: distance, propre: propre, completions: completions, completerLeMot: completerLeMot, raccourcis: raccourcis, titreExact: titreExact, ordonner: ordonner, marques: marques, surligner: surligner, sections: sections,
           type: type, adresse: adresse, echapper: echapper, avertissement: avertissement, corriger: corriger,
           sansInconnus: sansInconnus }
})()
