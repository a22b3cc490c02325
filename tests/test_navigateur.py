"""In Debian's Chromium: follow links from the home page, and search in French with and without accents."""
from __future__ import annotations

import re
import unicodedata
from collections import Counter
from urllib.parse import quote

import pytest
from playwright.sync_api import expect


def fold(text: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFD", text) if not unicodedata.combining(c))


def heading(page) -> list[str]:
    """Words of the page's h1, without Material's permalink."""
    return page.locator("h1").evaluate(
        "h => { const c = h.cloneNode(true); c.querySelectorAll('.headerlink').forEach(a => a.remove());"
        " return c.textContent; }").split()


def test_home_to_champ_to_territory(page, served, guide):
    page.goto(served + "/")
    assert page.locator("html").get_attribute("lang") == "fr"
    page.locator("article").get_by_role("link", name="Leviers d'action", exact=True).click()
    expect(page).to_have_url(re.compile(r"/leviers/$"))
    champ = next(c for c in guide.champs_de("levier") if c.actions)
    page.locator("article").get_by_role("link", name=champ.data["titre"]).click()
    expect(page).to_have_url(re.compile(rf"/champs/{champ.slug}/$"))
    assert heading(page) == champ.data["titre"].split()
    territoire = champ.territoires[0]
    page.locator("article h3").get_by_role("link", name=territoire.data["nom"], exact=True).click()
    expect(page).to_have_url(re.compile(rf"/territoires/{territoire.slug}/$"))
    assert heading(page) == territoire.data["nom"].split()


def rare_accented_word(guide):
    """An accented word of the territory fiches found in a single fiche: a search for it must find that page."""
    where = {}
    counts = Counter()
    for terr in guide.territoires.values():
        # Names and action titles: words a reader remembers of a territory page.
        text = " ".join([terr.data["nom"]] + [a.data["titre"] for a in terr.actions])
        for word in set(re.findall(r"\w{7,}", text.lower())):
            if fold(word) != word and not any(ch.isdigit() for ch in word):
                counts[word] += 1
                where[word] = terr
    for word, n in sorted(counts.items()):
        if n == 1:
            return word, where[word]
    pytest.fail("aucun mot accentué propre à une seule fiche")


def search(page, served, query) -> list[str]:
    """Run a query in Material's search (through its `?q=` link, as a shared search would); return result pages."""
    page.goto(f"{served}/?q={quote(query)}")
    results = page.locator(".md-search-result__item > a")
    results.first.wait_for(timeout=60000)
    assert page.locator("input.md-search__input").input_value() == query
    hrefs = {re.sub(r"[?#].*$", "", results.nth(i).get_attribute("href")) for i in range(results.count())}
    return sorted(h for h in hrefs if not h.endswith("/recherche/"))  # the last link: every result, with filters


def test_french_search_with_and_without_accents(page, served, guide):
    word, territoire = rare_accented_word(guide)
    with_accents = search(page, served, word)
    without_accents = search(page, served, fold(word))
    assert with_accents == without_accents
    expected = {f"{served}/territoires/{territoire.slug}/"} | {
        f"{served}/champs/{s}/" for a in territoire.actions if word in a.data["titre"].lower()
        for s in a.data["champs"]}
    assert expected & set(with_accents), (word, with_accents)
