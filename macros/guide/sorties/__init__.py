"""The outputs, each reading the joined guide: printed sections (impression), map (carte), open data
(export), search index (recherche, indexation), the editors' form (decap), territory bearings (reperes)."""
