/* The header's search box, beyond what Material does with it (the results come from
 * workers/guide-recherche.js):
 *  - the line above the results says how many pages the query found (« 112 résultats pour « ESS » »), or
 *    that none holds a word, and is a live region: screen readers hear it as the list updates (Material's
 *    line says neither, and is not announced);
 *  - opened from a folder (file://), the browser refuses the search's worker and index, and Material hides
 *    its box: the page says so above its text, and what to do;
 *  - a text pasted with the mouse or a phone's « Coller » is searched: Material reads the box on its key-up
 *    events only, and kept showing the previous query's list (search QA);
 *  - Enter pressed before the list answers the words in the box (typed less than the search's pause before,
 *    300 ms) waits for that list, then does what Material's Enter does (opens its best link: the results page,
 *    or the page whose title was typed); it did nothing, or opened the previous query's best link. Without a
 *    list within 3 s, the results page of the words opens;
 *  - each result's link is named by its title and excerpt: Material's link wraps an <article>, and Chromium
 *    gave it no name (a screen reader heard « lien » in the arrows' tour of the list);
 *  - the words of a result followed are offered again, selected, the next time the box is opened empty in the same
 *    tab: back from a result, a reader between two meetings found the box empty and had to type again (phone QA);
 *    typing replaces them;
 *  - Tab goes from the box through the results, Shift+Tab back, as Material's arrows do: Material's Tab closed the
 *    search, and the next Tab stop was its scrolling box, hidden by then and nameless (keyboard QA). Past the last
 *    result, Material's Tab closes the search and the focus goes on to the page (the scrolling box stays a Tab stop
 *    when the list is empty: a scrollable region must be reached by the keyboard).
 * Installed once per page of Material's instant navigation (document$), on the header present.
 */
