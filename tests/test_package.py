"""Packaging: light import, optimised mode, data files shipped in the wheel."""

import ast
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def loaded_after(statements: str, modules: tuple[str, ...]) -> list[str]:
    """Which of ``modules`` a fresh interpreter has imported after running ``statements``."""
    code = f"import sys\n{statements}\nprint([m for m in {modules!r} if m in sys.modules])\n"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return ast.literal_eval(out.stdout.strip())


def test_import_is_light():
    # The core imports only NumPy and SciPy; interfaces and extras load lazily.
    heavy = ("typer", "rich", "pandas", "matplotlib", "dask", "pint", "click")
    assert loaded_after("import nernst; nernst.Cell.preset().report()", heavy) == []


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


# -- the public API, listed once (nernst._api.API) --------------------------------------------


def test_every_public_name_resolves():
    import nernst
    from nernst import _api

    assert sorted(nernst.__all__) == sorted([*_api.API, "__version__"])
    for name in nernst.__all__:
        assert getattr(nernst, name) is not None, name
    assert set(dir(nernst)) >= set(nernst.__all__)


def test_every_table_entry_names_its_defining_module():
    import importlib

    from nernst import _api

    for name, (module, spec) in _api.API.items():
        obj = getattr(importlib.import_module(module), name)
        assert spec in (_api.UNITLESS, _api.CLASS, _api.DATA) or isinstance(spec, _api.Units)
        if isinstance(obj, type):
            # A class is CLASS, or has a Units entry and accepts Quantities (decorated).
            assert spec == _api.CLASS or name in _api.QUANTITY_CLASSES, name
        elif callable(obj):
            assert spec != _api.CLASS and spec != _api.DATA, name
        else:
            assert spec == _api.DATA, name


def test_every_argument_of_a_wrapped_function_has_a_unit_or_is_plain():
    # A new argument must be added to ARGUMENT_UNITS (or the function's Units.args) or to
    # PLAIN_ARGUMENTS, so that a Quantity given to it is converted or rejected on purpose.
    import importlib
    import inspect

    from nernst import _api

    missing = []
    for name, (module, spec) in _api.API.items():
        if not isinstance(spec, _api.Units):
            continue
        obj = getattr(importlib.import_module(module), name)
        target = obj.__init__ if isinstance(obj, type) else obj
        for param in inspect.signature(target).parameters.values():
            if param.kind in (param.VAR_POSITIONAL, param.VAR_KEYWORD) or param.name == "self":
                continue
            known = (
                param.name in spec.args
                or param.name in _api.ARGUMENT_UNITS
                or param.name in _api.PLAIN_ARGUMENTS
            )
            if not known:
                missing.append(f"{name}({param.name})")
    assert missing == []


def test_unitless_functions_take_no_quantity():
    import importlib
    import inspect

    from nernst import _api

    for name, (module, spec) in _api.API.items():
        if spec != _api.UNITLESS:
            continue
        obj = getattr(importlib.import_module(module), name)
        for param in inspect.signature(obj).parameters:
            assert param not in _api.ARGUMENT_UNITS, (name, param)


def test_type_checking_imports_match_the_table():
    # nernst/__init__.py imports every public name under TYPE_CHECKING for type checkers and
    # IDEs; they must name the same objects from the same modules as the table.
    import ast

    from nernst import _api

    tree = ast.parse((ROOT / "src" / "nernst" / "__init__.py").read_text(encoding="utf-8"))
    imported = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and getattr(node.test, "id", None) == "TYPE_CHECKING":
            for stmt in node.body:
                assert isinstance(stmt, ast.ImportFrom)
                for alias in stmt.names:
                    imported[alias.asname or alias.name] = stmt.module
    imported["ions"] = "nernst.ions"  # bound eagerly, outside the TYPE_CHECKING block
    assert imported == {name: module for name, (module, _) in _api.API.items()}


def test_import_stays_light_after_a_physics_call():
    calls = (
        "import nernst\n"
        "nernst.equilibrium_potential('K+', c_in=140, c_out=5)\n"
        "nernst.ghk_current('K+', v_m=-70, permeability=1e-6, c_in=140, c_out=5)"
    )
    heavy = ("pint", "pandas", "rich", "typer", "dash", "matplotlib", "dask", "xarray", "click")
    assert loaded_after(calls, heavy) == []


def test_a_junction_imports_no_scipy_solver_it_does_not_use():
    # scipy.optimize (the hybrj fallback) and scipy.linalg (null spaces) cost ~0.3 s of
    # import in a fresh process: a typical junction, solved by Newton, loads neither, so
    # `nernst ljp` answers in a fraction of that.
    junction = "import nernst\nnernst.liquid_junction_potential('k-gluconate-internal', 'acsf')"
    assert loaded_after(junction, ("scipy.optimize", "scipy.linalg")) == []
