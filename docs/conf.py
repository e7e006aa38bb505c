"""Sphinx configuration for the nernst documentation.

Build (warnings are errors)::

    python -m sphinx -W --keep-going -b html docs docs/_build/html
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))  # docs/_generate.py and docs/problems.py

import nernst  # noqa: E402

# -- Project -----------------------------------------------------------------
project = "nernst"
author = "the nernst developers"
copyright = "2026, the nernst developers"
release = nernst.__version__
version = ".".join(release.split(".")[:2])

# -- General -----------------------------------------------------------------
extensions = [
    "sphinx.ext.autodoc",
    "sphinx.ext.autosummary",
    "numpydoc",
    "sphinx.ext.mathjax",
    # MathJax copied into the built site (_static/mathjax) instead of loaded from a CDN, so
    # the equations render offline too (the package's import name has hyphens).
    "sphinx-mathjax-offline",
    "sphinx_gallery.gen_gallery",
    "matplotlib.sphinxext.plot_directive",
]
exclude_patterns = ["_build", "README.md", "**.ipynb_checkpoints"]
templates_path: list[str] = []
nitpicky = False

# Two suppressions, both caused by docstrings in src/ that the docs build must not edit:
# - "ref.citation": the module docstrings of nernst.activity, .constants, .dynamics and
#   .junction have a References section whose entries the text cites by author and year, not
#   with [1]_, so docutils reports each citation as "not referenced".
suppress_warnings = ["ref.citation"]

autosummary_generate = True
autodoc_typehints = "none"  # numpydoc renders the types from the docstrings
autodoc_default_options = {"members": False}

# numpydoc: no per-class member tables (autosummary lists them), no validation warnings
# (the docstrings are checked by their own tests, not by the docs build), no type cross-refs
# (with nitpicky off they would only add noise).
numpydoc_show_class_members = False
numpydoc_class_members_toctree = False
numpydoc_validation_checks: set[str] = set()
numpydoc_xref_param_type = False

# matplotlib plot directive: run the scripts at build time, show the source, one PNG each.
plot_include_source = True
plot_html_show_source_link = False
plot_html_show_formats = False
plot_formats = [("png", 90)]
plot_rcparams = {"figure.figsize": (6.0, 3.6), "figure.autolayout": True}
plot_pre_code = "import numpy as np\nimport matplotlib.pyplot as plt\nimport nernst\n"

# sphinx-gallery (the contract with helper GALLERY)
sphinx_gallery_conf = {
    "examples_dirs": "../examples",
    "gallery_dirs": "auto_examples",
    "filename_pattern": r"/plot_",
    "download_all_examples": False,
    "within_subsection_order": "FileNameSortKey",
    "matplotlib_animations": False,
}

# -- HTML --------------------------------------------------------------------
html_theme = "pydata_sphinx_theme"
html_title = f"nernst {release}"
html_theme_options = {
    "navigation_with_keys": False,
    "show_toc_level": 2,
}
# The validation table needs the width: no (empty) section sidebar on that page.
html_sidebars = {"generated/validation": []}
html_static_path = ["_static"]
# Wide tables (the validation table) wrap their cells and fit the window.
html_css_files = ["nernst.css"]
html_show_sourcelink = False


def _generate(app: object) -> None:
    """Run docs/_generate.py (problems and validation pages) when it exists."""
    if not (HERE / "_generate.py").exists():
        return
    import _generate  # type: ignore[import-not-found]

    _generate.generate(app)


def setup(app):  # type: ignore[no-untyped-def]
    os.environ.setdefault("MPLBACKEND", "Agg")
    app.connect("builder-inited", _generate)
