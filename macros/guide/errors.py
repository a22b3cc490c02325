"""Errors found in fiches, reported in French with file, line and field."""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class FicheError:
    """One problem in one fiche: where it is and what was expected."""

    path: str
    message: str
    line: int | None = None
    field: str | None = None

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else self.path
        field = f" champ « {self.field} » :" if self.field else ""
        return f"{where}:{field} {self.message}"


class GuideInvalide(Exception):
    """Raised when at least one fiche is invalid; carries every error of the run."""

    def __init__(self, errors: list[FicheError]):
        self.errors = errors
        super().__init__(self.rapport())

    def rapport(self) -> str:
        n = len(self.errors)
        lines = [str(e) for e in self.errors]
        lines.append(f"{n} erreur{'s' if n > 1 else ''} dans les fiches : rien n'a été publié.")
        return "\n".join(lines)
