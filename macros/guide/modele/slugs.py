"""Slugs: the file name of a fiche is its identifier and the last part of its URL; heading ids (the plugin
gives `titre` to the table-of-contents extension)."""
from __future__ import annotations

import functools
import re
import unicodedata

from markdown.extensions.toc import slugify as _toc_slugify

# Ligatures that Unicode does not decompose: NFKD keeps « œ » whole and ASCII folding then drops it
# (« Cœur » would become « cur »).
_LIGATURES = str.maketrans({"œ": "oe", "Œ": "Oe", "æ": "ae", "Æ": "Ae"})


# A pure function of a string, asked again for the same names and titles by every build of `mkdocs serve` (sorting
# territories, anchors of actions): remembered.
@functools.lru_cache(maxsize=1 << 16)
def slugify(text: str) -> str:
    """« Communauté d'agglomération du Grand Besançon » → communaute-d-agglomeration-du-grand-besancon."""
    text = str(text).translate(_LIGATURES)
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    return re.sub(r"[^a-z0-9]+", "-", text).strip("-")


def titre(value: str, separator: str) -> str:
    """Heading id of the table-of-contents extension: Python-Markdown's own slug (« Carte d'identité » →
    carte-didentite, so existing anchors keep working), with « œ » and « æ » written « oe » and « ae ».

    Never starting or ending with « _ » or « - »: ids starting with « _ » are the theme's (Material reads its
    configuration from `#__config`, its search from `#__search`…), and a heading of a fiche is not one of them."""
    slug = _toc_slugify(str(value).translate(_LIGATURES), separator).strip("_-")
    return slug or "section"


# Ids made from data on the reference pages, each under a prefix of its own, as a champ's levers (« levier-… »), a
# territory's actions (« action-N-… ») and a fiche's headings (« fiche-… ») are: a sigle « GUIDE-RECHERCHE » gave the
# glossary an id="guide-recherche", which the search script took for its form, and a publication could do the same
# on the sources page (attacker QA). No id the guide's own pages and scripts use starts so.
def ancre_publication(publication: str) -> str:
    """Anchor of a publication on the sources page: « avise-2021 » → publication-avise-2021."""
    return f"publication-{publication}"


def ancre_sigle(sigle: str) -> str:
    """Anchor of a sigle's row in the glossary: « ESS » → sigle-ess."""
    return f"sigle-{slugify(sigle)}"
