"""Embedded data: the ion table (ions.toml) and the preset cells (cells.toml)."""
