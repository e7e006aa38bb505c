"""Packaging: light import, optimised mode, data files shipped in the wheel."""

import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def test_import_is_light():
    # The core imports only NumPy and SciPy; interfaces and extras load lazily.
    code = (
        "import sys, nernst; nernst.Cell.preset().report();"
        "heavy = [m for m in ('typer', 'rich', 'pandas', 'matplotlib', 'dask', 'pint', 'click')"
        " if m in sys.modules]; print(heavy)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_import_with_docstrings_stripped():
    # STYLE.md: `python -OO -c "import nernst"` must work (no logic in docstrings).
    code = "import nernst; print(round(nernst.equilibrium_potential('K+', c_in=140, c_out=5), 1))"
    out = subprocess.run(
        [sys.executable, "-OO", "-c", code], capture_output=True, text=True, check=True
    )
    assert out.stdout.strip() == "-89.1"


@pytest.mark.skipif(not (ROOT / "pyproject.toml").exists(), reason="needs the source tree")
def test_wheel_ships_data_and_typing_marker(tmp_path):
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--no-build-isolation",
            "-q",
            "-w",
            str(tmp_path),
            str(ROOT),
        ],
        check=True,
    )
    (wheel,) = tmp_path.glob("nernst-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    for required in (
        "nernst/data/ions.toml",
        "nernst/data/cells.toml",
        "nernst/data/activity.toml",
        "nernst/data/solutions.toml",
        "nernst/py.typed",
        "nernst/cli.py",
        "nernst/app/assets/style.css",
    ):
        assert required in names
