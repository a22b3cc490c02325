/* Instant navigation (Material for MkDocs): a link to a heading of another page lands on that heading.

   Material keeps the reader's scroll position in the history entry of the page: it writes it with
   history.replaceState 100 ms after the reader stops scrolling. A link clicked within those 100 ms (a
   reader who scrolls down to a link and clicks it) pushes the new page's entry first, so the position
   of the page being left is written into the entry of the page being opened; Material then restores
   that position instead of going to the heading (the reader lands far below it, often at the bottom).
   The fix drops such a late write: a position is only kept for the page it was measured on. And the
   position kept is the page's own at that moment: Material's value can lag behind the last scroll when the
   reader clicks right after it (Back would then return above the link), so a followed link writes it too.
   Back and forward restore the position each page was left at. */
(function () {
  "use strict";
  if (!window.history || typeof history.replaceState !== "function") return;
  var measuredOn = location.pathname;     /* the page the last scroll position was measured on */
  window.addEventListener("scroll", function () { measuredOn = location.pathname; }, { passive: true });
  var replaceState = history.replaceState;
  history.replaceState = function (state, title, url) {
    var position = arguments.length < 3 && state !== null && typeof state === "object" && "y" in state;
    if (!position) return replaceState.apply(history, arguments);
    if (measuredOn !== location.pathname) return undefined;
    return replaceState.call(history, Object.assign({}, state, { x: window.scrollX, y: window.scrollY }), title);
  };
  /* A link followed: the page's position at that moment written into its own entry, before Material pushes the
     next page's (capture phase: this runs before Material's own click handler). Without it, a click within
     Material's 100 ms kept whatever position was written last, and on a busy machine that wait is longer: Back
     returned a screen or more above the link. */
  window.addEventListener("click", function (event) {
    if (event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
    var lien = event.target && event.target.closest ? event.target.closest("a[href]") : null;
    if (!lien) return;
    measuredOn = location.pathname;
    var etat = history.state !== null && typeof history.state === "object" ? history.state : {};
    replaceState.call(history, Object.assign({}, etat, { x: window.scrollX, y: window.scrollY }), "");
  }, true);
})();

/* A heading inside a folded block (a champ's actions on a territory page, under their count) opens its folds
   whenever the address names it: on arrival, and when Back or Forward brings the page again (Material
   restores the position the reader left, measured with the folds open: closed, the heading would be
   elsewhere). */
(function () {
  "use strict";
  var retour = false;  /* the page comes back through Back or Forward: the address names where the reader was */
  /* Opens the folds around `el`; whether one was closed. */
  function deplier(el) {
    var ouvert = false;
    for (var d = el ? el.closest("details") : null; d; d = d.parentElement ? d.parentElement.closest("details") : null) {
      if (!d.open) { d.open = true; ouvert = true; }
    }
    return ouvert;
  }
  /* An address names an action by its place and its title (« #action-3-la-ressourcerie-de-l-ariane »): shared, then
     the fiche gained or lost an action before it, its place changed and the address led to the top of the page,
     nothing opened (métropole agent's QA). The one action of that title on the page is the one meant. */
  function actionDeplacee(id) {
    var m = /^action-\d+(-.+)$/.exec(id);
    if (!m) return null;
    var memes = Array.prototype.filter.call(document.querySelectorAll("[id^='action-']"), function (el) {
      return el.id.replace(/^action-\d+/, "") === m[1];
    });
    return memes.length === 1 ? memes[0] : null;
  }
  function ouvrir() {
    var id = location.hash ? decodeURIComponent(location.hash.slice(1)) : "";
    var el = id && document.getElementById(id);
    var deplacee = false;
    if (id && !el && (el = actionDeplacee(id))) {
      history.replaceState(history.state, "", "#" + encodeURIComponent(el.id));  /* the address as it is now */
      deplacee = true;
    }
    var ouvert = deplier(el) || deplacee;
    var revenu = retour && !!el;
    if (el || !id) retour = false;  /* kept until the page that the address names is in place */
    /* A fold just opened moves the heading, and the position Material restores on Back or Forward may have been
       measured before the fold opened: the heading is brought back under the header once laid out again. */
    if (el && (ouvert || revenu)) {
      var ramener = function () {
        var top = document.contains(el) ? el.getBoundingClientRect().top : 0;
        if (top < 0 || top > 0.3 * window.innerHeight) el.scrollIntoView();
      };
      setTimeout(ramener, 60);
      setTimeout(ramener, 250);  /* after Material's own restoring of the position, which may come later */
    }
  }
  ouvrir();
  window.addEventListener("popstate", function () { retour = true; });
  window.addEventListener("hashchange", ouvrir);
  if (window.document$ && typeof window.document$.subscribe === "function") window.document$.subscribe(ouvrir);

  /* A search result opened at its page (`?h=`): where no word the page highlights is in view, the first one's folds
     are opened (a territory's actions under their champ, the notes) and it is brought into view; the reader landed at
     the top of a page showing none of the words (search QA: « garantie d'emprunt » on Grenoble-Alpes Métropole's page,
     « crèche » on Toulon's). Where one is in view, the page stays as it opens. At a section (a result's section link),
     the reader lands on its heading, and the first word highlighted after it is shown where it stands, its folds
     opened (search QA: « SIAE », « L'apport de l'étude 2019 »: the passage the results page showed stayed folded). */
  function montrer() {
    if (!/[?&]h=/.test(location.search)) return;
    var essais = 0;
    (function chercher() {
      var marques = document.querySelectorAll("article mark[data-md-highlight]");
      if (!marques.length) { if (++essais < 8) setTimeout(chercher, 150); return; }
      if (location.hash) {
        var cible = document.getElementById(decodeURIComponent(location.hash.slice(1)));
        deplier(cible && Array.prototype.find.call(marques, function (m) {
          return cible.compareDocumentPosition(m) & Node.DOCUMENT_POSITION_FOLLOWING;
        }));
        return;
      }
      var enVue = Array.prototype.some.call(marques, function (m) {
        var r = m.getBoundingClientRect();
        return r.height > 0 && r.bottom > 0 && r.top < window.innerHeight;
      });
      if (enVue || window.scrollY > 0) return;  /* (a reader who has scrolled already is left where they are) */
      deplier(marques[0]);
      marques[0].scrollIntoView({ block: "center" });
    })();
  }
  if (window.document$ && typeof window.document$.subscribe === "function") window.document$.subscribe(montrer);
  else montrer();
})();

/* Back or Forward to a page whose position was kept: Material scrolls there as soon as the page is in place, but the
   page may still grow (scripts that show the filters or open folds, fonts): a position beyond its height then is
   clamped, and the reader lands a screen or more above where they left it. While the page grows (2 s at most), the
   kept position is applied again as soon as the page is tall enough, unless the reader has scrolled meanwhile. */
(function () {
  "use strict";
  if (typeof ResizeObserver !== "function") return;
  var voulu = null;
  window.addEventListener("popstate", function (event) {
    voulu = event.state !== null && typeof event.state === "object" && typeof event.state.y === "number" ? event.state.y : null;
  });
  function suivre() {
    if (voulu === null) return;
    var y = voulu, fini = false;
    voulu = null;
    var observateur = new ResizeObserver(function () {
      if (fini || Math.abs(window.scrollY - y) < 2) return;
      if (document.documentElement.scrollHeight - window.innerHeight >= y - 1) { window.scrollTo(window.scrollX, y); arreter(); }
    });
    function arreter() {
      if (fini) return;
      fini = true;
      observateur.disconnect();
      ["wheel", "touchstart", "keydown", "mousedown"].forEach(function (nom) { window.removeEventListener(nom, arreter, true); });
    }
    ["wheel", "touchstart", "keydown", "mousedown"].forEach(function (nom) { window.addEventListener(nom, arreter, true); });
    observateur.observe(document.body);
    setTimeout(arreter, 2000);
  }
  if (window.document$ && typeof window.document$.subscribe === "function") window.document$.subscribe(suivre);
  else window.addEventListener("popstate", function () { setTimeout(suivre, 0); });
})();
