"""Links land where they say: every fragment link of the built site, print pages included, finds exactly
one element with that id; heading ids keep « œ » and « æ » as « oe » and « ae »."""
from __future__ import annotations

import collections
import functools
import posixpath
import sys
from pathlib import Path
from urllib.parse import unquote, urlsplit

import lxml.html

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "macros"))
from guide import slugs  # noqa: E402


@functools.lru_cache(maxsize=None)
def ids_of(path: Path) -> collections.Counter:
    tree = lxml.html.parse(str(path))
    return collections.Counter(tree.xpath("//@id"))


def page_file(site: Path, page: Path, href_path: str) -> Path | None:
    """The built file a relative link of `page` points to (directory URLs end in index.html)."""
    rel_dir = page.parent.relative_to(site).as_posix()
    target = posixpath.normpath(posixpath.join(rel_dir, unquote(href_path)))
    if target.startswith(".."):
        return None
    candidate = site / target
    if candidate.is_dir() or href_path.endswith("/"):
        candidate = candidate / "index.html"
    return candidate


def fragment_links(site: Path):
    """(page, href, target file, fragment) of every link with a fragment to a page of the site."""
    for page in sorted(site.rglob("*.html")):
        tree = lxml.html.parse(str(page))
        for href in tree.xpath("//a/@href"):
            parts = urlsplit(href)
            if parts.scheme or parts.netloc or not parts.fragment or href.startswith("/"):
                continue
            target = page if not parts.path else page_file(site, page, parts.path)
            yield page, href, target, unquote(parts.fragment)


def test_every_fragment_link_finds_exactly_one_element(site_dir):
    checked, bad = 0, []
    print_links = 0
    for page, href, target, fragment in fragment_links(site_dir):
        checked += 1
        print_links += "imprimer" in page.parts
        count = ids_of(target)[fragment] if target and target.is_file() else 0
        if count != 1:
            bad.append(f"{page.relative_to(site_dir)}: {href} → {count} élément(s)")
    # the site has thousands of such links (actions, sources, tables of contents), print pages included
    assert checked > 5000 and print_links > 1000, (checked, print_links)
    assert not bad, f"{len(bad)} lien(s) sur {checked} :\n" + "\n".join(bad[:30])


def test_no_id_is_used_twice_in_a_page(site_dir):
    bad = []
    for page in sorted(site_dir.rglob("*.html")):
        dup = [i for i, n in ids_of(page).items() if n > 1]
        if dup:
            bad.append(f"{page.relative_to(site_dir)}: {', '.join(sorted(dup)[:5])} ({len(dup)})")
    assert not bad, "\n".join(bad[:30])


def test_heading_ids_keep_oe_and_ae(site_dir, guide):
    """« Cœur d'Essonne » gives « coeur-dessonne… », like the toc slugs of every other heading."""
    assert slugs.titre("Cœur d'Essonne Agglomération", "-") == "coeur-dessonne-agglomeration"
    assert slugs.titre("Curriculum vitæ", "-") == "curriculum-vitae"
    named = [t for t in guide.territoires.values() if "œ" in t.data["nom"].lower() or "æ" in t.data["nom"].lower()]
    assert named, "aucune fiche avec « œ » : le test ne vérifierait rien"
    for t in named:
        ids = ids_of(site_dir / "territoires" / t.slug / "index.html")
        assert slugs.titre(t.data["nom"], "-") in ids
        assert not [i for i in ids if i.startswith("cur-")], t.slug
        for action in t.actions:
            assert ids[action.ancre] == 1, action.ancre
