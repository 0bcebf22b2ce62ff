"""Reference and demo data shipped with the package (CSV)."""
