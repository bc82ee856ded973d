"""One module per schema version, numbered; never edited once released."""
