/* A tooltip shown by the keyboard's focus (an acronym's expansion, a note call's note: Material's content.tooltips)
   is closed by Escape, the focus staying where it is (WCAG 1.4.13; keyboard QA: « Économie sociale et solidaire »
   covered the next line and Escape left it there). The next focus or pointer move shows tooltips again. Material
   has no way to close its tooltips; it draws them in its own elements (.md-tooltip2), hidden here by a class on the
   root. */
(function () {
  "use strict";
  var racine = document.documentElement, CLASSE = "guide-infobulles-fermees";
  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape") return;
    if (document.querySelector(".md-tooltip2--active, .md-tooltip--active")) racine.classList.add(CLASSE);
  });
  function rouvrir() { racine.classList.remove(CLASSE); }
  document.addEventListener("focusin", rouvrir);
  document.addEventListener("pointerover", rouvrir, { passive: true });
})();
