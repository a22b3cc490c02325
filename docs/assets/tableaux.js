/* A table wider than the screen scrolls sideways in Material's box (.md-typeset__scrollwrap). A keyboard reader
   scrolls a box by focusing it, or something in it: a table without links (the columns of the open data, at 320 px)
   could not be scrolled, and its last columns could not be read (WCAG 2.1.1 and 1.4.10; axe-core's
   scrollable-region-focusable, reader QA). Such a box, while it overflows, takes the focus and is named as a region;
   it gives up both when it fits, so a table that fits adds no Tab stop. */
(function () {
  "use strict";

  function nom(boite) {
    var table = boite.querySelector("table");
    var legende = table && table.caption && table.caption.textContent.trim();
    if (legende) return "Tableau : " + legende;
    // The heading the table is under, else its first column's title.
    for (var el = boite.previousElementSibling; el; el = el.previousElementSibling) {
      if (/^H[1-6]$/.test(el.tagName)) return "Tableau : " + el.textContent.replace(/[#¶]\s*$/, "").trim();
    }
    var entete = table && table.querySelector("th");
    return "Tableau" + (entete ? " : " + entete.textContent.trim() : "");
  }

  function ajuster() {
    document.querySelectorAll(".md-typeset__scrollwrap").forEach(function (boite) {
      var deborde = boite.scrollWidth > boite.clientWidth + 1;
      var atteignable = boite.querySelector("a[href], button, input, select, textarea, [tabindex]");
      if (deborde && !atteignable) {
        if (!boite.hasAttribute("tabindex")) {
          boite.setAttribute("tabindex", "0");
          boite.setAttribute("role", "region");
          boite.setAttribute("aria-label", nom(boite));
          boite.setAttribute("data-guide-defilable", "");
        }
      } else if (boite.hasAttribute("data-guide-defilable")) {
        ["tabindex", "role", "aria-label", "data-guide-defilable"].forEach(function (a) { boite.removeAttribute(a) });
      }
    });
  }

  var attente = 0;
  window.addEventListener("resize", function () {
    cancelAnimationFrame(attente);
    attente = requestAnimationFrame(ajuster);
  });
  function pret() { requestAnimationFrame(ajuster) }
  if (window.document$ && typeof window.document$.subscribe === "function") window.document$.subscribe(pret);
  else document.addEventListener("DOMContentLoaded", pret);
})();
