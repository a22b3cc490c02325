/* The map's keyboard focus drawn over the neighbouring départements.
 *
 * A focused département is outlined by a stroke (carte.css), and SVG paints shapes in document order: the
 * départements after it covered most of its outline (reader QA: Bouches-du-Rhône showed only its coast). SVG has
 * no z-index, and moving the focused link to the end of the drawing would change the order of Tab. The outline is
 * drawn instead by a copy of the focused shape, put last in the drawing while the focus stays: not a link, hidden
 * from assistive technologies and from the pointer. Listened to on the document: Material's instant navigation
 * replaces the page without running this file again.
 */
(function () {
  "use strict"

  var SVG = "http://www.w3.org/2000/svg"

  function retirer(svg) {
    var ancien = svg.querySelector(".guide-carte__focus")
    if (ancien) ancien.remove()
  }

  document.addEventListener("focusin", function (evenement) {
    var lien = evenement.target.closest && evenement.target.closest(".guide-carte__svg a")
    if (!lien) return
    var svg = lien.ownerSVGElement
    retirer(svg)
    if (!lien.matches(":focus-visible")) return
    var copie = document.createElementNS(SVG, "g")
    copie.setAttribute("class", "guide-carte__focus")
    copie.setAttribute("aria-hidden", "true")
    // The link's own position in the drawing (a shape of an inset sits in a moved group)
    var m = svg.getScreenCTM().inverse().multiply(lien.getScreenCTM())
    copie.setAttribute("transform", "matrix(" + [m.a, m.b, m.c, m.d, m.e, m.f].join(" ") + ")")
    lien.querySelectorAll("path, rect").forEach(function (forme) {
      copie.appendChild(forme.cloneNode(false))
    })
    svg.appendChild(copie)
  })

  document.addEventListener("focusout", function (evenement) {
    var lien = evenement.target.closest && evenement.target.closest(".guide-carte__svg a")
    if (lien) retirer(lien.ownerSVGElement)
  })
})()
