"""A territory's population and its band: the official population where the reference gives one, else the
fiche's first figure. The finder filters and sorts on them, the open data publishes them, and the join groups
comparable territories by band (join.py); the official figure is attached to a territory by referentiel.py.
"""
from __future__ import annotations

# Population bands of the territory finder: (id, label, lower bound included, upper bound excluded).
# Labels use narrow no-break spaces (U+202F) in numbers, as French typography wants (they never wrap), and a no-break
# one between a figure and « million ».
TRANCHES = (
    # A commune of 6,000 inhabitants and one of 98,000 were in one band, each the other's « territoire comparable »
    # (phone QA: Clapiers beside Roubaix); 20,000 is where the State's programmes put a « petite ville ».
    ("moins-de-20000", "Moins de 20\u202f000 habitants", 0, 20_000),
    ("20000-100000", "De 20\u202f000 à 100\u202f000 habitants", 20_000, 100_000),
    ("100000-300000", "De 100\u202f000 à 300\u202f000 habitants", 100_000, 300_000),
    ("300000-1000000", "De 300\u202f000 à 1\u00a0million d'habitants", 300_000, 1_000_000),
    ("plus-de-1000000", "Plus d'un million d'habitants", 1_000_000, None),
)
TRANCHE_INCONNUE = ("non-renseignee", "Population non renseignée")


def population_fiche(t) -> tuple[int | float | None, int | None]:
    """(inhabitants, year) of the first numeric population figure of the fiche, or (None, None)."""
    for m in t.data.get("identite", {}).get("population", []):
        if isinstance(m["valeur"], (int, float)) and not isinstance(m["valeur"], bool):
            return m["valeur"], m.get("annee")
    return None, None


def population(t) -> tuple[int | float | None, int | str | None]:
    """(inhabitants, date) the finder filters and sorts on: the official population and its vintage
    (« INSEE, découpage administratif 2026 ») for a territory with a code, else the fiche's first figure and its year."""
    officiel = getattr(t, "officiel", None)
    if officiel is not None and officiel.population is not None:
        return officiel.population, officiel.source_population
    return population_fiche(t)


def tranche(t) -> tuple[str, str]:
    """(id, label) of the population band of a territory."""
    pop, _ = population(t)
    if pop is None:
        return TRANCHE_INCONNUE
    for ident, label, low, high in TRANCHES:
        if pop >= low and (high is None or pop < high):
            return ident, label
    return TRANCHE_INCONNUE


def toutes_les_tranches() -> list[tuple[str, str]]:
    return [(ident, label) for ident, label, _, _ in TRANCHES] + [TRANCHE_INCONNUE]