(function () {
  "use strict"

  var HORS_LIGNE = "La recherche ne fonctionne pas sur une copie du site ouverte depuis un dossier (adresse en " +
    "file://) : le navigateur y bloque son moteur. Ouvrir le site publié, ou le servir en local " +
    "(./scripts/servir.sh, ou python3 -m http.server dans le dossier du site)."
  window.GuideRechercheHorsLigne = HORS_LIGNE  // also said by the results page (recherche.js)

  function titreDe(lien) {
    var titre = lien.querySelector(".md-search-result__title, h1, h2")
    return titre ? titre.textContent.trim() : ""
  }

  /** The list's answer to the words typed: its « Tous les résultats (N) » or « Aucun résultat » link (not a way to the
   *  territories of a type or a région that a word names, listed above it: search QA, « Nantes Métropole »), or null. */
  function reponse(liste) {
    var liens = [].slice.call(liste.querySelectorAll(".md-search-result__item a[href*='recherche/?mots=']"))
    return liens.filter(function (a) { return /^(Tous les résultats|Aucun résultat)/.test(titreDe(a)) })[0] ||
      liens[0] || null
  }

  function texte(liste) {
    var tous = reponse(liste)
    if (!tous) return null
    var libelle = titreDe(tous)
    var mots = new URL(tous.href, location.href).searchParams.get("mots") || ""
    var n = /Tous les résultats \((\d+)\)/.exec(libelle)
    if (n) return (n[1] === "1" ? "1 résultat" : n[1] + " résultats") + " pour « " + mots + " »"
    if (/Aucun résultat/.test(libelle)) {
      var proches = [].filter.call(liste.querySelectorAll(".md-search-result__item a[href*='recherche/?mots=']"),
                                   function (a) { return /Vouliez-vous dire/.test(a.textContent) }).length
      // The query without its missing words, offered (workers/guide-recherche.js), is said too.
      var seul = [].filter.call(liste.querySelectorAll(".md-search-result__item a[href*='recherche/?mots=']"),
                                function (a) { return /Chercher seulement/.test(a.textContent) }).length
      return libelle + (proches > 0 ? " ; " + (proches === 1 ? "un mot proche proposé" : proches + " mots proches proposés") : "") +
        (seul ? " ; recherche sans " + (/Ces mots/.test(liste.textContent) ? "ces mots" : "ce mot") + " proposée" : "")
    }
    return null
  }

  /** From a folder, Material hides its search box (its worker cannot start): the page says why, above its
   *  text, where the box would have answered (the results page says it in its own status line). */
  function horsLigne() {
    var contenu = document.querySelector(".md-content__inner")
    if (!contenu || document.getElementById("guide-recherche") || contenu.querySelector(".guide-hors-ligne")) return
    var bloc = document.createElement("div")
    bloc.className = "admonition warning guide-hors-ligne"
    bloc.setAttribute("role", "note")
    var titre = document.createElement("p")
    titre.className = "admonition-title"
    titre.textContent = "Recherche indisponible"
    var texte = document.createElement("p")
    texte.textContent = HORS_LIGNE
    bloc.appendChild(titre)
    bloc.appendChild(texte)
    contenu.insertBefore(bloc, contenu.firstChild)
  }

  // The site's root, as recherche.js reads it once (loaded before this file).
  var RACINE = window.GuideRacine || null

  /** The words the list answers (its « Tous les résultats » or « Aucun résultat » link), or null. */
  function motsDeLaListe(liste) {
    var lien = reponse(liste)
    return lien ? new URL(lien.href, location.href).searchParams.get("mots") : null
  }

  /** A result's link is named by what it shows (its title, then its excerpt): its <article> is only a box
   *  (role « none »), which Chromium's naming of a link from its content does not enter. */
  function nommer(liste) {
    liste.querySelectorAll("a.md-search-result__link > article:not([role])").forEach(function (article) {
      article.setAttribute("role", "none")
    })
  }

  function installer() {
    var meta = document.querySelector(".md-search-result__meta")
    var liste = document.querySelector(".md-search-result__list")
    var boite = document.querySelector("input.md-search__input")
    if (!meta || !liste || !boite || meta.hasAttribute("data-guide-annonce")) return
    meta.setAttribute("data-guide-annonce", "")
    meta.setAttribute("role", "status")
    meta.setAttribute("aria-live", "polite")
    boite.addEventListener("input", function () {
      // Material's own event, on the box only: it reads the value and drops a repeat of the same words.
      boite.dispatchEvent(new Event("keyup"))
    })
    // The words of the last result followed, for this tab only (sessionStorage); unavailable storage (a private
    // window's refusal) only loses the offer.
    var CLE = "guide-recherche-derniere"
    liste.addEventListener("click", function (e) {
      if (!e.target.closest || !e.target.closest("a[href]")) return
      var saisie = saisieDe()
      try { if (saisie) sessionStorage.setItem(CLE, saisie) } catch (erreur) { /* no storage: nothing offered */ }
    }, true)
    boite.addEventListener("focus", function () {
      var saisie = null
      try { saisie = sessionStorage.getItem(CLE) } catch (erreur) { return }
      if (boite.value || !saisie) return
      sessionStorage.removeItem(CLE)  // offered once: a box emptied on purpose stays empty the next time
      boite.value = saisie
      boite.select()
      boite.dispatchEvent(new Event("input"))
    })
    var attente = null
    // The words as the search reads them (guide-requete.js: without invisible characters), to compare with the list's.
    var saisieDe = function () {
      return (window.GuideRequete ? window.GuideRequete.propre(boite.value) : boite.value).trim()
    }
    boite.addEventListener("keydown", function (e) {
      if (e.key !== "Enter" || e.isComposing || !RACINE) return
      var saisie = saisieDe()
      if (!saisie || motsDeLaListe(liste) === saisie) return  // the list answers these words: Material's Enter
      e.preventDefault()
      e.stopPropagation()
      clearInterval(attente)
      var debut = Date.now(), ici = location.href
      attente = setInterval(function () {
        // Typing went on (a new Enter will come), or the reader went elsewhere meanwhile: nothing more to do.
        if (saisieDe() !== saisie || location.href !== ici) { clearInterval(attente); return }
        if (motsDeLaListe(liste) === saisie) {
          clearInterval(attente)
          boite.dispatchEvent(new KeyboardEvent("keydown", { key: "Enter", bubbles: true }))
        } else if (Date.now() - debut > 3000) {
          clearInterval(attente)
          location.assign(new URL("recherche/?mots=" + encodeURIComponent(saisie), RACINE).href)
        }
      }, 50)
    })
    // Material writes the line and the list in turn: the line is rewritten after either changes (a rewrite
    // that changes nothing stops there).
    var observateur = new MutationObserver(function () {
      var t = texte(liste)
      if (t && meta.textContent !== t) meta.textContent = t
      nommer(liste)
    })
    observateur.observe(liste, { childList: true, subtree: true })
    observateur.observe(meta, { childList: true, characterData: true, subtree: true })
    boite.addEventListener("keydown", tabulation)
    liste.addEventListener("keydown", tabulation)
  }

  /** Tab and Shift+Tab between the box and the results' links, in the order of Material's arrows; stopped here, before
   *  Material's handler (on window) closes the search. */
  function tabulation(e) {
    var boite = document.querySelector("input.md-search__input")
    var liste = document.querySelector(".md-search-result__list")
    if (!boite || !liste) return
    // Shift pressed on a result (Shift+Tab's first key): Material takes any other key for typing, and sent the
    // focus back to the box.
    if (e.key === "Shift" && liste.contains(document.activeElement)) { e.stopPropagation(); return }
    if (e.key !== "Tab" || e.altKey || e.ctrlKey || e.metaKey || e.defaultPrevented) return
    var cibles = [boite].concat([].slice.call(liste.querySelectorAll(":not(details) > [href], summary, details[open] [href]")))
    var ici = cibles.indexOf(document.activeElement)
    var suivante = ici + (e.shiftKey ? -1 : 1)
    if (ici < 0 || suivante < 0 || suivante >= cibles.length) return
    e.preventDefault()
    e.stopPropagation()
    cibles[suivante].focus()
  }

  if (location.protocol === "file:") {  // without Material's document$, which may not run from a folder
    if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", horsLigne)
    else horsLigne()
  } else if (window.document$ && typeof window.document$.subscribe === "function") {
    window.document$.subscribe(installer)
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", installer)
  } else {
    installer()
  }
})()
