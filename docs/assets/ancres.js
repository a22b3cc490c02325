/* Instant navigation (Material for MkDocs): a link to a heading of another page lands on that heading.

   Material keeps the reader's scroll position in the history entry of the page: it writes it with
   history.replaceState 100 ms after the reader stops scrolling. A link clicked within those 100 ms (a
   reader who scrolls down to a link and clicks it) pushes the new page's entry first, so the position
   of the page being left is written into the entry of the page being opened; Material then restores
   that position instead of going to the heading (the reader lands far below it, often at the bottom).
   The fix drops such a late write: a position is only kept for the page it was measured on. Back and
   forward still restore the position each page was left at. */
(function () {
  "use strict";
  if (!window.history || typeof history.replaceState !== "function") return;
  var measuredOn = location.pathname;     /* the page the last scroll position was measured on */
  window.addEventListener("scroll", function () { measuredOn = location.pathname; }, { passive: true });
  var replaceState = history.replaceState;
  history.replaceState = function (state, title, url) {
    var position = arguments.length < 3 && state !== null && typeof state === "object" && "y" in state;
    if (position && measuredOn !== location.pathname) return undefined;
    return replaceState.apply(history, arguments);
  };
})();
