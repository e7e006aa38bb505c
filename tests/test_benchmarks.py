"""The benchmark suite (benchmarks/) keeps its interface: it is run, not asserted on for speed.

Every topic script exposes ``collect(quick: bool = False) -> list[Row]`` and runs on its own
through ``harness_main``; ``benchmarks/run.py`` knows every topic and writes JSON with the
documented keys. No timing is asserted anywhere (a shared machine makes wall-clock limits
flaky); the harness statistics are checked on synthetic inputs whose answer is known.
"""

from __future__ import annotations

import ast
import importlib.util
import json
import os
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import pytest

ROOT = Path(__file__).resolve().parents[1]
BENCH = ROOT / "benchmarks"
NOT_TOPICS = {"_harness.py", "run.py"}
TOPIC_SCRIPTS = sorted(p for p in BENCH.glob("*.py") if p.name not in NOT_TOPICS)


def _load(name: str) -> ModuleType:
    """Import ``benchmarks/<name>.py`` by path (benchmarks/ is not a package)."""
    spec = importlib.util.spec_from_file_location(f"_bench_{name}", BENCH / f"{name}.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up there
    sys.path.insert(0, str(BENCH))
    try:
        spec.loader.exec_module(module)
    finally:
        sys.path.remove(str(BENCH))
    return module


@pytest.fixture(scope="module")
def harness() -> ModuleType:
    sys.path.insert(0, str(BENCH))
    try:
        import _harness
    finally:
        sys.path.remove(str(BENCH))
    return _harness


@pytest.mark.parametrize("script", TOPIC_SCRIPTS, ids=lambda p: p.stem)
def test_topic_script_has_collect_and_harness_main(script: Path) -> None:
    tree = ast.parse(script.read_text(encoding="utf-8"))
    collects = [
        node for node in tree.body if isinstance(node, ast.FunctionDef) and node.name == "collect"
    ]
    assert collects, f"{script.name} has no top-level collect(quick) function"
    arguments = collects[0].args
    names = [a.arg for a in arguments.posonlyargs + arguments.args]
    assert names == ["quick"], f"{script.name}: collect{tuple(names)}, expected collect(quick)"
    assert len(arguments.defaults) == 1 and ast.literal_eval(arguments.defaults[0]) is False
    source = script.read_text(encoding="utf-8")
    assert "harness_main(collect, __doc__)" in source, f"{script.name} does not end in harness_main"


def test_run_knows_every_topic_script() -> None:
    run = _load("run")
    scripts = {p.stem for p in TOPIC_SCRIPTS}
    assert scripts <= set(run.TOPICS), f"not in run.TOPICS: {sorted(scripts - set(run.TOPICS))}"
    assert set(run.TOPICS) - scripts <= {"reference"}, "run.TOPICS names a missing script"


def test_no_script_shadows_an_imported_package() -> None:
    # A script's directory comes first on sys.path: benchmarks/neuron.py would hide NEURON.
    for name in ("neuron", "numpy", "scipy", "nernst", "mpmath", "pint", "dask"):
        assert not (BENCH / f"{name}.py").exists(), name


def test_paired_statistics_on_known_sleeps(harness: ModuleType) -> None:
    # Synthetic callables with a known cost: a sleep never takes less than asked, so each
    # median is at least the asked time, and a 20 ms sleep against a 1 ms one gives a median
    # per-pair ratio above 1 unless the 1 ms sleeps overran by 19 ms. Only lower bounds are
    # asserted: no timing limit.
    import time

    t = harness.paired(lambda: time.sleep(0.02), lambda: time.sleep(0.001), repeats=5)
    assert t.n == 5
    assert t.ours >= 0.02 and t.base >= 0.001
    assert t.lo <= t.ratio <= t.hi
    assert t.ratio > 1.0


def test_summary_is_median_of_per_pair_ratios(harness: ModuleType) -> None:
    # Known inputs: ours = 2, 4, 6, 8, 100 and base = 1, 1, 2, 2, 10 (s). Per-pair ratios
    # 2, 4, 3, 4, 10 -> median 4, min 2, max 10; medians of the times 6 and 2.
    t = harness._summary([2.0, 4.0, 6.0, 8.0, 100.0], [1.0, 1.0, 2.0, 2.0, 10.0])
    assert (t.ours, t.base, t.ratio, t.lo, t.hi, t.n) == (6.0, 2.0, 4.0, 2.0, 10.0, 5)


def test_row_status(harness: ModuleType) -> None:
    t = harness._summary([2.0] * 5, [1.0] * 5)
    assert harness.timed_row("x", "y", t, "b", 3.0).status == "PASS"
    assert harness.timed_row("x", "y", t, "b", 1.5).status == "MISS"
    assert harness.timed_row("x", "y", t, "b", None).status == "info"
    assert harness.info_row("x", "y", "1 mV", "<= 2 mV", False).status == "MISS"


def test_peak_bytes_sees_a_numpy_allocation(harness: ModuleType) -> None:
    import numpy as np

    peak, out = harness.peak_bytes(lambda: np.ones(1_000_000))
    assert out.nbytes == 8_000_000
    assert peak >= out.nbytes


def test_rst_table_escapes_markup() -> None:
    run = _load("run")
    sys.path.insert(0, str(BENCH))
    try:
        from _harness import info_row
    finally:
        sys.path.remove(str(BENCH))
    text = run.rst_table([info_row("t_x", "|a - b| max", "1e-13 mV", "<= 1e-9 mV", True)])
    assert "\\|a - b\\| max" in text and "t\\_x" in text


def test_only_selects_in_run_order_with_the_neuron_alias() -> None:
    run = _load("run")
    assert run.select("reference,neuron,core") == ["core", "vs_neuron", "reference"]
    assert run.select(None) == list(run.TOPICS)
    with pytest.raises(SystemExit, match="unknown topic nope"):
        run.select("core,nope")


def test_a_failing_topic_is_one_miss_row_and_a_legacy_script_is_run(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    run = _load("run")
    (tmp_path / "boom_topic.py").write_text(
        "def collect(quick=False):\n    raise RuntimeError('boom')\n", encoding="utf-8"
    )
    (tmp_path / "old_topic.py").write_text(
        "import sys\nprint('old table', sys.argv[1:])\n# accepts \"--quick\"\n",
        encoding="utf-8",
    )
    monkeypatch.setattr(run, "HERE", tmp_path)
    monkeypatch.syspath_prepend(str(tmp_path))
    failed = run.run_topic("boom_topic", True, 60.0)
    assert failed.mode == "error" and "RuntimeError: boom" in failed.error
    assert [r.status for r in failed.rows] == ["MISS"]
    legacy = run.run_topic("old_topic", True, 60.0)
    assert legacy.mode == "legacy" and "old table ['--quick']" in legacy.output
    assert [r.status for r in legacy.rows] == ["info"]
    missing = run.run_topic("no_such_topic", True, 60.0)
    assert missing.mode == "missing"


@pytest.mark.slow
def test_run_quick_only_writes_json_markdown_rst(tmp_path: Path) -> None:
    out = {ext: tmp_path / f"r.{ext}" for ext in ("json", "md", "rst")}
    env = os.environ | {"PYTHONPATH": os.pathsep.join([str(ROOT / "src"), *sys.path])}
    done = subprocess.run(
        [
            sys.executable, str(BENCH / "run.py"), "--quick", "--only", "neuron",
            "--json", str(out["json"]), "--markdown", str(out["md"]), "--rst", str(out["rst"]),
        ],
        capture_output=True, text=True, timeout=300, env=env, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr[-3000:]
    assert "=== vs_neuron" in done.stdout and "ERROR" not in done.stdout, done.stdout[-3000:]
    data = json.loads(out["json"].read_text(encoding="utf-8"))
    assert {"machine", "quick", "date", "total_seconds", "topics", "rows"} <= set(data)
    assert data["quick"] is True
    assert {"cpu", "cores", "python", "numpy", "scipy"} <= set(data["machine"])
    assert list(data["topics"]) == ["vs_neuron"]
    assert data["topics"]["vs_neuron"]["mode"] == "collect"
    assert data["rows"], "no rows"
    keys = {"topic", "name", "ours", "base", "baseline", "ratio", "lo", "hi", "limit", "status"}
    for row in data["rows"]:
        assert keys <= set(row)
        assert row["topic"] == "vs_neuron"
        assert row["status"] in {"PASS", "MISS", "info"}
    assert out["md"].read_text(encoding="utf-8").count("| vs_neuron |") == len(data["rows"])
    assert out["rst"].read_text(encoding="utf-8").startswith("Measured ")
