"""Errors found in fiches, reported in French with file, line and the place in the fiche."""
from __future__ import annotations

import re
from dataclasses import dataclass
from dataclasses import field as field_

# How an item of a list is named in a message: « action n° 1 » rather than `actions[0]`.
# Lists not named here read « <clé> n° N ».
SINGULIER = {
    "actions": "action", "sources": "source", "champs": "champ d'action", "coporteurs": "coporteur",
    "partenaires": "partenaire", "publications": "publication", "alias": "alias", "editeurs": "éditeur",
    "points": "point", "detail": "détail", "sigles": "sigle", "messages": "message", "leviers": "levier",
}

_PART = re.compile(r"\[(\d+)\]|\.?([^.\[\]]+)")


def lieu(field: str) -> str:
    """Where a field sits, in words: `actions[0].sources[1].page` → « action n° 1, source n° 2, clé « page » »."""
    parts = [(m.group(2), None) if m.group(2) is not None else (None, int(m.group(1))) for m in _PART.finditer(field)]
    words, pending = [], None
    for key, index in parts:
        if index is None:
            if pending is not None:
                words.append(f"clé « {pending} »")
            pending = key
        else:
            label = SINGULIER.get(pending, pending) if pending is not None else "élément"
            words.append(f"{label} n° {index + 1}")
            pending = None
    if pending is not None:
        words.append(f"clé « {pending} »")
    return ", ".join(words)


@dataclass(frozen=True)
class FicheError:
    """One problem in one fiche: where it is and what was expected.

    `field` is the path of the YAML key (`actions[0].champs[1]`, 0-based as in the data); it is written
    in words for the editor (« action n° 1, champ d'action n° 2 ») when the error is printed.
    """

    path: str
    message: str
    line: int | None = None
    field: str | None = None
    # A value written otherwise than meant (« 45.000 »), in a header YAML read whole: the fiche's other checks
    # still run, and the editor gets every error at once rather than one per run (editor QA).
    sans_arret: bool = field_(default=False, compare=False)

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else self.path
        field = f" {lieu(self.field)} :" if self.field else ""
        return f"{where}:{field} {self.message}"


class GuideInvalide(Exception):
    """Raised when at least one fiche is invalid; carries every error of the run."""

    def __init__(self, errors: list[FicheError]):
        # By file, then line: the order an editor corrects them in (editor QA: the preview's banner listed lines 15,
        # 16, 21, 20, 14, as the checks found them). Sorted once here, for every report.
        self.errors = sorted(errors, key=lambda e: (e.path, e.line or 0))
        super().__init__(self.rapport())

    def rapport(self) -> str:
        n = len(self.errors)
        lines = [str(e) for e in self.errors]
        # The whole guide is built or nothing is (a fiche's page lists the others'): a scaffold left half-filled held
        # back the page of a valid fiche, with no word of why (editor QA).
        lines.append(f"{n} erreur{'s' if n > 1 else ''} dans les fiches : rien n'a été publié, aucune fiche n'est mise "
                     "à jour tant qu'elles ne sont pas corrigées (une fiche pas encore remplie peut être mise de côté "
                     "hors du dossier fiches/).")
        return "\n".join(lines)
