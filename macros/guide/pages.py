"""The macros of the authored pages of docs/ (mkdocs-macros, `modules: [guide.pages]` in mkdocs.yml).

mkdocs-macros renders only the pages that opt in with `render_macros: true` in their front matter
(`render_by_default: false`): the hand-written pages of docs/. A generated page (a fiche, a printed section)
has no front matter and never opts in. Each macro renders a template of macros/templates/ with the guide
the plugin (plugin.py) joined for this build, in the same sandbox as the fiche pages (render.py).
"""
from __future__ import annotations

from guide.sorties import export
from guide.rendu.render import limites, schema_rows, structures


def define_env(env):
    """Declare the guide's macros."""

    def guide_plugin():
        return env.conf["plugins"]["guide"]

    def render(template, **context):
        page_src = env.page.file.src_uri if env.page else "index.md"
        return guide_plugin().renderer.render(template, page_src, **context)

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
        """Map of the départements holding territories, each linked to the finder filtered on it (guide/sorties/carte.py)."""
        from guide.sorties import carte as module
        plugin = guide_plugin()
        return render("carte.md.j2", carte=module.carte(plugin.guide, plugin.racine))

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
    def chiffres_guide() -> dict:
        g = guide_plugin().guide
        familles = {famille: len(g.champs_de(famille)) for famille in ("levier", "focus", "cadre")}
        return {"territoires": len(g.territoires), "actions": len(g.actions), "champs": len(g.champs), **familles}
