"""mkdocs-macros module: the macros that render fiche pages and indexes from the joined guide.

Authored pages of docs/ and printed sections call these macros; champ and territory pages are
rendered by hooks.py from the same templates (macros/templates/ hold the presentation).
"""
from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from guide import site  # noqa: E402
from guide.render import limites, schema_rows, structures  # noqa: E402
from guide import export  # noqa: E402


def define_env(env):
    """Declare the guide's macros."""

    def render(template, **context):
        page_src = env.page.file.src_uri if env.page else "index.md"
        return site.renderer().render(template, page_src, **context)

    @env.macro
    def index_famille(famille: str) -> str:
        """Cards of the champs of one family (leviers, focus or cadres)."""
        return render("index_famille.md.j2", famille=famille)

    @env.macro
    def index_territoires() -> str:
        """All territories, with the data the finder filters and sorts on (type, region, population, champs)."""
        return render("index_territoires.md.j2", export=export)

    @env.macro
    def carte() -> str:
        """Map of the départements holding territories, each linked to the finder filtered on it (guide/carte.py)."""
        from guide import carte as module
        root = Path(env.conf["config_file_path"]).resolve().parent
        return render("carte.md.j2", carte=module.carte(site.current(), root))

    @env.macro
    def matrice() -> str:
        """Territory × champ matrix, each cell linking to the actions concerned."""
        return render("matrice.md.j2", export=export)

    @env.macro
    def donnees() -> str:
        """The open data files and the description of their fields."""
        return render("donnees.md.j2", export=export)

    @env.macro
    def messages_cles() -> str:
        return render("messages_cles.md.j2")

    @env.macro
    def glossaire() -> str:
        return render("glossaire.md.j2")

    @env.macro
    def liste_sources() -> str:
        return render("sources.md.j2")

    @env.macro
    def modele_des_fiches() -> str:
        """Documentation of the fiche fields, read from the schemas that validate them."""
        return render("modele.md.j2", rows=schema_rows, structures=structures, limites=limites())

    @env.macro
    def impression_ouverture(ident: str) -> str:
        """Cover and contents of a printed section (see guide/impression.py)."""
        from guide import impression
        return render("impression.md.j2", section=impression.courante().par_id[ident],
                      site_name=env.conf["site_name"])

    @env.macro
    def chiffres_guide() -> dict:
        g = site.current()
        return {"territoires": len(g.territoires), "actions": len(g.actions), "champs": len(g.champs)}
