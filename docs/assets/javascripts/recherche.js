/* The full results page of the search (docs/recherche.md): every result of a query, narrowed by
 * page type, région, type de collectivité and champ d'action (Pagefind's filters, written on each
 * page by macros/guide/sorties/recherche.py), combinable; the query and the filters live in the address
 * (`recherche/?mots=…&type=…&region=…`), so a search can be shared. The header's box links here
 * (last item of its list). Re-run on every page with Material's instant navigation; does nothing
 * on pages without the form.
 */
(function () {
  "use strict"

  var FILTRES = ["type", "region", "collectivite", "champ", "levier"]
  // The height (px) the first result's title and the start of its excerpt take under the count.
  var PLACE_DU_PREMIER_RESULTAT = 160
  // Back to the results page from a result: the results it showed (« Afficher plus de résultats ») and the place the
  // reader was at come back (search QA: back from result 25 showed 20 results, at the count). Kept for the tab
  // (sessionStorage), by address; restored only on a return (Material's instant navigation answers the back button
  // with popstate, a full page load reports « back_forward »).
  var MEMOIRE = "guide-recherche:"
  var RETOUR = false
  // (Only a return to a results page counts: a « back » between a page's anchors elsewhere does not.)
  window.addEventListener("popstate", function () { RETOUR = /\/recherche\/$/.test(location.pathname) })

  function retenir(montres) {
    try {
      sessionStorage.setItem(MEMOIRE + location.pathname + location.search, JSON.stringify({ montres: montres, y: window.scrollY }))
    } catch (e) { /* storage refused (private browsing): nothing kept */ }
  }

  function souvenir() {
    var nav = performance.getEntriesByType ? performance.getEntriesByType("navigation")[0] : null
    var retour = RETOUR || (nav && nav.type === "back_forward")
    RETOUR = false
    if (!retour) return null
    try {
      return JSON.parse(sessionStorage.getItem(MEMOIRE + location.pathname + location.search) || "null")
    } catch (e) { return null }
  }
  var PAR_PAGE = 20  // results whose fragment is loaded at a time (« Afficher plus de résultats »)
  var R = window.GuideRequete

  // The site's root, resolved once, on the page that loaded this script. Material's instant navigation keeps that
  // page's configuration (#__config) on every page it brings in, and its base is relative to that first page:
  // resolved against a later address (the results page reached from the home page or a territory page), it
  // pointed Pagefind elsewhere (« Failed to fetch dynamically imported module »). Material resolves it once too.
  var RACINE = (function () {
    var config = document.getElementById("__config")
    return config ? new URL(JSON.parse(config.textContent).base.replace(/\/?$/, "/"), location.href) : null
  })()
  window.GuideRacine = RACINE  // for the header's box (recherche-entete.js, loaded after this file)

  function element(nom, attributs, enfants) {
    var el = document.createElement(nom)
    Object.keys(attributs || {}).forEach(function (cle) { el.setAttribute(cle, attributs[cle]) })
    ;(enfants || []).forEach(function (enfant) {
      el.appendChild(typeof enfant === "string" ? document.createTextNode(enfant) : enfant)
    })
    return el
  }

  /** A Pagefind excerpt (escaped text with <mark>) as nodes, without parsing it as HTML. */
  function extrait(html) {
    var p = element("p", { "class": "guide-recherche__extrait" })
    String(html || "").split(/(<mark>[^<]*<\/mark>)/).forEach(function (morceau) {
      var marque = /^<mark>([^<]*)<\/mark>$/.exec(morceau)
      var decode = document.createElement("textarea")  // entities decoded, spaces kept, nothing run
      decode.innerHTML = marque ? marque[1] : morceau
      var texte = decode.value
      p.appendChild(marque ? element("mark", {}, [texte]) : document.createTextNode(texte))
    })
    return p
  }

  function resultat(donnees, base, liste) {
    var mots = R.surligner([donnees.excerpt].concat((donnees.sub_results || []).map(function (s) { return s.excerpt })), liste)
    var type = R.type(donnees)
    var lien = element("a", { href: new URL(R.adresse(donnees.url.replace(/#.*$/, ""), mots), base).href },
                       [donnees.meta.title || donnees.url])
    var titre = element("h2", { "class": "guide-recherche__titre" }, [
      element("span", { "class": "guide-resultat-type", "data-type": type }, [type, element("span", { "class": "guide-sr" }, [" : "])]),
      lien])
    var li = element("li", { "class": "guide-recherche__resultat" }, [titre, extrait(donnees.excerpt)])
    var sections = R.sections(donnees).slice(0, 3)
    if (sections.length) {
      li.appendChild(element("ul", { "class": "guide-recherche__sections", "aria-label": "Sections de la page où figurent les mots" },
        sections.map(function (s) {
          var lien = element("a", { href: new URL(R.adresse(s.url, mots), base).href }, [s.title])
          return element("li", {}, s.excerpt ? [lien, extrait(s.excerpt)] : [lien])
        })))
    }
    return li
  }

  /** For words no page holds: what is missing, and links to the query with each near word instead. */
  function propositions(inconnus, e, reste) {
    var div = element("div", { "class": "guide-recherche__inconnus" })
    inconnus.forEach(function (inconnu) {
      var p = element("p", {}, ["Le mot « " + inconnu.mot + " » ne figure dans aucune page du guide."])
      if (inconnu.suggestions.length) {
        p.appendChild(document.createTextNode(" Mots proches : "))
        inconnu.suggestions.forEach(function (mot, i) {
          var corrige = { mots: R.corriger(e.mots, inconnu.mot, mot), filtres: e.filtres }
          if (i) p.appendChild(document.createTextNode(", "))
          p.appendChild(element("a", { href: adresseDe(corrige) }, [mot]))
        })
        p.appendChild(document.createTextNode("."))
      }
      div.appendChild(p)
    })
    // The other words, without the missing ones (R.sansInconnus), when they find pages with the same filters.
    if (reste) {
      div.appendChild(element("p", {}, ["Sans " + (inconnus.length > 1 ? "ces mots" : "ce mot") + " : ",
        element("a", { href: adresseDe({ mots: reste.mots, filtres: e.filtres }) },
                [(reste.nombre === 1 ? "1 résultat" : reste.nombre + " résultats") + " pour « " + reste.mots + " »"]), "."]))
    }
    // A place not in the guide (« Quimper ») has no fiche: the list of those it has is one click away (search QA:
    // the page said only that the word was nowhere).
    if (RACINE) {
      div.appendChild(element("p", {}, ["Un territoire sans fiche n'apparaît dans aucune page : voir ",
        element("a", { href: new URL("territoires/", RACINE).href }, ["la liste des territoires du guide"]), "."]))
      // …nor a subject the publications do not treat (« piscine »): the levers they do (reader QA)
      div.appendChild(element("p", {}, ["Un sujet que les publications ne traitent pas n'a pas de page : voir ",
        element("a", { href: new URL("leviers/", RACINE).href }, ["les leviers d'action du guide"]), "."]))
    }
    return div
  }

  function etat(form) {
    var out = { mots: R.propre(form.elements.mots.value).trim(), filtres: {} }
    FILTRES.forEach(function (nom) { if (form.elements[nom].value) out.filtres[nom] = form.elements[nom].value })
    return out
  }

  function adresseDe(e) {
    var params = new URLSearchParams()
    if (e.mots) params.set("mots", e.mots)
    FILTRES.forEach(function (nom) { if (e.filtres[nom]) params.set(nom, e.filtres[nom]) })
    var q = params.toString()
    return location.pathname + (q ? "?" + q : "")
  }

  function remplirFiltres(form, valeurs, choisis) {
    FILTRES.forEach(function (nom) {
      var select = form.elements[nom]
      var options = Object.keys(valeurs[nom] || {})
      if (choisis[nom] && options.indexOf(choisis[nom]) < 0) options.push(choisis[nom])
      options.sort(function (a, b) { return a.localeCompare(b, "fr") })
      select.textContent = ""
      select.appendChild(element("option", { value: "" }, [select.getAttribute("data-tous")]))
      options.forEach(function (valeur) { select.appendChild(element("option", { value: valeur }, [valeur])) })
      select.value = choisis[nom] || ""
    })
  }

  function installer(form) {
    if (form.getAttribute("data-guide-pret")) return
    form.setAttribute("data-guide-pret", "1")
    var statut = document.getElementById("recherche-statut")
    var zone = document.getElementById("recherche-resultats")
    var base = RACINE
    var params = new URLSearchParams(location.search)
    var choisis = {}
    FILTRES.forEach(function (nom) { if (params.get(nom)) choisis[nom] = params.get(nom) })
    form.elements.mots.value = R.propre(params.get("mots") || "").trim()
    // Opened with words (the header's Enter or « Tous les résultats »): once the first results are shown, the
    // keyboard and the screen reader go to their count, the phone's screen with them; it took some 16 Tab stops,
    // and a phone's first screen held only the form (phone QA). Not when the reader is busy elsewhere on the page.
    var allerAuxResultats = !!params.get("mots")
    // The filters, folded on a phone under a summary that counts them (reader QA: the page opened at its results had
    // them a screen above), open on a wider screen, where the summary is not shown (guide.css).
    var volet = document.getElementById("recherche-volet")
    var etatDuVolet = document.getElementById("recherche-volet-etat")
    var large = window.matchMedia("(min-width: 45em)")
    if (volet) {
      volet.open = large.matches
      large.addEventListener("change", function () { if (large.matches) volet.open = true })
    }
    function direLesFiltres(e) {
      var n = Object.keys(e.filtres).length
      if (etatDuVolet) etatDuVolet.textContent = n === 0 ? "aucun filtre" : n === 1 ? "1 filtre actif" : n + " filtres actifs"
    }
    var rappel = souvenir()  // { montres, y } of this address, on a return
    if (location.protocol === "file:") {  // the browser refuses Pagefind's worker and index there
      statut.textContent = window.GuideRechercheHorsLigne || "La recherche ne fonctionne pas depuis un dossier (file://)."
      return
    }
    form.hidden = false
    statut.textContent = "Chargement de la recherche…"

    R.charger(base).then(function (pagefind) {
      return pagefind.filters().then(function (valeurs) {
        remplirFiltres(form, valeurs, choisis)
        var numero = 0
        function lancer() {
          var e = etat(form), n = ++numero
          direLesFiltres(e)
          history.replaceState(history.state, "", adresseDe(e))
          var liste = R.mots(e.mots)
          if (!liste.length && !Object.keys(e.filtres).length) {
            zone.textContent = ""
            statut.textContent = "Saisir des mots ou choisir un filtre."
            return
          }
          // The last word is taken as being typed, as in the header's box, whose « Tous les résultats »
          // leads here: the same words give the same pages.
          Promise.all([R.chercher(pagefind, liste, e.filtres, true).then(function (reponse) {
            if (!reponse.inconnus.length) return [reponse, null]
            return R.sansInconnus(pagefind, e.mots, reponse.inconnus, e.filtres).then(function (reste) { return [reponse, reste] })
          }), R.raccourcis(liste)]).then(function (r) {
            var reponse = r[0][0], reste = r[0][1], raccourcis = r[1]
            if (n !== numero) return
            var resultats = reponse.resultats
            var ol = element("ol", { "class": "guide-recherche__liste" })
            var filtresTexte = Object.keys(e.filtres).map(function (nom) { return e.filtres[nom] }).join(", ")
            var compte = (resultats.length === 0 ? "Aucun résultat" : resultats.length === 1 ? "1 résultat"
              : resultats.length + " résultats") + (e.mots ? " pour « " + e.mots + " »" : "") +
              (filtresTexte ? " (filtres : " + filtresTexte + ")" : "") + "." +
              (resultats.length && R.avertissement(reponse, e.mots) ? " " + R.avertissement(reponse, e.mots) : "") +
              (reponse.ignores.length ? " Mots d'une lettre non cherchés : " + reponse.ignores.join(", ") + "." : "")
            var montres = 0
            var rendu = rappel  // the first display of a return only
            rappel = null
            function suite() {
              var lot = resultats.slice(montres, montres + PAR_PAGE)
              montres += lot.length
              return Promise.all(lot.map(function (r) { return r.data() })).then(function (pages) {
                if (n !== numero) return
                if (!ol.parentNode) {
                  // The list and its count replace the previous ones together, once the first results are
                  // read: a count announced before its results would send a keyboard user to an empty list.
                  zone.textContent = ""
                  if (reponse.inconnus.length) zone.appendChild(propositions(reponse.inconnus, e, reste))
                  // « 35 », « communauté de communes »: the territories of that département, of that type, too
                  raccourcis.forEach(function (c) {
                    zone.appendChild(element("p", { "class": "guide-recherche__raccourci" }, [
                      c.avant, element("a", { href: new URL(c.adresse, RACINE).href }, [c.lien]), "."]))
                  })
                  zone.appendChild(ol)
                  statut.textContent = compte
                  var actif = document.activeElement
                  if (allerAuxResultats && !rendu && (!actif || actif === document.body || actif.closest(".md-search"))) {
                    statut.tabIndex = -1
                    statut.focus({ preventScroll: true })
                    // The screen shows the count and room for the first result below it, and the form above it when
                    // both fit (reader QA: brought to the top of the screen, the count had the filters a screen above;
                    // folded on a phone, they fit); else the count is brought to the top (phone QA: a first screen
                    // that held only the form).
                    var haut = form.getBoundingClientRect().top, bas = statut.getBoundingClientRect().bottom
                    var place = window.innerHeight - PLACE_DU_PREMIER_RESULTAT
                    // (brought to the top, the form stands below Material's header: its scroll margin, guide.css)
                    var marge = parseFloat(getComputedStyle(form).scrollMarginTop) || 0
                    if (bas > place) (bas - haut <= place - marge ? form : statut).scrollIntoView({ block: "start" })
                  }
                  allerAuxResultats = false
                }
                R.ordonner(pages, liste).forEach(function (donnees) { ol.appendChild(resultat(donnees, base, liste)) })
                if (rendu && montres < rendu.montres && montres < resultats.length) return suite()
                var plus = zone.querySelector(".guide-recherche__plus")
                if (plus) plus.remove()
                var partiel = zone.querySelector(".guide-recherche__partiel")
                if (partiel) partiel.remove()
                if (montres < resultats.length) {
                  // Paper only (impression.css): a printed list that stops says so, and where the others are.
                  zone.appendChild(element("p", { "class": "guide-recherche__partiel", hidden: "" },
                    ["Liste imprimée : les " + montres + " premiers résultats sur " + resultats.length +
                     ". Les autres s'affichent sur la page de cette recherche, à l'adresse donnée en haut de la première feuille."]))
                  var bouton = element("button", { type: "button", "class": "md-button guide-recherche__plus" },
                                       ["Afficher plus de résultats"])
                  bouton.addEventListener("click", function () {
                    var premier = montres
                    suite().then(function () {
                      var lien = ol.children[premier] && ol.children[premier].querySelector("a")
                      if (lien) lien.focus()  // keyboard users go on from the first new result
                    })
                  })
                  zone.appendChild(bouton)
                }
                if (rendu) {
                  window.scrollTo(0, rendu.y)
                  rendu = null
                }
              })
            }
            return suite()
          }).catch(function (erreur) {
            statut.textContent = "La recherche a échoué : " + erreur
          })
        }
        // A result opened: what the list shows and where the reader is, for the way back.
        zone.addEventListener("click", function (ev) {
          if (ev.target.closest && ev.target.closest("a[href]")) retenir(zone.querySelectorAll(".guide-recherche__liste > li").length)
        })
        var attente = null
        form.elements.mots.addEventListener("input", function () {
          clearTimeout(attente)
          attente = setTimeout(lancer, 300)
        })
        FILTRES.forEach(function (nom) { form.elements[nom].addEventListener("change", lancer) })
        form.addEventListener("submit", function (event) { event.preventDefault(); lancer() })
        form.addEventListener("reset", function () { setTimeout(lancer, 0) })
        lancer()
      })
    }).catch(function (erreur) {
      statut.textContent = "La recherche est indisponible : " + erreur
    })
  }

  // The words' field is made here rather than written in the page: the sanitiser lets no <input> into a
  // page (a fiche could otherwise draw a form field), and the form is shown only with JavaScript anyway.
  function champDesMots(form) {
    var place = form.querySelector("[data-guide-mots]")
    if (!place) return
    var input = document.createElement("input")
    input.type = "search"
    input.id = "recherche-mots"
    input.name = "mots"
    input.autocomplete = "off"
    input.spellcheck = false
    place.replaceWith(input)
  }

  function preparer() {
    var form = document.getElementById("guide-recherche")
    if (form) {
      champDesMots(form)
      installer(form)
    }
  }

  // From a folder (file://), Material's document$ may never run: the page is prepared when loaded.
  if (location.protocol !== "file:" && window.document$ && typeof window.document$.subscribe === "function") {
    window.document$.subscribe(preparer)
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", preparer)
  } else {
    preparer()
  }
})()
