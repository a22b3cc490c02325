/* Search worker of the guide: Material's own worker, plus what French readers expect — accents and
 * plurals do not matter (« cooperatives » finds « coopérative »).
 *
 * overrides/main.html points Material's search at this file and passes Material's worker as
 * `?material=search.<hash>.min.js`; it is loaded unchanged, then:
 *  - every indexed word goes through one more lunr pipeline step that removes diacritics;
 *  - each query gets the same folding, and French plural endings are dropped from its words, before
 *    Material reads it. Material matches every query word as a prefix, so « coopératives » →
 *    « cooperative » finds « coopérative » and « coopératives », and « territoriaux » → « territoria »
 *    finds « territorial » and « territoriaux ». Shortening a word never loses a page it found.
 * Written by hand because lunr has no accent folding and Material's worker has no extension point;
 * the index itself stays as written, so nothing is added to it for this (issue on performance).
 */
"use strict"

/** « Économie » → « Economie ». */
function plier(texte) {
  return texte.normalize("NFD").replace(/[\u0300-\u036f]/g, "")
}

/** Drop a French plural ending: « structures » → « structure », « locaux » → « loca », « jeux » → « jeu ». */
function singulier(mot) {
  if (mot.length < 4) return mot
  if (/aux$/i.test(mot)) return mot.slice(0, -2)
  if (/(eux|s)$/i.test(mot)) return mot.slice(0, -1)
  return mot
}

/** The query as the index holds words: folded, singular (field names such as « title: » are kept). */
function requete(texte) {
  return plier(texte).replace(/[\p{L}\p{N}]+(?!:)/gu, singulier)
}

// Registered before Material's worker, so this runs first and Material searches the rewritten query.
var saisie = ""  // the query as typed, for suggestions (below)
self.addEventListener("message", function (event) {
  var message = event.data
  if (message && message.type === 2 && typeof message.data === "string") {  // 2: query (Material's protocol)
    saisie = message.data
    message.data = requete(message.data)
  }
})

// In a worker, this file's address is self.location; when Material falls back to running its worker in an
// iframe (site opened from file://), it is the address of the <script> that loaded it.
var adresse = self.document && self.document.currentScript ? self.document.currentScript.src : self.location.href
importScripts(new URL(new URL(adresse).searchParams.get("material"), adresse).href)

// Folded word → the word as the guide writes it (lowercase), so suggestions keep their accents.
var ecrits = Object.create(null)

var lunrPlier = function (token) {
  return token.update(function (mot) {
    var plie = plier(mot)
    if (plie !== mot && !(plie in ecrits)) ecrits[plie] = mot
    return plie
  })
}
self.lunr.Pipeline.registerFunction(lunrPlier, "guide-plier")

// Material completes the last word typed with a word of the index (search.suggest), shown only if it
// starts as typed: typed with accents, « écono » is completed with the written form « économique »;
// typed without, « econo » keeps the folded one. 3: results (Material's protocol).
var envoyer = self.postMessage
self.postMessage = function (message) {
  if (message && message.type === 3 && message.data && Array.isArray(message.data.suggest) && plier(saisie) !== saisie)
    message.data.suggest = message.data.suggest.map(function (mot) { return ecrits[mot] || mot })
  return envoyer.apply(self, arguments)
}

// Material builds its index in one lunr() call; the first word added to a builder sets up the folding.
var ajouter = self.lunr.Builder.prototype.add
self.lunr.Builder.prototype.add = function (doc, attributes) {
  if (!this.guidePlie) {
    this.pipeline.add(lunrPlier)
    this.searchPipeline.add(lunrPlier)
    this.guidePlie = true
  }
  return ajouter.call(this, doc, attributes)
}
