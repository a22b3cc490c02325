"""The build itself: the preview under `mkdocs serve --dirty` (apercu) and the publication that leaves the
published site untouched when a build fails (publication)."""
