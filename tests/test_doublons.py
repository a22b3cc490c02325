"""Each fact once: no action stored twice, on two fiches or twice on one fiche.

An action reported by several publications is one entry with several `sources`; an action shared by two
collectivités is written once, on the fiche of its main carrier, with `coporteurs`. This test compares the
titles of every pair of territory actions that illustrate a common champ and lists the near-duplicates.

Two titles are near-duplicates when, once normalised (accents, case, punctuation, stop words and edition
markers such as « (Étude 2019) » removed), they are close both as strings (difflib ratio ≥ RATIO) and as
sets of words (Jaccard ≥ JACCARD), and do not carry different numbers, in their title or as the year the
action started (`annee`): « Adoption d'un SPASER » in 2015 and in 2017 are two facts; so are « fiche action
n°14 » and « n°15 ». The ratio alone confuses titles that differ by one proper name (« Partenaire du PTCE
Tetris » / « … REALIS »); the word overlap alone confuses short titles.
"""
from __future__ import annotations

import difflib
import itertools
import re
import unicodedata

RATIO = 0.85
JACCARD = 0.6

# Words that carry no meaning of their own in a title (French articles, prepositions, conjunctions).
STOP_WORDS = frozenset(
    "a au aux avec ce ces cette d dans de des du en et l la le les leur leurs n ou par pour qu que qui s sa se "
    "ses son sur un une".split())

# « (Étude 2019) », « (Livret 2014) », « (Page RTES) », « (2019) »: which publication said it, not what was done.
EDITION = re.compile(r"\((?:[ÉEé]tude|[Ll]ivret|[Pp]age RTES)?\s*(?:\d{4})?\)")

# Pairs that are genuinely two actions although their titles are close: (fiche, titre) pairs, with the reason.
# (The two SPASERs adopted in 2016 by Bordeaux Métropole and the Métropole Nice Côte d'Azur were both titled
# « Adoption d'un SPASER »: the validator now refuses one title in two fiches, and each title names its owner.)
ALLOWED: dict[frozenset, str] = {
    frozenset({("metropole-europeenne-de-lille", "Appel à projets « Entreprendre autrement avec la MEL »"),
               ("region-hauts-de-france", "Cofinanceur de l'appel à projets « Entreprendre autrement avec la MEL »")}):
        "the Région cofinances the MEL's call by a convention (seed 003, zoom du champ #2): a cofinancer, not a "
        "co-carrier; its page says so and sends to the MEL's",
    frozenset({("thiers", "La ville de Thiers associée à l'étude de faisabilité du CISCA"),
               ("ville-de-clermont-ferrand", "La ville de Clermont associée à l'étude de faisabilité du CISCA")}):
        "each city is named among the collectivités the study was conducted with (seed 003, zoom du champ #4), "
        "none carries it: Clermont Auvergne Métropole's fiche holds the study",
}


def words(titre: str) -> list[str]:
    """The meaningful words of a title: without edition marker, accents, case, punctuation or stop words."""
    # Split on punctuation first: folding « l’ESS » to ASCII would otherwise glue it into « less ».
    tokens = re.findall(r"\w+", EDITION.sub(" ", titre).lower())
    folded = (unicodedata.normalize("NFKD", t).encode("ascii", "ignore").decode() for t in tokens)
    return [w for w in folded if w and w not in STOP_WORDS]


def near_duplicates(a: list[str], b: list[str], years: tuple = (None, None)) -> bool:
    """True when two normalised titles (and the actions' start years, if given) name the same action."""
    numbers_a = {w for w in a if w.isdigit()} | ({str(years[0])} if years[0] else set())
    numbers_b = {w for w in b if w.isdigit()} | ({str(years[1])} if years[1] else set())
    if numbers_a and numbers_b and numbers_a != numbers_b:
        return False
    ratio = difflib.SequenceMatcher(None, " ".join(a), " ".join(b)).ratio()
    union = set(a) | set(b)
    jaccard = len(set(a) & set(b)) / len(union) if union else 1.0
    return ratio >= RATIO and jaccard >= JACCARD


def duplicate_pairs(guide) -> list[str]:
    """Every near-duplicate pair of territory actions sharing a champ, as « fiche : titre » lines."""
    actions = [(t.slug, a["titre"], set(a["champs"]), words(a["titre"]), a.get("annee"))
               for t in guide.territoires.values() for a in t.data.get("actions", [])]
    found = []
    for (fa, ta, ca, wa, ya), (fb, tb, cb, wb, yb) in itertools.combinations(actions, 2):
        if ca & cb and near_duplicates(wa, wb, (ya, yb)) and frozenset({(fa, ta), (fb, tb)}) not in ALLOWED:
            found.append(f"{fa} : « {ta} »  ~  {fb} : « {tb} »")
    return found


def test_normalisation_keeps_what_tells_actions_apart():
    assert words("Le Conseil de l'ESS (Étude 2021)") == words("Le Conseil de l’ESS (Étude 2019)")
    assert near_duplicates(words("Soutien durable aux pôles et collectifs de l'ESS"),
                           words("Soutien durable aux pôles et collectifs locaux de l'ESS"))
    assert not near_duplicates(words("SPASER adopté en 2017"), words("SPASER adopté en 2018"))
    assert not near_duplicates(words("Partenaire du PTCE Tetris"), words("Partenaire du PTCE REALIS"))
    assert not near_duplicates(words("Adoption d'un SPASER"), words("Adoption d'un SPASER"), (2015, 2017))
    assert near_duplicates(words("Adoption d'un SPASER"), words("Adoption d'un SPASER en 2016"), (2016, None))


def test_each_action_is_stored_once(guide):
    pairs = duplicate_pairs(guide)
    assert not pairs, (
        f"{len(pairs)} paires d'actions en double : fusionnez-les en une action (plusieurs `sources`, ou "
        "`coporteurs` quand deux territoires la portent) :\n" + "\n".join(pairs))
