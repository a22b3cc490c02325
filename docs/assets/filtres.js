/*
 * Reader tools of the guide, on top of Material for MkDocs (re-run on every page with instant navigation):
 *  - the territory finder: filters (name, type, region, département, population band, champ, lever, RTES members) and
 *    sort of the territory table (by region then name by default, as the page says),
 *    state kept in the URL so a filtered list can be shared; without JavaScript the table is the full list;
 *    on a phone the form is folded in a disclosure whose summary counts the active filters and the territories;
 *  - acronyms: every <abbr title> of the content is focusable, so Material's tooltip also shows on keyboard focus;
 *  - search results say what they are (territory, champ d'action, focus, cadre or page);
 *  - Material's search dialog and progress bar get an accessible name.
 */
(function () {
  "use strict";

  /* ---------- Territory finder ---------- */

  function compare(tri) {
    var num = function (row) {
      var v = row.getAttribute("data-population");
      return v === "" ? null : parseFloat(v);
    };
    var byName = function (a, b) {
      var x = a.getAttribute("data-nom"), y = b.getAttribute("data-nom");  /* accent-free sort keys */
      return x < y ? -1 : x > y ? 1 : 0;
    };
    if (!tri) {
      /* By region, then by name: the order the build wrote the rows in (index_territoires.md.j2), as the page says. */
      return function (a, b) { return a.guideRang - b.guideRang; };
    }
    if (tri === "population" || tri === "population-croissante") {
      var sign = tri === "population" ? -1 : 1;
      return function (a, b) {
        var x = num(a), y = num(b);
        if (x === null && y === null) return byName(a, b);
        if (x === null) return 1;   /* unknown population last, whatever the order */
        if (y === null) return -1;
        return sign * (x - y) || byName(a, b);
      };
    }
    return byName;
  }

  /* Capitals, accents and punctuation aside: « ile de france » is « Île-de-France ». */
  function plier(t) {
    return t.normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase().replace(/[^a-z0-9]+/g, " ").trim();
  }

  /* The name typed, and the same with « st », « ste » read « saint », « sainte » (reader QA: « st etienne » found
     nothing); the first form still finds what « st » begins, on the way to « strasbourg ». */
  function formesDuNom(saisie) {
    var plie = plier(saisie);
    var saint = (" " + plie + " ").replace(/ st(?= )/g, " saint").replace(/ ste(?= )/g, " sainte").trim();
    return saint === plie ? [plie] : [plie, saint];
  }

  function matches(row, state) {
    /* A part of its name or of an alias (« haguenau », « mel »): the list sorted by official name put Haguenau among
       twenty « Communauté … », in a list 27,000 px long on a phone (phone QA). */
    if (state.nom) {
      var noms = " " + plier(row.getAttribute("data-noms") || "") + " ";
      if (!formesDuNom(state.nom).some(function (f) { return noms.indexOf(" " + f) >= 0; })) return false;
    }
    if (state.type && row.getAttribute("data-type") !== state.type) return false;
    if (state.region && row.getAttribute("data-region") !== state.region) return false;
    if (state.population && row.getAttribute("data-tranche") !== state.population) return false;
    /* One or several départements (codes separated by spaces; none for a région); the map links to ?departement=38. */
    if (state.departement && (" " + row.getAttribute("data-departements") + " ").indexOf(" " + state.departement + " ") < 0)
      return false;
    if (state.champ && row.getAttribute("data-champs").split(" ").indexOf(state.champ) < 0) return false;
    if (state.levier && (row.getAttribute("data-leviers") || "").split(" ").indexOf(state.levier) < 0) return false;
    if (state.rtes && row.getAttribute("data-rtes") !== state.rtes) return false;
    return true;
  }

  function setupFinder(form) {
    var table = document.getElementById(form.getAttribute("data-guide-filtres"));
    if (!table || form.getAttribute("data-pret")) return;
    form.setAttribute("data-pret", "1");
    var tbody = table.tBodies[0];
    var rows = Array.prototype.slice.call(tbody.rows);
    rows.forEach(function (row, i) { row.guideRang = i; });
    var status = document.getElementById(table.id + "-statut");
    var summary = document.getElementById(table.id + "-resume");
    var selects = Array.prototype.slice.call(form.querySelectorAll("select, input[type=search]"));
    var fold = form.parentNode.tagName === "DETAILS" ? form.parentNode : null;
    var ignores = [];  // filters of the address that match no option: said once, under the count

    function state() {
      var s = {};
      selects.forEach(function (sel) { s[sel.name] = sel.value; });
      return s;
    }

    function apply(updateUrl) {
      var s = state();
      var shown = 0;
      rows.slice().sort(compare(s.tri)).forEach(function (row) {
        var ok = matches(row, s);
        row.hidden = !ok;
        if (ok) shown += 1;
        tbody.appendChild(row);
      });
      Array.prototype.forEach.call(table.querySelectorAll("th[data-tri]"), function (th) {
        var key = th.getAttribute("data-tri");
        var sorted = (key === "region" && !s.tri) || (key === "nom" && s.tri === "nom") ? "ascending"
          : (key === "population" && s.tri === "population") ? "descending"
          : (key === "population" && s.tri === "population-croissante") ? "ascending" : null;
        if (sorted) th.setAttribute("aria-sort", sorted); else th.removeAttribute("aria-sort");
      });
      if (status) {
        /* None left: what to do, shown even under the folded filters of a phone (phone QA: « 0 territoire »
           above an empty table). */
        status.textContent = shown === 0
          ? "Aucun territoire ne répond à tous ces filtres : retirez-en un, ou réinitialisez les filtres."
          : shown === rows.length
          ? rows.length + " territoires affichés."
          : shown + (shown > 1 ? " territoires affichés" : " territoire affiché") + " sur " + rows.length + ".";
        status.classList.toggle("guide-filtres__statut--visible", shown === 0 || ignores.length > 0);
      }
      if (summary) {
        /* The sort is not a filter: « 2 filtres actifs · 14 territoires ». */
        var active = selects.filter(function (sel) { return sel.name !== "tri" && sel.value; }).length;
        summary.textContent = (active === 0 ? "aucun filtre" : active + (active > 1 ? " filtres actifs" : " filtre actif"))
          + " · " + shown + (shown > 1 ? " territoires" : " territoire");
      }
      if (updateUrl) {
        var params = new URLSearchParams(location.search);
        selects.forEach(function (sel) {
          if (sel.value) params.set(sel.name, sel.value); else params.delete(sel.name);
        });
        var query = params.toString();
        history.replaceState(history.state, "", location.pathname + (query ? "?" + query : "") + location.hash);
      }
    }

    /* Restore the state of a shared URL (values that are not options are ignored). An address typed by hand
       (« ?region=bretagne », « ile de france ») finds its option whatever its capitals, accents and hyphens: it was
       ignored without a word (verifying QA). */
    var params = new URLSearchParams(location.search);
    selects.forEach(function (sel) {
      var value = params.get(sel.name);
      if (value === null) return;
      if (sel.tagName === "INPUT") { sel.value = value; return; }  // a name: any text
      var option = Array.prototype.find.call(sel.options, function (o) { return o.value === value; })
        || Array.prototype.find.call(sel.options, function (o) { return o.value && plier(o.value) === plier(value); });
      if (option) sel.value = option.value;
      else if (value) {
        var label = form.querySelector('label[for="' + sel.id + '"]');
        ignores.push((label ? label.textContent.trim() : sel.name) + " « " + value + " »");
      }
    });
    form.hidden = false;
    if (fold) {
      /* Folded on a phone (Material's tablet breakpoint, as the cards of guide.css), open on a wider screen
         where the summary is not shown; a change of width (turning the phone) folds or unfolds it again. */
      var wide = window.matchMedia("(min-width: 45em)");
      var follow = function () {
        if (!document.contains(fold)) { wide.removeEventListener("change", follow); return; }
        fold.open = wide.matches;
      };
      fold.open = wide.matches;
      wide.addEventListener("change", follow);
      fold.hidden = false;
    }
    form.addEventListener("change", function () { apply(true); });
    form.addEventListener("input", function (ev) { if (ev.target.tagName === "INPUT") apply(true); });
    form.addEventListener("submit", function (ev) { ev.preventDefault(); });
    form.addEventListener("reset", function () { setTimeout(function () { apply(true); }, 0); });
    apply(false);
    if (ignores.length && status) {
      /* « ?region=bretagn » showed every territory without a word (attacker QA). */
      status.textContent = "Filtre de l'adresse inconnu, ignoré : " + ignores.join(", ") + ". " + status.textContent;
      ignores = [];
    }
  }

  /* ---------- Acronyms: tooltip on keyboard focus too ---------- */

  function focusableAcronyms(root) {
    Array.prototype.forEach.call(root.querySelectorAll(".md-content abbr[title]"), function (abbr) {
      /* Not inside a link, a fold's title or a visually hidden text: the link, the fold's title is already a tab
         stop (an acronym in a fold's title, « 1 action : Partenaire du PTCE Tetris », was a stop of its own inside
         it, and Space there opened the fold and scrolled the focus out of view: keyboard QA). */
      if (abbr.closest("a, button, summary, .guide-sr")) return;
      abbr.tabIndex = 0;
    });
  }

  /* ---------- Kind of each search result ---------- */

  var families = null;  /* champ slug → label, from the open data file */

  function loadFamilies() {
    if (families !== null) return;
    families = {};
    var logo = document.querySelector("a.md-logo");
    if (!logo || !window.fetch) return;
    fetch(new URL("donnees/champs.json", logo.href)).then(function (r) { return r.ok ? r.json() : []; })
      .then(function (champs) {
        var labels = { levier: "Champ d'action", focus: "Focus thématique", cadre: "Cadre d'action" };
        champs.forEach(function (c) { families[c.identifiant] = labels[c.famille]; });
      }).catch(function () {});
  }

  function kindOf(href) {
    var path = new URL(href, location.href).pathname;
    var m = /\/(territoires|champs)\/([a-z0-9-]+)\/(?:index\.html)?$/.exec(path);
    if (m && m[1] === "territoires" && m[2] !== "matrice") return "Territoire";
    if (m && m[1] === "champs") return families[m[2]] || "Champ d'action";
    return "Page";
  }

  function labelResults(list) {
    Array.prototype.forEach.call(list.querySelectorAll(".md-search-result__item > a.md-search-result__link"), function (a) {
      var h1 = a.querySelector("h1");
      // The search's own items (every result, no result, near words) lead to the results page: no kind.
      if (!h1 || h1.querySelector(".guide-resultat-type") || /\/recherche\/\?/.test(a.getAttribute("href"))) return;
      var label = document.createElement("span");
      label.className = "guide-resultat-type";
      label.textContent = kindOf(a.getAttribute("href"));
      label.setAttribute("data-type", label.textContent);
      var sep = document.createElement("span");
      sep.className = "guide-sr";
      sep.textContent = " : ";
      label.appendChild(sep);
      h1.insertBefore(label, h1.firstChild);
    });
  }

  function watchSearch() {
    var list = document.querySelector(".md-search-result__list");
    if (!list || list.getAttribute("data-guide-observe")) return;
    list.setAttribute("data-guide-observe", "1");
    loadFamilies();
    new MutationObserver(function () { labelResults(list); }).observe(list, { childList: true, subtree: true });
    labelResults(list);
  }

  /* ---------- Names of Material's dialog and progress bar (WCAG 4.1.2) ---------- */

  function nameLandmarks() {
    [[".md-search[role=dialog]", "Recherche dans le guide"],
     [".md-progress[role=progressbar]", "Chargement de la page"]].forEach(function (pair) {
      Array.prototype.forEach.call(document.querySelectorAll(pair[0]), function (el) {
        if (!el.getAttribute("aria-label")) el.setAttribute("aria-label", pair[1]);
      });
    });
  }

  function setup() {
    nameLandmarks();
    Array.prototype.forEach.call(document.querySelectorAll("form[data-guide-filtres]"), setupFinder);
    focusableAcronyms(document);
    watchSearch();
  }

  /* Material's document$ emits on the first load and after each instant navigation. */
  if (window.document$ && typeof window.document$.subscribe === "function") {
    window.document$.subscribe(setup);
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", setup);
  } else {
    setup();
  }
})();
