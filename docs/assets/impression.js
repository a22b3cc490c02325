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
})();
