/* The links of an SVG drawing (the map's départements) as Material's instant navigation reads links.
 *
 * Material 9.8 (pinned) treats every <a> as an HTML link: before showing the next page it resolves each
 * relative link with `a.href = a.href`, and on a click it reads `new URL(a.href)`. An SVG <a> has no such
 * string: its `href` is a read-only SVGAnimatedString, so the assignment throws and the next page is never
 * shown (the address changed, the map did not appear). Written here rather than worked around in the map:
 * the map's links are plain links, checked and sanitised as any other, and any drawing with links gets the
 * same answer. An SVG <a> gets what an HTML one has: `href` reads as the absolute address (resolved against its
 * own document, as an HTML link is) and writes the attribute. Its `target` (an SVGAnimatedString, always set)
 * still makes Material leave the click to the browser: a full page load, as without instant navigation.
 */
(function () {
  "use strict"

  if (typeof SVGAElement === "undefined") return
  var propre = Object.getOwnPropertyDescriptor(SVGAElement.prototype, "href")
  if (!propre || propre.set) return
  Object.defineProperty(SVGAElement.prototype, "href", {
    configurable: true,
    enumerable: propre.enumerable,
    get: function () {
      var valeur = this.getAttribute("href")
      if (valeur === null) return ""
      try {
        return new URL(valeur, this.baseURI).href
      } catch (erreur) {
        return valeur
      }
    },
    set: function (valeur) {
      this.setAttribute("href", String(valeur))
    },
  })
})()
