"""Editing facts shown on every fiche page: when the fiche was last updated.

The date comes from the fiche's `mis_a_jour` field when it has one, else from the
git history of its source file (one `git log` per build, not one per fiche). Outside
a git checkout (a downloaded archive, a test copy) and without the field, no date is shown.
"""
from __future__ import annotations

import datetime
import re
import subprocess
from pathlib import Path

MOIS = ("janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre",
        "novembre", "décembre")
ISO_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")


def git_dates(root: Path, folder: str = "fiches") -> dict[str, str]:
    """Date (AAAA-MM-JJ) of the last commit that touched each file under `folder`, by repository path. A commit dated
    after today is passed over: a date is the committer's to write (« GIT_COMMITTER_DATE=2031-01-01 »), and a merged
    fiche showed « Dernière mise à jour : 1er janvier 2031 » (attacker QA), where its `mis_a_jour` would be refused."""
    try:
        out = subprocess.run(["git", "log", "--format=%x00%cs", "--name-only", "--", folder], cwd=root,
                             capture_output=True, text=True, timeout=30)
    except (OSError, subprocess.SubprocessError):
        return {}
    if out.returncode != 0:
        return {}
    dates: dict[str, str] = {}
    date = None
    aujourd_hui = datetime.date.today().isoformat()
    for line in out.stdout.splitlines():
        if line.startswith("\x00"):
            date = line[1:].strip()
            date = date if date <= aujourd_hui else None
        elif line.strip() and date:
            dates.setdefault(line.strip(), date)  # newest commit first: keep the first date seen
    return dates


def derniere_mise_a_jour(data: dict, rel: str, dates: dict[str, str]) -> str | None:
    """The fiche's `mis_a_jour` if it is a valid date, else its last commit date, else None."""
    value = data.get("mis_a_jour")
    if isinstance(value, str) and _date(value):
        return value
    return dates.get(rel)


def _date(iso: str) -> datetime.date | None:
    """The calendar date written AAAA-MM-JJ, or None (« 2024-02-30 », « 2024-00-10 » are no dates)."""
    if not ISO_DATE.match(iso):
        return None
    try:
        return datetime.date.fromisoformat(iso)
    except ValueError:
        return None


def date_en_francais(iso: str) -> str:
    """« 2021-03-01 » → « 1er mars 2021 ». Raises ValueError for a text that is not a real date."""
    day = _date(iso)
    if day is None:
        raise ValueError(f"date invalide : « {iso} » (attendu : une date réelle AAAA-MM-JJ)")
    return f"{'1er' if day.day == 1 else day.day} {MOIS[day.month - 1]} {day.year}"
