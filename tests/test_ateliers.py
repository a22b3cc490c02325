"""Work shared with forked processes (macros/guide/ateliers.py), and territory pages converted by them
(macros/guide/construction/conversion.py): the same site as a build alone, every element done once, by one
process, and whatever a child could not do done by the build."""
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
from guide.ateliers import Ateliers

# Pagefind names its files after their content's digest, which changes from one build to the next by itself.
_PAGEFIND_NOMMES = re.compile(r"^pagefind/(?!guide-mots/)")


def _fichiers(site: Path) -> dict[str, bytes]:
    return {p.relative_to(site).as_posix(): p.read_bytes() for p in sorted(site.rglob("*")) if p.is_file()
            and not _PAGEFIND_NOMMES.match(p.relative_to(site).as_posix())}


def test_a_build_helped_by_other_processes_writes_the_site_the_build_alone_writes(tmp_path, site_dir):
    seule = mkdocs_build(ROOT, tmp_path / "seule", GUIDE_PROCESSUS="0", verbeux=True)
    aidee = mkdocs_build(ROOT, tmp_path / "aidee", GUIDE_PROCESSUS="2", verbeux=True)
    assert seule.returncode == 0 and aidee.returncode == 0, seule.stderr[-3000:] + aidee.stderr[-3000:]
    assert "autre(s) processus" not in seule.stderr  # no other process when asked for none
    for quoi in ("Fiches lues", "Pages des territoires converties"):
        recus = re.search(quoi + r" : (\d+) sur \d+ par 2 autre\(s\) processus", aidee.stderr)
        assert recus and int(recus.group(1)) > 0, (quoi, aidee.stderr[-3000:])
    attendu = _fichiers(tmp_path / "seule")
    fiches = {p.stem for p in (ROOT / "fiches" / "territoires").glob("*.md")}
    assert {f"territoires/{slug}/index.html" for slug in fiches} <= attendu.keys()
    for site in (tmp_path / "aidee", site_dir):  # site_dir: the suite's build, with this machine's default
        obtenu = _fichiers(site)
        assert obtenu.keys() == attendu.keys()
        differents = [nom for nom in attendu if obtenu[nom] != attendu[nom]]
        assert not differents, differents[:10]


