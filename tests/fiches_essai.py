"""A minimal project of test fiches, written into a temporary folder: one publication, one champ, and the
territory fiches a test gives. Shared by the validator's and the messages' tests (test_validation.py,
test_messages.py), which then write the faulty fiche they check beside them."""
from __future__ import annotations

from pathlib import Path

SOURCES = """publications:
  - id: pub-essai
    titre: Publication d'essai
    annee: 2021
    editeurs: [Éditeur]
    edition: Essai
"""


def champ(titre: str) -> str:
    """A valid champ fiche titled `titre`, citing the test publication."""
    return f"""---
titre: {titre}
famille: levier
numero: 1
resume: Un résumé.
sources:
  - {{publication: pub-essai, page: 3}}
---

Synthèse.
"""


def projet(root: Path, champ_slug: str, champ_titre: str, territoires: dict[str, str]) -> Path:
    """`root` holding fiches/sources.yaml, the champ `champ_slug` and the territory fiches {file name: text}."""
    (root / "fiches" / "champs").mkdir(parents=True)
    (root / "fiches" / "territoires").mkdir()
    (root / "fiches" / "champs" / f"{champ_slug}.md").write_text(champ(champ_titre), encoding="utf-8")
    for nom, texte in territoires.items():
        (root / "fiches" / "territoires" / nom).write_text(texte, encoding="utf-8")
    (root / "fiches" / "sources.yaml").write_text(SOURCES, encoding="utf-8")
    return root
