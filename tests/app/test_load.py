"""A classroom on one server: 50 simulated students against ``nernst app --workers 2``.

Each student is a thread with its own keep-alive connection to gunicorn on 127.0.0.1 (never
another host). It loads the page's layout once, then changes values the way the page does:
it posts the same JSON the browser posts to Dash's ``/_dash-update-component`` for the GHK
tab and the Nernst tab, with its own concentrations and permeabilities. Every answer must be
HTTP 200 and carry the library's number for that student's values. The run is bounded (a
fixed number of requests, a deadline); p50/p95/max latency and the throughput are printed in
the terminal summary.
"""

from __future__ import annotations

import http.client
import json
import random
import statistics
import threading
import time
from typing import Any
from urllib.parse import urlsplit

import nernst
from nernst.app import ghk_tab

STUDENTS = 50
CHANGES_PER_STUDENT = 8
DEADLINE = 120.0  # [s] for the whole class; the run takes a few seconds

GHK_OUTPUTS = list(ghk_tab.OUTPUT_TARGETS)
NERNST_OUTPUTS = [
    ("nernst-E", "children"),
    ("nernst-error", "children"),
    ("nernst-explain", "children"),
    ("nernst-plot-data", "data"),
    ("nernst-state", "data"),
    ("nernst-warning", "children"),
]


def _output_key(outputs: list[tuple[str, str]]) -> str:
    return "".join(f"..{i}.{p}." for i, p in outputs) + "."


def ghk_body(rows: list[tuple[str, float, float, float]], changed: str) -> dict[str, Any]:
    """What the browser posts when a GHK row input changes (captured from Chromium)."""

    def group(kind: str, index: int) -> list[dict[str, Any]]:
        return [
            {"id": {"ion": r[0], "type": f"ghk-{kind}"}, "property": "value", "value": r[index]}
            for r in rows
        ]

    return {
        "output": _output_key(GHK_OUTPUTS),
        "outputs": [{"id": i, "property": p} for i, p in GHK_OUTPUTS],
        "inputs": [
            group("cin", 1),
            group("cout", 2),
            group("p", 3),
            {"id": "ghk-celsius", "property": "value", "value": 37},
            {"id": "ghk-vm", "property": "value", "value": None},
            {"id": "ghk-pabs", "property": "value", "value": 1e-06},
            {"id": "ghk-sweep", "property": "value", "value": "Na+"},
            {
                "id": "ghk-meta",
                "property": "data",
                "value": {"title": "Mammalian neuron", "preset": "mammalian-neuron"},
            },
        ],
        "changedPropIds": [
            json.dumps({"ion": changed, "type": "ghk-cout"}, separators=(",", ":")) + ".value"
        ],
        "state": [
            [
                {
                    "id": {"ion": r[0], "type": "ghk-cin"},
                    "property": "id",
                    "value": {"type": "ghk-cin", "ion": r[0]},
                }
                for r in rows
            ]
        ],
    }


def nernst_body(ion: str, c_in: float, c_out: float) -> dict[str, Any]:
    """What the browser posts when the Nernst tab's outside concentration changes."""
    values = [
        ("nernst-ion", ion),
        ("nernst-cin", c_in),
        ("nernst-cout", c_out),
        ("nernst-celsius", 37),
        ("nernst-activity", []),
        ("nernst-gamma-in", 1),
        ("nernst-gamma-out", 1),
    ]
    return {
        "output": _output_key(NERNST_OUTPUTS),
        "outputs": [{"id": i, "property": p} for i, p in NERNST_OUTPUTS],
        "inputs": [{"id": i, "property": "value", "value": v} for i, v in values],
        "changedPropIds": ["nernst-cout.value"],
    }


def data_value(node: Any) -> float | None:
    """The ``data-value`` number inside a component in Dash's JSON answer."""
    if isinstance(node, dict):
        props = node.get("props", {})
        if "data-value" in props:
            return float(props["data-value"])
        return data_value(props.get("children"))
    if isinstance(node, list):
        for item in node:
            found = data_value(item)
            if found is not None:
                return found
    return None


