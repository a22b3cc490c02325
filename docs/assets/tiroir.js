/* The menu (Material's drawer) with a keyboard, below 1,220 px where the navigation is a drawer
 * (Material#4101: its menu button is a <label> that Tab never reaches, while the closed drawer's links,
 * off screen, take Tab stops).
 *  - The header's menu and search buttons (labels of Material's hidden checkboxes) are reached by Tab and
 *    operated by Enter (Material clicks a focused label) or Space, and say whether they are open
 *    (aria-expanded).
 *  - The closed drawer is `inert`: out of the Tab order and of what screen readers list.
 *  - Opened, the drawer takes the focus; closed (Escape, its title, the overlay, the button), the focus goes
 *    back to the menu button.
 * A browser without `inert` keeps Material's behaviour. Installed once per page of Material's instant
 * navigation (document$): the header stays, the drawer's content is replaced.
 */
(function () {
  "use strict"

  var TIROIR = window.matchMedia("(max-width: 76.2344em)")  // Material's drawer breakpoint (1,220 px)

  function bouton(label, nom) {
    if (!label || label.hasAttribute("data-guide-bouton")) return
    label.setAttribute("data-guide-bouton", "")
    label.setAttribute("role", "button")
    label.setAttribute("tabindex", "0")
    if (!label.getAttribute("aria-label")) label.setAttribute("aria-label", nom)
    // Enter on a focused label is Material's (its global keyboard handler clicks it); Space is added here.
    label.addEventListener("keydown", function (event) {
      if (event.key === " ") {
        event.preventDefault()
        label.click()
      }
    })
  }

  function installer() {
    var caseTiroir = document.getElementById("__drawer")
    var menu = document.querySelector("label.md-header__button[for='__drawer']")
    var tiroir = document.querySelector(".md-sidebar--primary")
    if (!caseTiroir || !menu || !tiroir) return
    bouton(menu, "Menu")
    bouton(document.querySelector("label.md-header__button[for='__search']"), "Rechercher")
    var caseRecherche = document.getElementById("__search")

    function etat() {
      menu.setAttribute("aria-expanded", String(caseTiroir.checked))
      var rechercheBouton = document.querySelector("label.md-header__button[for='__search']")
      if (rechercheBouton && caseRecherche) rechercheBouton.setAttribute("aria-expanded", String(caseRecherche.checked))
      var ferme = TIROIR.matches && !caseTiroir.checked
      if (ferme) tiroir.setAttribute("inert", "")
      else tiroir.removeAttribute("inert")
    }
    etat()
    if (caseTiroir.hasAttribute("data-guide-tiroir")) return  // the checkbox and the header stay across pages
    caseTiroir.setAttribute("data-guide-tiroir", "")
    var ouvertAuClavier = false
    caseTiroir.addEventListener("change", function () {
      tiroir = document.querySelector(".md-sidebar--primary") || tiroir
      etat()
      if (!TIROIR.matches) return
      if (caseTiroir.checked) {
        // The first link or button shown, once the drawer has slid in (Material: 0.25 s): the drawer opens
        // on the current section, the links of the other levels are there, hidden.
        setTimeout(function () {
          var visibles = Array.prototype.filter.call(tiroir.querySelectorAll("a[href], label[tabindex], [tabindex='0']"), function (el) {
            var r = el.getBoundingClientRect()
            var vu = el.checkVisibility ? el.checkVisibility({ visibilityProperty: true, opacityProperty: true }) : true
            return vu && r.width > 0 && r.height > 0 && r.right > 0 && r.left < window.innerWidth
          })
          if (caseTiroir.checked && visibles[0]) visibles[0].focus()
        }, 300)
        ouvertAuClavier = true
      } else if (ouvertAuClavier) {
        ouvertAuClavier = false
        if (!document.activeElement || document.activeElement === document.body || tiroir.contains(document.activeElement))
          menu.focus()
      }
    })
    if (caseRecherche) caseRecherche.addEventListener("change", etat)
    document.addEventListener("keydown", function (event) {
      if (event.key === "Escape" && caseTiroir.checked && TIROIR.matches) {
        caseTiroir.checked = false
        caseTiroir.dispatchEvent(new Event("change"))
        menu.focus()
      }
    })
    TIROIR.addEventListener("change", etat)
  }

  if (window.document$ && typeof window.document$.subscribe === "function") {
    window.document$.subscribe(installer)
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", installer)
  } else {
    installer()
  }
})()
