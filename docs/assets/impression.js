/* Print touches that need the page as the reader sees it (see impression.css):
   - the line under the title shows the page's web address; when the build does not know the site's address
     (no site_url), the address is completed with the one the reader is on;
   - a territory list narrowed by the finder (filtres.js) prints the filters it shows and the count of its rows,
     on a line seen on paper only (« Filtre : région Grand Est, type de collectivité Métropole — 3 territoires
     affichés sur 110. »).
   Run on every page Material shows, instant navigation included (document$). */
(function () {
  "use strict";

  function adresse() {
    if (!/^https?:$/.test(location.protocol)) return;
    // The path the build wrote is the page's own: in a printed section, each part keeps its address.
    // The page's own address keeps its query: a printed list of results or of filtered territories said
    // « …/recherche/ » without the words searched (reader QA), which the results page keeps in its address; a
    // published page's address, written whole by the build, too (verifier QA). Read again before each print: a
    // search typed on the results page changes its address in place.
    document.querySelectorAll(".guide-adresse").forEach(function (el) {
      if (!el.hasAttribute("data-base")) {
        var texte = el.textContent.trim();
        if (el.hasAttribute("data-relative")) {
          if (texte.charAt(0) !== "/") return;
          texte = location.origin + texte;
          el.removeAttribute("data-relative");
        }
        el.setAttribute("data-base", texte);
      }
      var base = el.getAttribute("data-base"), chemin;
      try {
        chemin = new URL(base).pathname;
      } catch (e) {
        return;
      }
      el.textContent = base + (chemin === location.pathname ? location.search : "");
    });
  }

  /* Each select of a finder form that is not on its default choice: « label choice ». */
  function filtresImprimes() {
    document.querySelectorAll("form[data-guide-filtres]").forEach(function (form) {
      var table = document.getElementById(form.getAttribute("data-guide-filtres"));
      if (!table) return;
      var id = table.id + "-filtre-imprime";
      var line = document.getElementById(id);
      if (!line) {
        line = document.createElement("p");
        line.id = id;
        line.className = "guide-filtre-imprime";
        line.setAttribute("data-search-exclude", "");
        table.parentNode.insertBefore(line, table);
      }
      var parts = [];
      form.querySelectorAll("select").forEach(function (select) {
        var option = select.options[select.selectedIndex];
        var initial = Array.prototype.find.call(select.options, function (o) { return o.defaultSelected; }) ||
          select.options[0];
        if (!option || option === initial) return;
        var label = form.querySelector('label[for="' + select.id + '"]');
        var name = label ? label.textContent.trim() : select.name;
        // A size's option continues the sentence (« population de 20 000 à 100 000 habitants »: reader QA, « population
        // De 20 000… »); a région's or a type's name keeps its capital.
        var valeur = option.textContent.trim();
        if (select.hasAttribute("data-guide-suite")) valeur = valeur.charAt(0).toLowerCase() + valeur.slice(1);
        parts.push(name.charAt(0).toLowerCase() + name.slice(1) + " " + valeur);
      });
      // With the count the screen shows (« 6 territoires affichés sur 110. »): under the page's unfiltered count
      // (« 110 territoires »), the paper did not say how many rows it holds (reader QA).
      var statut = document.getElementById(table.id + "-statut");
      var compte = statut ? statut.textContent.trim() : "";
      line.textContent = parts.length ? "Filtre : " + parts.join(", ") + (compte ? " — " + compte : "") : "";
    });
  }

  function pagePrete() {
    adresse();
    filtresImprimes();
  }
  document.addEventListener("change", function (ev) {
    if (ev.target.closest && ev.target.closest("form[data-guide-filtres]")) filtresImprimes();
  });
  document.addEventListener("reset", function () { setTimeout(filtresImprimes, 0); });
  if (window.document$ && typeof window.document$.subscribe === "function") {
    window.document$.subscribe(pagePrete);
  } else {
    document.addEventListener("DOMContentLoaded", pagePrete);
  }
  window.addEventListener("beforeprint", pagePrete);
  // « Imprimer »: a listener rather than an onclick attribute, so no page of the guide carries an event handler
  // attribute (the sanitiser removes them all from page content; tests assert there is none).
  document.addEventListener("click", function (event) {
    if (event.target.closest && event.target.closest("button.guide-imprimer")) window.print();
  });
})();