def test_fiches_read_by_other_processes_are_refused_as_the_build_alone_refuses_them(project_copy, tmp_path):
    # Named to come last: the other processes take the fiches from the end of the list.
    folder = project_copy / "fiches" / "territoires"
    base = sorted(folder.glob("*.md"))[0].read_text(encoding="utf-8")
    (folder / "zz-sans-nom.md").write_text(base.replace("\nnom:", "\nancien_nom:", 1), encoding="utf-8")
    (folder / "zz-yaml-casse.md").write_text(base.replace("\nnom:", "\nnom: [", 1), encoding="utf-8")
    (folder / "zz-imbrication.md").write_text(base.replace("\nnom:", "\nvaleur: " + "[" * 800 + "]" * 800 + "\nnom:", 1),
                                              encoding="utf-8")
    seule = mkdocs_build(project_copy, tmp_path / "site", GUIDE_PROCESSUS="0")
    aidee = mkdocs_build(project_copy, tmp_path / "site", GUIDE_PROCESSUS="2")  # the report names the site
    assert seule.returncode != 0 and "zz-sans-nom.md" in seule.stderr and "zz-imbrication.md" in seule.stderr
    assert "Traceback" not in seule.stderr
    assert (aidee.returncode, aidee.stdout, aidee.stderr) == (seule.returncode, seule.stdout, seule.stderr)


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
def test_each_element_is_done_once_and_what_a_child_cannot_do_the_build_does(delai, n, processus, data):
    indices = st.sets(st.integers(0, n - 1), max_size=n // 3)
    echecs, refus = data.draw(indices, "échecs"), data.draw(indices, "laissés à la construction (None)")
    mort = data.draw(st.none() | st.integers(0, n - 1), "enfant qui meurt sur cet élément")
    lents = data.draw(indices, "éléments où la construction s'attarde")

    def faire(i):
        if i == mort:
            os._exit(3)  # a child that dies: the elements it took and did not send are the build's
        logging.getLogger("mkdocs.essai").warning(f"élément {i}")
        if i in echecs:
            raise ValueError(i)
        return None if i in refus else {"html": f"<p>{i}</p>", "ancres": {f"a{i}"}}

    journal = _Journal()
    logging.getLogger("mkdocs.essai").addHandler(journal)
    ateliers = Ateliers(list(range(n)), processus)
    ateliers._demarrer(faire)
    enfants = list(ateliers._enfants)
    par_la_construction, recus = set(), set()
    for i in range(n):
        if i in lents:
            time.sleep(0.005)
        resultat = ateliers.prendre(i)
        if resultat is None:
            par_la_construction.add(i)
        else:
            assert resultat == {"html": f"<p>{i}</p>", "ancres": {f"a{i}"}}
            recus.add(i)
    ateliers.fermer()
    logging.getLogger("mkdocs.essai").removeHandler(journal)
    event(f"éléments pris aux processus : {'aucun' if not recus else 'certains'}")
    assert par_la_construction | recus == set(range(n)) and not par_la_construction & recus
    assert not recus & (echecs | refus | {mort}), "an element a child could not do comes from it anyway"
    assert ateliers.recus == len(recus)
    # A child's log lines are logged again by the build, once, with the elements it took from the child.
    rejoues = sorted(int(message.split()[1]) for message in journal.messages)
    assert rejoues == sorted(recus)
    for pid in enfants:  # every child reaped
        with pytest.raises(ChildProcessError):
            os.waitpid(pid, os.WNOHANG)


def test_no_other_process_when_it_cannot_help_or_would_copy_a_running_thread():
    elements = list(range(5))
    assert Ateliers.ouvrir(elements, 0, str) is None
    assert Ateliers.ouvrir(elements[:1], 2, str) is None
    arret = threading.Event()
    fil = threading.Thread(target=arret.wait)
    fil.start()
    try:  # a fork copies the calling thread only: a lock another thread holds would stay held in the child
        assert Ateliers.ouvrir(elements, 2, str) is None
    finally:
        arret.set()
        fil.join()



_SEGMENT = st.text(alphabet="abcz09-._~%:@!$&'()*+,;=é ", max_size=6)


@settings(max_examples=400, deadline=None)
@given(scheme=st.sampled_from(["http", "https", "file", "mailto", "ftp", ""]),
       hote=st.sampled_from(["", "127.0.0.1:8000", "exemple.org", "user@h.fr:1"]),
       chemin=st.lists(st.one_of(st.sampled_from([".", "..", "", "guide", "sous-chemin"]), _SEGMENT), max_size=4),
       suite=st.sampled_from(["", "?q=1", "#x", "?a=b#c", "/"]),
       page=st.lists(st.from_regex(r"[a-z0-9-]{1,12}", fullmatch=True), min_size=1, max_size=3))
def test_a_territory_page_has_the_canonical_address_mkdocs_gives(scheme, hote, chemin, suite, page):
    """A territory page's canonical address and path (conversion.PageRendueAilleurs, made without MkDocs' urljoin
    for each of 10,000 pages) are what MkDocs' own Page gives, for any site address."""
    from types import SimpleNamespace

    from mkdocs.structure.pages import Page

    from guide.construction.conversion import PageRendueAilleurs
    base = (f"{scheme}:" if scheme else "") + (f"//{hote}" if hote else "") + "/".join(chemin) + suite
    fichier = SimpleNamespace(url="/".join(page) + "/")
    attendu, obtenu = Page.__new__(Page), PageRendueAilleurs.__new__(PageRendueAilleurs)
    attendu.file = obtenu.file = fichier
    attendu._set_canonical_url(base)
    obtenu._set_canonical_url(base)
    assert (obtenu.canonical_url, obtenu.abs_url) == (attendu.canonical_url, attendu.abs_url), base
