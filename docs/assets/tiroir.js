/* The menu (Material's drawer) with a keyboard, below 1,220 px where the navigation is a drawer
 * (Material#4101: its menu button is a <label> that Tab never reaches, while the closed drawer's links,
 * off screen, take Tab stops).
 *  - The header's menu and search buttons (labels of Material's hidden checkboxes) are reached by Tab and
 *    operated by Enter (Material clicks a focused label) or Space, and say whether they are open
 *    (aria-expanded).
 *  - The closed drawer is `inert`: out of the Tab order and of what screen readers list.
 *  - Opened, the drawer takes the focus; closed (Escape, its title, the overlay, the button), the focus goes
 *    back to the menu button.
 *  - Open, Tab reaches only what the drawer shows, and stays in it: the levels Material slides out of view (the
 *    other sections, the page's contents) keep their links, which took 63 of 81 Tab stops on a blank panel, and
 *    after the last one the focus went under the overlay (keyboard QA at 200 % zoom). Their links leave the Tab
 *    order while hidden (tabindex -1, put back as it was when shown or when the drawer closes); Tab from the last
 *    link shown goes to the first, Shift+Tab from the first to the last.
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
    if (nom && !label.getAttribute("aria-label")) label.setAttribute("aria-label", nom)
    // Enter on a focused label is Material's (its global keyboard handler clicks it); Space is added here.
    label.addEventListener("keydown", function (event) {
      if (event.key === " ") {
        event.preventDefault()
        label.click()
      }
    })
  }

  var FOCUSABLES = "a[href], [tabindex]"

  // The level the drawer shows: Material slides a level in over its parent when the level's toggle is checked,
  // and of two sibling levels checked (the current section's, open on arrival, and one opened after) the later in
  // the document covers the other. Read from the toggles rather than from the screen: a covered level is as
  // visible, and as wide, as the one on top of it.
  function niveauMontre(tiroir) {
    var niveau = tiroir.querySelector(".md-nav--primary")
    for (;;) {
      var liste = niveau && niveau.querySelector(":scope > .md-nav__list")
      if (!liste) return niveau
      var ouverts = Array.prototype.filter.call(liste.children, function (item) {
        var bascule = item.querySelector(":scope > input.md-nav__toggle")
        return bascule && bascule.checked && item.querySelector(":scope > nav.md-nav")
      })
      if (!ouverts.length) return niveau
      niveau = ouverts[ouverts.length - 1].querySelector(":scope > nav.md-nav")
    }
  }

  // Shown: in the level on show (not in one of its sub-levels; but the page's contents show their sub-headings
  // in place, their lever and territory entries were skipped: verifier QA), and rendered (Material hides some).
  function montre(el, niveau) {
    var vu = el.checkVisibility ? el.checkVisibility({ visibilityProperty: true, opacityProperty: true }) : true
    var r = el.getBoundingClientRect()
    var dedans = el.closest(".md-nav") === niveau || (niveau.classList.contains("md-nav--secondary") && niveau.contains(el))
    return vu && r.width > 0 && r.height > 0 && dedans
  }

  // Links of the levels not shown out of the Tab order (`ouvert`), or every link back as it was.
  function ordreDuClavier(tiroir, ouvert) {
    // The way back from a level (its title, « ← Leviers d'action ») and the current page's entry, which opens
    // its contents: labels Material leaves out of the Tab order; without them, the keyboard stayed in the section
    // the drawer opened on once the other levels were out of the Tab order.
    // Named by what it shows first (WCAG 2.5.3, « Leviers d'action, revenir au niveau précédent »).
    // (the page's contents too: its level, « Table des matières », had no way back: verifier QA)
    Array.prototype.forEach.call(tiroir.querySelectorAll("label.md-nav__title[for^='__nav'], label.md-nav__title[for='__toc']"), function (titre) {
      bouton(titre, titre.textContent.replace(/\s+/g, " ").trim() + ", revenir au niveau précédent du menu")
    })
    // A section's arrow, an icon only, was announced as nothing: named by its section.
    Array.prototype.forEach.call(tiroir.querySelectorAll(".md-nav__container > label.md-nav__link[for^='__nav']"), function (fleche) {
      var lien = fleche.parentElement.querySelector("a")
      if (lien) bouton(fleche, "Afficher les pages de « " + lien.textContent.replace(/\s+/g, " ").trim() + " »")
    })
    Array.prototype.forEach.call(tiroir.querySelectorAll("label.md-nav__link[for='__toc']"), function (label) {
      bouton(label, "")
    })
    var niveau = niveauMontre(tiroir)
    Array.prototype.forEach.call(tiroir.querySelectorAll(FOCUSABLES), function (el) {
      var avant = el.getAttribute("data-guide-tabindex")
      if (avant !== null) {
        if (avant === "") el.removeAttribute("tabindex")
        else el.setAttribute("tabindex", avant)
        el.removeAttribute("data-guide-tabindex")
      }
      if (ouvert && !montre(el, niveau)) cacher(el)
    })
    // A level's list that scrolls takes a Tab stop of its own (Chromium focuses scroll containers): the list of
    // the page's contents did, hidden.
    if (ouvert) Array.prototype.forEach.call(tiroir.querySelectorAll(".md-nav__list"), function (liste) {
      var defile = liste.scrollHeight > liste.clientHeight && /auto|scroll/.test(getComputedStyle(liste).overflowY)
      if (defile && !liste.hasAttribute("tabindex") && liste.parentElement !== niveau) cacher(liste)
    })
  }

  function cacher(el) {
    el.setAttribute("data-guide-tabindex", el.getAttribute("tabindex") || "")
    el.setAttribute("tabindex", "-1")
  }

  function atteignables(tiroir) {
    return Array.prototype.filter.call(tiroir.querySelectorAll(FOCUSABLES), function (el) {
      return el.getAttribute("tabindex") !== "-1" && !el.closest("[inert]")
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
          ordreDuClavier(tiroir, caseTiroir.checked)
          var visibles = atteignables(tiroir)
          if (caseTiroir.checked && visibles[0]) visibles[0].focus()
        }, 300)
        ouvertAuClavier = true
      } else {
        ordreDuClavier(tiroir, false)
      }
      if (!caseTiroir.checked && ouvertAuClavier) {
        ouvertAuClavier = false
        if (!document.activeElement || document.activeElement === document.body || tiroir.contains(document.activeElement))
          menu.focus()
      }
    })
    if (caseRecherche) caseRecherche.addEventListener("change", etat)
    // A level opened or closed inside the drawer (Material's toggles): what it shows once it has slid.
    document.addEventListener("change", function (event) {
      var el = event.target
      if (!(el.classList && el.classList.contains("md-nav__toggle")) || !caseTiroir.checked || !TIROIR.matches) return
      setTimeout(function () {
        tiroir = document.querySelector(".md-sidebar--primary") || tiroir
        ordreDuClavier(tiroir, caseTiroir.checked && TIROIR.matches)
        // The focus on what slid away (a level's title, a section's arrow) goes to the level now shown.
        var ici = document.activeElement
        if (tiroir.contains(ici) && ici.getAttribute("tabindex") === "-1") {
          var liens = atteignables(tiroir)
          if (liens[0]) liens[0].focus()
        }
      }, 300)
    })
    document.addEventListener("keydown", function (event) {
      if (event.key === "Tab" && caseTiroir.checked && TIROIR.matches) {
        tiroir = document.querySelector(".md-sidebar--primary") || tiroir
        var liens = atteignables(tiroir)
        if (!liens.length) return
        var premier = liens[0], dernier = liens[liens.length - 1], ici = document.activeElement
        if (!tiroir.contains(ici) || (event.shiftKey ? ici === premier : ici === dernier)) {
          event.preventDefault();
          (event.shiftKey ? dernier : premier).focus()
        }
        return
      }
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
