"""The rendering: fiche text as sanitised fragments (fragments), templates in a sandbox (render), French
typography, source notes, acronyms, the page's short contents, and the allowlist sanitiser (assainir)."""
