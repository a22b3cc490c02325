// Material's inline head script (partials/javascripts/base.html of mkdocs-material 9.8), as a file: the
// Content-Security-Policy of the guide's pages runs no inline script. Same code; the scope comes from the
// script element's data-portee attribute instead of being written into the code.
/* eslint-disable */
__md_scope = new URL(document.currentScript.dataset.portee, location),
__md_hash = e => [...e].reduce(((e, _) => (e << 5) - e + _.charCodeAt(0)), 0),
__md_get = (e, _ = localStorage, t = __md_scope) => JSON.parse(_.getItem(t.pathname + "." + e)),
__md_set = (e, _, t = localStorage, a = __md_scope) => { try { t.setItem(a.pathname + "." + e, JSON.stringify(_)) } catch (e) {} };
