"""Properties that keep the guide fast as fiches are added (the timings themselves are measured by
scripts/benchmark.py, not here): fiches parsed once per build, and page weight independent of
the number of territories."""
from __future__ import annotations

import shutil
from pathlib import Path

import yaml
from bs4 import BeautifulSoup

from conftest import mkdocs_build


def nav_and_page_sizes(site: Path, slug: str) -> tuple[int, int]:
    html = (site / "territoires" / slug / "index.html").read_text(encoding="utf-8")
    nav = BeautifulSoup(html, "lxml").find("nav", class_="md-nav--primary")
    return len(str(nav)), len(html)


def test_page_weight_does_not_grow_with_the_number_of_fiches(project_copy, tmp_path, guide):
    """Adding 40 territory fiches leaves another territory's page, and its navigation, unchanged in size."""
    before = tmp_path / "avant"
    assert mkdocs_build(project_copy, before).returncode == 0
    folder = project_copy / "fiches" / "territoires"
    # Copies of fiches that have actions of their own (a copy is named as coporteur by no one).
    sources = [p for p in sorted(folder.glob("*.md")) if guide.territoires[p.stem].actions]
    for i in range(40):
        source = sources[i % len(sources)]
        _, front, body = source.read_text(encoding="utf-8").split("---\n", 2)
        data = yaml.safe_load(front)
        data["nom"] = f"Copie {i} de {data['nom']}"
        data.pop("alias", None)
        for action in data["actions"]:  # a copy shares no action with the real fiches
            action.pop("coporteurs", None)
        front = yaml.safe_dump(data, allow_unicode=True, sort_keys=False)
        (folder / f"copie-{i}-{source.stem}.md").write_text(f"---\n{front}---\n{body}", encoding="utf-8")
    out = tmp_path / "plus"
    result = mkdocs_build(project_copy, out)
    assert result.returncode == 0, result.stderr[-3000:]
    probe = sources[-1].stem
    assert nav_and_page_sizes(out, probe) == nav_and_page_sizes(before, probe)


def test_fiches_are_parsed_once_per_build_and_only_when_changed(monkeypatch, project_copy, tmp_path):
    """The guide is loaded once per build, not once per page; a rebuild (mkdocs serve) parses only
    the fiches that changed."""
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    import guide as guide_package
    calls = []
    real = guide_package.load_fiche

    def counting(path, root):
        calls.append(path)
        return real(path, root)

    monkeypatch.setattr(guide_package, "load_fiche", counting)
    monkeypatch.setattr(guide_package, "_CACHE", {})
    monkeypatch.chdir(project_copy)

    def build_once():
        calls.clear()
        build(load_config(str(project_copy / "mkdocs.yml"), site_dir=str(tmp_path / "site")))
        return list(calls)

    first = build_once()
    assert len(first) == len(set(first)) == len(guide_package.fiche_paths(project_copy))
    assert build_once() == []
    fiche = guide_package.fiche_paths(project_copy, "territoires")[0]
    fiche.write_text(fiche.read_text(encoding="utf-8") + "\nUne phrase ajoutée.\n", encoding="utf-8")
    assert build_once() == [fiche]
