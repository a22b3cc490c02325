/* Print: the line under the title shows the page's web address. When the build does not know the site's
   address (no site_url), the address is the one the reader is on. */
(function () {
  function adresse() {
    if (!/^https?:$/.test(location.protocol)) return;
    document.querySelectorAll(".guide-adresse[data-relative]").forEach(function (el) {
      el.textContent = location.origin + location.pathname;
    });
  }
  if (window.document$ && typeof window.document$.subscribe === "function") {
    window.document$.subscribe(adresse);
  } else {
    document.addEventListener("DOMContentLoaded", adresse);
  }
  window.addEventListener("beforeprint", adresse);
  // « Imprimer »: a listener rather than an onclick attribute, so no page of the guide carries an event handler
  // attribute (the sanitiser removes them all from page content; tests assert there is none).
  document.addEventListener("click", function (event) {
    if (event.target.closest && event.target.closest("button.guide-imprimer")) window.print();
  });
})();
