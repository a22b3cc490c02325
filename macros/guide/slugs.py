"""Slugs: the file name of a fiche is its identifier and the last part of its URL."""
from __future__ import annotations

import re
import unicodedata


def slugify(text: str) -> str:
    """« Communauté d'agglomération du Grand Besançon » → communaute-d-agglomeration-du-grand-besancon."""
    text = str(text).replace("œ", "oe").replace("Œ", "Oe").replace("æ", "ae")
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    return re.sub(r"[^a-z0-9]+", "-", text).strip("-")
