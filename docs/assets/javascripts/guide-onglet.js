// Material's inline script after the content (partials/javascripts/content.html of mkdocs-material 9.8), as a
// file for the guide's Content-Security-Policy: a content tab named in the address is opened.
var target = document.getElementById(location.hash.slice(1));
target && target.name && (target.checked = target.name.startsWith("__tabbed_"));
