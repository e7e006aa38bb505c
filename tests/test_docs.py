"""The documentation builds warning-free and its worked examples compute the stated numbers.

The build is the command CI runs, ``python -m sphinx -W --keep-going -b html docs OUT``, with
its output and doctrees in a temporary directory. The user-guide and getting-started pages
hold ``>>>`` examples; they are executed here with pytest's doctest runner, so a wrong number
fails the suite. The ``.. plot::`` scripts of the user guide assert their own numbers and run
during the build (a failing script is a warning, hence an error under -W).
"""

from __future__ import annotations

import doctest
import importlib.util
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / "docs"
INSTALL_HINT = (
    "the docs need sphinx, pydata-sphinx-theme, numpydoc, sphinx-gallery and matplotlib: "
    'pip install -e ".[docs]"'
)
DOC_PAGES = [
    "index.html",
    "getting_started.html",
    "user_guide/index.html",
    *(
        f"user_guide/{page}.html"
        for page in (
            "equilibrium",
            "ghk",
            "activities",
            "junction",
            "donnan",
            "energetics",
            "dynamics",
        )
    ),
    "auto_examples/index.html",
    "generated/problems.html",
    "generated/validation.html",
    "performance.html",
    "api.html",
    "reference/nernst.equilibrium_potential.html",
    "reference/nernst.ghk_voltage.html",
    "reference/nernst.plotting.html",
]


def _require_docs_tools() -> None:
    missing = [
        name
        for name in ("sphinx", "pydata_sphinx_theme", "numpydoc", "sphinx_gallery", "matplotlib")
        if importlib.util.find_spec(name) is None
    ]
    if missing:
        pytest.fail(f"missing {', '.join(missing)}; {INSTALL_HINT}")


@pytest.fixture(scope="module")
def built_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    _require_docs_tools()
    out = tmp_path_factory.mktemp("docs")
    cmd = [
        sys.executable, "-m", "sphinx", "-W", "--keep-going", "-b", "html",
        "-d", str(out / "doctrees"), str(DOCS), str(out / "html"),
    ]  # fmt: skip
    proc = subprocess.run(cmd, capture_output=True, text=True, cwd=ROOT, timeout=600)
    assert proc.returncode == 0, (
        f"sphinx -W build failed ({proc.returncode}):\n{proc.stdout[-3000:]}\n{proc.stderr[-6000:]}"
    )
    return out / "html"


def test_sphinx_build_is_warning_free(built_site: Path) -> None:
    assert (built_site / "index.html").is_file()


@pytest.mark.parametrize("page", DOC_PAGES)
def test_page_exists(built_site: Path, page: str) -> None:
    assert (built_site / page).is_file(), page


def test_every_public_name_has_an_api_page(built_site: Path) -> None:
    import nernst

    missing = [
        name
        for name in nernst.__all__
        if name != "__version__"
        and not (built_site / "reference" / f"nernst.{name}.html").is_file()
    ]
    assert not missing, missing


def test_user_guide_plots_are_embedded(built_site: Path) -> None:
    for page in (
        "equilibrium",
        "ghk",
        "activities",
        "junction",
        "donnan",
        "energetics",
        "dynamics",
    ):
        html = (built_site / "user_guide" / f"{page}.html").read_text(encoding="utf-8")
        assert ".png" in html, f"no figure on user_guide/{page}"


@pytest.mark.parametrize(
    "page",
    [
        "getting_started.rst",
        *sorted(f"user_guide/{p.name}" for p in (DOCS / "user_guide").glob("*.rst")),
    ],
)
def test_page_examples_compute_the_stated_numbers(page: str) -> None:
    # The same runner as ``pytest --doctest-glob='*.rst' docs/user_guide``, in-process.
    result = doctest.testfile(
        str(DOCS / page),
        module_relative=False,
        optionflags=doctest.ELLIPSIS,
        raise_on_error=False,
        verbose=False,
    )
    assert result.failed == 0, f"{result.failed} of {result.attempted} examples in {page} failed"
    if page != "user_guide/index.rst":
        assert result.attempted > 0, f"{page} has no executed examples"


def test_mathjax_is_bundled_for_offline_reading(built_site: Path) -> None:
    """The pages load MathJax from the site itself (sphinx-mathjax-offline), not a CDN."""
    page = (built_site / "index.html").read_text(encoding="utf-8")
    assert 'src="_static/mathjax/tex-chtml.js"' in page
    assert "cdn.jsdelivr.net/npm/mathjax" not in page
    assert (built_site / "_static" / "mathjax" / "tex-chtml.js").exists()


def test_validation_table_is_styled_to_fit(built_site: Path) -> None:
    page = (built_site / "generated" / "validation.html").read_text(encoding="utf-8")
    assert "_static/nernst.css" in page
