"""The model: fiches read safely (load, caracteres, nombres), checked against their schemas and each
other (validate, doublons), and the official reference (referentiel). Errors are FicheError, in French."""
