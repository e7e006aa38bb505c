"""Start-up shortcuts of the ``nernst`` entry point (issue 13) change nothing a user sees.

``nernst.cli.main`` builds only the invoked command and coerces plain str/int/float/bool
values itself instead of through Typer's pydantic TypeAdapters. The independent baseline for
every command line below is Typer's own path: the whole app built by
``typer.main.get_command`` with Typer's coercion (what ``main`` did before), run through the
same ``main`` so the error wording is the same code. Output, error line and exit status must
be identical.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
import typer

import nernst.cli as cli

SRC = Path(cli.__file__).resolve().parents[1]

LINES = [
    [],
    ["--help"],
    ["--version"],
    ["cell"],
    ["cell", "--help"],
    ["cell", "squid-axon", "--json"],
    ["cell", "frog-muscle", "--wide"],
    ["cell", "no-such-cell"],
    ["--debug", "presets"],
    ["potential", "K+", "--in", "140", "--out", "5"],
    ["potential", "K+", "--in", "1.4e2", "--out", "5.0", "-t", "20"],
    ["potential", "K+", "--in", "+140", "--out", ".5", "--json"],
    ["potential", "Ca2+", "--in", "1e-4", "--out", "2", "--explain"],
    ["potential", "K+", "--in", "1_40", "--out", "5"],  # pydantic's spelling rules
    ["potential", "K+", "--in", "inf", "--out", "5"],
    ["potential", "K+", "--in", "abc", "--out", "5"],
    ["potential", "K+", "--in", " 140", "--out", "5"],
    ["potential", "K+", "--in", "0x10", "--out", "5"],
    ["potential", "K+", "--in", "-5", "--out", "5"],
    ["potential", "K+"],
    ["potential", "2", "--in", "1", "--out", "2"],
    ["ghk", "--in", "K+=140,Na+=10,Cl-=10", "--out", "K+=5,Na+=145,Cl-=110",
     "--perm", "K+=1,Na+=0.04,Cl-=0.45"],
    ["ljp", "k-gluconate-internal", "acsf"],
    ["nosuchcommand"],
    ["cel"],
]  # fmt: skip


def run_main(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    with pytest.raises(SystemExit) as done:
        cli.main(list(args))
    out, err = capsys.readouterr()
    code = done.value.code
    return (code if isinstance(code, int) else 0), out, err


@pytest.mark.parametrize("args", LINES, ids=lambda a: " ".join(a) or "(none)")
def test_fast_entry_point_answers_as_typers_own_path(args, capsys, monkeypatch):
    monkeypatch.setenv("COLUMNS", "100")
    fast = run_main(args, capsys)
    monkeypatch.setattr(cli, "_click_command", lambda _args: typer.main.get_command(cli.app))
    typer_path = run_main(args, capsys)
    assert fast == typer_path


def test_invoked_command_is_read_past_root_flags():
    assert cli._invoked_command(["cell", "x.toml"]) == "cell"
    assert cli._invoked_command(["--debug", "ljp", "a", "b"]) == "ljp"
    assert cli._invoked_command(["--help"]) is None
    assert cli._invoked_command(["--version", "cell"]) is None
    assert cli._invoked_command([]) is None


def _modules_after(args: list[str]) -> set[str]:
    code = (
        "import sys\nfrom nernst.cli import main\ntry:\n    main(sys.argv[1:])\n"
        "except SystemExit:\n    pass\nprint(' '.join(sorted(sys.modules)))"
    )
    env = dict(os.environ, PYTHONPATH=os.pathsep.join([str(SRC), os.environ.get("PYTHONPATH", "")]))
    done = subprocess.run(
        [sys.executable, "-c", code, *args], capture_output=True, text=True, env=env, check=True
    )
    return set(done.stdout.split()[-1000:]) if done.stdout else set()


def test_cell_and_potential_import_neither_pydantic_nor_the_explanations():
    cell = _modules_after(["cell"])
    assert "nernst.cell" in cell  # the command ran
    assert not {m for m in cell if m.split(".")[0] == "pydantic"}
    potential = _modules_after(["potential", "K+", "--in", "140", "--out", "5"])
    assert "nernst.nernst" in potential
    assert "nernst.explain" not in potential
    assert "nernst.explain" in _modules_after(
        ["potential", "K+", "--in", "140", "--out", "5", "--explain"]
    )


# ------------------------------------------------------------------ data loading (first preset)
def test_data_snapshot_holds_exactly_what_tomllib_reads(tmp_path, monkeypatch):
    # The snapshot beside the bytecode must give what tomllib gives for the shipped file
    # (the independent baseline), be ignored when it holds another text or is damaged, and
    # follow the bytecode policy (none written under PYTHONDONTWRITEBYTECODE).
    import marshal
    import tomllib
    from importlib import resources

    from nernst.data import _snapshot_path, load_toml

    text = resources.files("nernst.data").joinpath("ions.toml").read_text(encoding="utf-8")
    expected = tomllib.loads(text)
    monkeypatch.setattr(sys, "pycache_prefix", str(tmp_path))
    monkeypatch.setattr(sys, "dont_write_bytecode", True)
    assert load_toml("ions.toml") == expected
    assert not list(tmp_path.rglob("*.marshal"))
    monkeypatch.setattr(sys, "dont_write_bytecode", False)
    first = load_toml("ions.toml")
    (snapshot,) = tmp_path.rglob("ions.toml.*.marshal")
    assert snapshot == _snapshot_path(Path(str(resources.files("nernst.data") / "ions.toml")))
    assert first == expected
    first["ion"].clear()  # a caller changing its copy changes nothing stored
    assert load_toml("ions.toml") == expected
    snapshot.write_bytes(marshal.dumps(("another text", {"ion": []})))  # stale
    assert load_toml("ions.toml") == expected
    snapshot.write_bytes(b"\x00not marshal")  # damaged
    assert load_toml("ions.toml") == expected
    assert not list(tmp_path.rglob("*.tmp"))


def test_preset_cells_do_not_share_the_parsed_tables():
    # Hodgkin's squid axon: 400 mM K+ inside (the preset's documented value).
    import nernst

    cell = nernst.Cell.preset("squid-axon")
    cell.c_in["K+"] = 1.0
    cell.c_out.clear()
    nernst.presets()["squid-axon"]["sources"].clear()
    again = nernst.Cell.preset("squid-axon")
    assert again.c_in["K+"] == 400.0
    assert again.c_out
    assert nernst.presets()["squid-axon"]["sources"]
