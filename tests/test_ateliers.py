"""Territory pages converted by other processes (macros/guide/construction/ateliers.py): the same site as a build
alone, every page converted once, by one process, and whatever a child could not do done by the build."""
from __future__ import annotations

import logging
import os
import re
import signal
import threading
import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, event, given, settings, strategies as st

from conftest import ROOT, mkdocs_build
from guide.construction.ateliers import Ateliers

# Pagefind names its files after their content's digest, which changes from one build to the next by itself.
_PAGEFIND_NOMMES = re.compile(r"^pagefind/(?!guide-mots/)")


def _fichiers(site: Path) -> dict[str, bytes]:
    return {p.relative_to(site).as_posix(): p.read_bytes() for p in sorted(site.rglob("*")) if p.is_file()
            and not _PAGEFIND_NOMMES.match(p.relative_to(site).as_posix())}


def test_a_build_helped_by_other_processes_writes_the_site_the_build_alone_writes(tmp_path, site_dir):
    seule = mkdocs_build(ROOT, tmp_path / "seule", GUIDE_PROCESSUS="0", verbeux=True)
    aidee = mkdocs_build(ROOT, tmp_path / "aidee", GUIDE_PROCESSUS="2", verbeux=True)
    assert seule.returncode == 0 and aidee.returncode == 0, seule.stderr[-3000:] + aidee.stderr[-3000:]
    assert "converties par" not in seule.stderr  # no other process when asked for none
    recues = re.search(r"Pages des territoires : (\d+) sur (\d+) converties par 2 autre", aidee.stderr)
    assert recues and int(recues.group(1)) > 0, aidee.stderr[-3000:]
    attendu = _fichiers(tmp_path / "seule")
    fiches = {p.stem for p in (ROOT / "fiches" / "territoires").glob("*.md")}
    assert {f"territoires/{slug}/index.html" for slug in fiches} <= attendu.keys()
    for site in (tmp_path / "aidee", site_dir):  # site_dir: the suite's build, with this machine's default
        obtenu = _fichiers(site)
        assert obtenu.keys() == attendu.keys()
        differents = [nom for nom in attendu if obtenu[nom] != attendu[nom]]
        assert not differents, differents[:10]


class _Fichier:
    def __init__(self, src: str):
        self.src_uri = src


class _Page:
    """What Ateliers reads and a child's `faire` sets: MkDocs' Page attributes after render."""

    def __init__(self, i: int):
        self.file = _Fichier(f"territoires/{i}.md")
        self.content = self.markdown = self._title_from_render = self.links_to_anchors = None
        self.toc, self.present_anchor_ids = [], set()


def _numero(page) -> int:
    return int(page.file.src_uri.split("/")[1].removesuffix(".md"))


class _Journal(logging.Handler):
    def __init__(self):
        super().__init__()
        self.messages = []

    def emit(self, record):
        self.messages.append(record.getMessage())


@pytest.fixture
def delai():
    """A test that waits for children fails after 60 s instead of hanging the suite."""
    def trop_long(*_):
        raise TimeoutError("les processus n'ont pas rendu leurs pages")
    ancien = signal.signal(signal.SIGALRM, trop_long)
    signal.alarm(60)
    yield
    signal.alarm(0)
    signal.signal(signal.SIGALRM, ancien)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(n=st.integers(2, 30), processus=st.integers(1, 3), data=st.data())
def test_each_page_is_converted_once_and_what_a_child_cannot_do_the_build_does(delai, n, processus, data):
    indices = st.sets(st.integers(0, n - 1), max_size=n // 3)
    echecs, bruts = data.draw(indices, "échecs"), data.draw(indices, "HTML gardé hors du Markdown")
    mort = data.draw(st.none() | st.integers(0, n - 1), "enfant qui meurt sur cette page")
    lents = data.draw(indices, "pages où la construction s'attarde")

    def faire(page) -> bool:
        i = _numero(page)
        if i == mort:
            os._exit(3)  # a child that dies: the pages it took and did not send are the build's
        logging.getLogger("mkdocs.essai").warning(f"page {i}")
        if i in echecs:
            raise ValueError(i)
        page.content, page.toc, page._title_from_render = f"<p>{i}</p>", [f"titre {i}"], f"T{i}"
        page.present_anchor_ids = {f"a{i}"}
        return i not in bruts

    journal = _Journal()
    logging.getLogger("mkdocs.essai").addHandler(journal)
    pages = [_Page(i) for i in range(n)]
    ateliers = Ateliers(pages, processus)
    ateliers._demarrer(faire)
    enfants = list(ateliers._enfants)
    par_la_construction, recues = set(), set()
    for page in pages:
        i = _numero(page)
        if i in lents:
            time.sleep(0.005)
        rendu = ateliers.prendre(page.file.src_uri)
        if rendu is None:
            par_la_construction.add(i)
        else:
            assert rendu == {"content": f"<p>{i}</p>", "toc": [f"titre {i}"], "titre": f"T{i}",
                             "ancres": {f"a{i}"}, "liens": None}
            recues.add(i)
    ateliers.fermer()
    logging.getLogger("mkdocs.essai").removeHandler(journal)
    event(f"pages prises aux processus : {'aucune' if not recues else 'certaines'}")
    assert par_la_construction | recues == set(range(n)) and not par_la_construction & recues
    assert not recues & (echecs | bruts | {mort}), "a page a child could not do comes from it anyway"
    assert ateliers.recues == len(recues)
    # A child's log lines are logged again by the build, once, with the pages it took from the child.
    rejoues = sorted(int(message.split()[1]) for message in journal.messages)
    assert rejoues == sorted(recues)
    for pid in enfants:  # every child reaped
        with pytest.raises(ChildProcessError):
            os.waitpid(pid, os.WNOHANG)


def test_no_other_process_when_it_cannot_help_or_would_copy_a_running_thread():
    pages = [_Page(i) for i in range(5)]
    assert Ateliers.ouvrir(pages, 0, lambda page: True) is None
    assert Ateliers.ouvrir(pages[:1], 2, lambda page: True) is None
    arret = threading.Event()
    fil = threading.Thread(target=arret.wait)
    fil.start()
    try:  # a fork copies the calling thread only: a lock another thread holds would stay held in the child
        assert Ateliers.ouvrir(pages, 2, lambda page: True) is None
    finally:
        arret.set()
        fil.join()