def test_fifty_students_on_gunicorn(gunicorn_server, timings):
    parts = urlsplit(gunicorn_server.url)
    host, port = parts.hostname, parts.port
    assert host == "127.0.0.1"
    # `nernst app --workers 2 --json` announced itself in JSON before serving.
    announced = json.loads(gunicorn_server.log.read_text().split("\n}")[0] + "}")
    assert announced["url"] == gunicorn_server.url and announced["server"] == "gunicorn"
    start = threading.Barrier(STUDENTS + 1)
    results: list[dict[str, Any]] = []
    errors: list[str] = []
    lock = threading.Lock()

    def student(k: int) -> None:
        rng = random.Random(k)
        conn = http.client.HTTPConnection(host, port, timeout=60)
        try:
            start.wait(timeout=60)
            conn.request("GET", "/_dash-layout")
            layout = conn.getresponse()
            layout.read()
            if layout.status != 200:
                raise RuntimeError(f"GET /_dash-layout -> {layout.status}")
            for i in range(CHANGES_PER_STUDENT):
                if i % 2 == 0:
                    rows = [
                        ("K+", 140.0, round(rng.uniform(2, 40), 2), 1.0),
                        ("Na+", 10.0, 145.0, round(rng.uniform(0.01, 0.2), 3)),
                        ("Cl-", 10.0, 110.0, 0.45),
                        ("Ca2+", 1e-4, 2.0, rng.choice([0.0, 0.01])),
                    ]
                    kind, body, target = "ghk", ghk_body(rows, "K+"), "ghk-vrest"
                else:
                    ion = rng.choice(["K+", "Na+", "Cl-", "Ca2+"])
                    c_in, c_out = round(rng.uniform(1, 150), 3), round(rng.uniform(1, 150), 3)
                    rows = [(ion, c_in, c_out, 0.0)]
                    kind, body, target = "nernst", nernst_body(ion, c_in, c_out), "nernst-E"
                payload = json.dumps(body)
                t0 = time.perf_counter()
                conn.request(
                    "POST",
                    "/_dash-update-component",
                    body=payload,
                    headers={"Content-Type": "application/json"},
                )
                response = conn.getresponse()
                raw = response.read()
                latency = time.perf_counter() - t0
                if response.status != 200:
                    raise RuntimeError(f"{kind} callback -> HTTP {response.status}")
                shown = data_value(json.loads(raw)["response"][target]["children"])
                with lock:
                    results.append({"kind": kind, "rows": rows, "value": shown, "s": latency})
        except Exception as err:  # every failure is reported below
            with lock:
                errors.append(f"student {k}: {err!r}")
        finally:
            conn.close()

    threads = [threading.Thread(target=student, args=(k,), daemon=True) for k in range(STUDENTS)]
    for t in threads:
        t.start()
    start.wait(timeout=60)
    began = time.perf_counter()
    for t in threads:
        t.join(timeout=max(0.0, DEADLINE - (time.perf_counter() - began)))
    elapsed = time.perf_counter() - began
    assert not any(t.is_alive() for t in threads), f"the class did not finish in {DEADLINE} s"
    assert errors == []
    assert len(results) == STUDENTS * CHANGES_PER_STUDENT

    # Every number the server sent is the library's for that student's values.
    for r in results:
        if r["kind"] == "ghk":
            rows = r["rows"]
            expected = nernst.ghk_voltage(
                {x[0]: x[3] for x in rows},
                c_in={x[0]: x[1] for x in rows},
                c_out={x[0]: x[2] for x in rows},
            )
        else:
            ((ion, c_in, c_out, _),) = r["rows"]
            expected = nernst.equilibrium_potential(ion, c_in=c_in, c_out=c_out)
        assert r["value"] == expected

    latencies = sorted(r["s"] for r in results)
    p95 = latencies[int(0.95 * (len(latencies) - 1))]
    timings["load test"] = (
        f"{STUDENTS} students x {CHANGES_PER_STUDENT} changes on gunicorn (2 workers x 4 "
        f"threads): {len(results)} callbacks, 0 errors, in {elapsed:.1f} s "
        f"({len(results) / elapsed:.0f}/s); latency p50 "
        f"{1e3 * statistics.median(latencies):.0f} ms, p95 {1e3 * p95:.0f} ms, "
        f"max {1e3 * latencies[-1]:.0f} ms"
    )
