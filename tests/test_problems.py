"""The documentation's hands-on problems and validation table (docs/problems.py, docs/_generate.py).

Every expected number here is the published answer stored with each problem (cited there) or a
registry row's published value; the tests run the solution code and the validation callables
and compare.
"""

from __future__ import annotations

import importlib.util
import re
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import pytest

DOCS = Path(__file__).resolve().parents[1] / "docs"


def _load(name: str, filename: str) -> ModuleType:
    if name in sys.modules:
        return sys.modules[name]
    spec = importlib.util.spec_from_file_location(name, DOCS / filename)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


problems = _load("_nernst_docs_problems", "problems.py")
gen = _load("_nernst_docs_generate", "_generate.py")
PROBLEMS = problems.PROBLEMS


def test_at_least_twenty_problems_with_unique_ids():
    ids = [p.id for p in PROBLEMS]
    assert len(ids) >= 20
    assert len(set(ids)) == len(ids)
    assert all(re.fullmatch(r"[a-z0-9-]+", i) for i in ids)


@pytest.mark.parametrize("problem", PROBLEMS, ids=[p.id for p in PROBLEMS])
def test_problem_is_well_formed(problem):
    assert problem.title and problem.statement and problem.source and problem.unit
    assert problem.tolerance >= 0
    # the solution uses the library only, and assigns `answer`
    imports = re.findall(r"^\s*(?:import|from)\s+(\S+)", problem.code, flags=re.M)
    assert imports == ["nernst"], imports
    assert re.search(r"^answer\s*=", problem.code, flags=re.M)


@pytest.mark.parametrize("problem", PROBLEMS, ids=[p.id for p in PROBLEMS])
def test_solution_reproduces_the_published_answer(problem):
    namespace: dict = {}
    exec(compile(problem.code, problem.id, "exec"), namespace)
    answer = float(namespace["answer"])
    assert answer == pytest.approx(problem.answer, abs=problem.tolerance), problem.source


def test_run_problem_captures_output_and_requires_answer():
    value, out = gen.run_problem("import nernst\nprint('hi')\nanswer = 2.5\n")
    assert value == 2.5
    assert out == "hi\n"
    with pytest.raises(ValueError, match="answer"):
        gen.run_problem("import nernst\nx = 1\n")


@pytest.fixture(scope="module")
def generated(tmp_path_factory):
    out = tmp_path_factory.mktemp("generated")
    paths = gen.generate(out_dir=out)
    return {p.name: p.read_text(encoding="utf-8") for p in paths}


def test_generate_writes_both_files(generated):
    assert set(generated) == {"problems.rst", "validation.rst"}


def test_problems_page_has_every_problem(generated):
    text = generated["problems.rst"]
    for n, p in enumerate(PROBLEMS, 1):
        assert f".. _problem-{p.id}:" in text
        assert f"{n}. {p.title}" in text
        for line in p.code.strip().splitlines():  # the code is shown, line by line
            assert "   " + line in text
    assert text.count("**Published answer:**") == len(PROBLEMS)
    assert text.count("**Source:**") == len(PROBLEMS)
    assert text.count("answer = ") >= 2 * len(PROBLEMS)  # in the code and in the output


def test_validation_page_has_every_row(generated):
    text = generated["validation.rst"]
    rows = gen.validation_rows()
    assert len(rows) >= 25
    assert len(rows) >= len(PROBLEMS) + 25  # the problems plus the registry
    # header row plus one list-table row per check, numbered in order
    numbers = re.findall(r"^   \* - (\S+)$", text, flags=re.M)
    assert numbers == ["#"] + [str(n) for n in range(1, len(rows) + 1)]
    for row in rows:
        assert row.quantity in text
    assert "**NO**" not in text
    assert f"{len(rows)} of {len(rows)} values agree" in text


def test_every_validation_row_is_within_its_tolerance():
    failures = []
    for row in gen.validation_rows():
        value = float(row.compute())
        if not abs(value - row.published) <= row.tolerance:
            failures.append((row.source, row.quantity, row.published, value))
    assert not failures


def test_validation_rows_cover_the_test_suite_sources():
    sources = " ".join(r.source for r in gen.validation_rows())
    for cited in (
        "Seed chapter",
        "Hille",
        "NEURON",
        "Lehninger",
        "Ng & Barry",
        "Harper",
        "Taiz & Zeiger",
        "Kielland",
        "Robinson & Stokes",
        "Malmberg",
        "Nicholls & Ferguson",
    ):
        assert cited in sources, cited


def test_generate_is_idempotent_and_defaults_to_docs_generated(tmp_path, monkeypatch):
    first = gen.generate(out_dir=tmp_path)
    stamp = [p.stat().st_mtime_ns for p in first]
    again = gen.generate(out_dir=tmp_path)  # unchanged content is not rewritten
    assert [p.stat().st_mtime_ns for p in again] == stamp

    class App:  # what Sphinx passes to builder-inited
        srcdir = str(tmp_path / "src")

    paths = gen.generate(App())
    assert all(p.parent == tmp_path / "src" / "generated" and p.exists() for p in paths)


def test_script_runs_without_sphinx(tmp_path):
    done = subprocess.run(
        [sys.executable, str(DOCS / "_generate.py"), str(tmp_path)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "problems.rst").exists()
    assert (tmp_path / "validation.rst").exists()
