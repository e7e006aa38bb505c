"""Hostile and careless input to the web app: every answer is a clear message, never a 500.

A catalogue, one row per input: hand-crafted callback POSTs (malformed stores, ids of the
wrong type, deep JSON), bad values reaching the callbacks, and TOML uploads (size, nesting,
encodings, wrong types, duplicate ions also through aliases, unknown keys). Each row asserts
the outcome class (HTTP 4xx, inline message, or accepted) and that the message names the
culprit. The security headers are checked on the WSGI app and on the running server.
"""

from __future__ import annotations

import base64
import copy
import json
import urllib.request
from typing import Any

import pytest

import nernst
from nernst.app import create_app, ghk_tab, nernst_tab
from nernst.app.scenario import MAX_UPLOAD_BYTES, cell_from_toml_text, decode_upload


@pytest.fixture(scope="module")
def client() -> Any:
    return create_app().test_client()


def ghk_body(rows: list[tuple[str, Any, Any, Any]], **values: Any) -> dict[str, Any]:
    """The request the browser sends for the GHK tab's main callback."""

    def group(kind: str, key: int) -> list[dict[str, Any]]:
        return [
            {"id": {"ion": r[0], "type": f"ghk-{kind}"}, "property": "value", "value": r[key]}
            for r in rows
        ]

    outputs = list(ghk_tab.OUTPUT_TARGETS)
    return {
        "output": "".join(f"..{i}.{p}." for i, p in outputs) + ".",
        "outputs": [{"id": i, "property": p} for i, p in outputs],
        "inputs": [
            group("cin", 1),
            group("cout", 2),
            group("p", 3),
            {"id": "ghk-celsius", "property": "value", "value": values.get("celsius", 37)},
            {"id": "ghk-vm", "property": "value", "value": values.get("v_m")},
            {"id": "ghk-pabs", "property": "value", "value": values.get("p_abs", 1e-6)},
            {"id": "ghk-sweep", "property": "value", "value": values.get("sweep", "Na+")},
            {"id": "ghk-meta", "property": "data", "value": values.get("meta", {"title": "t"})},
        ],
        "changedPropIds": ["ghk-celsius.value"],
        "state": [
            [
                {
                    "id": {"ion": r[0], "type": "ghk-cin"},
                    "property": "id",
                    "value": values.get("ids", {"type": "ghk-cin", "ion": r[0]}),
                }
                for r in rows
            ]
        ],
    }


NEURON_ROWS = [("K+", 140, 5, 1), ("Na+", 10, 145, 0.04), ("Cl-", 10, 110, 0.45)]


def _mutate(path: list[Any], value: Any) -> dict[str, Any]:
    body = copy.deepcopy(ghk_body(NEURON_ROWS))
    target: Any = body
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = value
    return body


# (name, request body (bytes or JSON-able), content type)
MALFORMED_POSTS = [
    ("not JSON", b"{not json", "application/json"),
    ("JSON list", b"[1, 2, 3]", "application/json"),
    ("JSON string", b'"hello"', "application/json"),
    ("empty object", b"{}", "application/json"),
    ("deep JSON", b"[" * 200_000 + b"]" * 200_000, "application/json"),
    ("unknown output", json.dumps({**ghk_body(NEURON_ROWS), "output": "nope.children"}), None),
    ("outputs not a list", json.dumps(_mutate(["outputs"], "x")), None),
    ("inputs not a list", json.dumps(_mutate(["inputs"], {"a": 1})), None),
    ("row id a number", json.dumps(_mutate(["state", 0, 0, "value"], 42)), None),
    ("row id a list", json.dumps(_mutate(["state", 0, 0, "value"], [1, 2])), None),
    ("meta a string", json.dumps(_mutate(["inputs", 7, "value"], "x" * 50)), None),
    ("meta a deep list", json.dumps(_mutate(["inputs", 7, "value"], [[[[[]]]]])), None),
    ("value group a dict", json.dumps(_mutate(["inputs", 0], {"id": "x", "value": 1})), None),
    (
        "state missing",
        json.dumps({k: v for k, v in ghk_body(NEURON_ROWS).items() if k != "state"}),
        None,
    ),
    (
        "unknown ion id",
        json.dumps(_mutate(["state", 0, 0, "value"], {"ion": "Xx", "type": "t"})),
        None,
    ),
]

#: Well-formed requests with a bad field: the callback answers (200) with an inline message.
INLINE = {"row id a number", "row id a list", "meta a string", "meta a deep list", "unknown ion id"}


@pytest.mark.parametrize(
    ("name", "body", "kind"), MALFORMED_POSTS, ids=[m[0] for m in MALFORMED_POSTS]
)
def test_malformed_callback_posts_get_a_4xx_or_an_inline_answer(client, name, body, kind):
    data = body if isinstance(body, bytes) else body.encode()
    answer = client.post(
        "/_dash-update-component", data=data, content_type=kind or "application/json"
    )
    assert answer.status_code < 500, (name, answer.status_code, answer.get_data()[:300])
    if name in INLINE:
        assert answer.status_code == 200, (name, answer.get_data()[:300])
        error = answer.get_json()["response"]["ghk-error"]["children"]
        assert "reload the page" in error or error == "", (name, error)
    else:
        assert answer.status_code >= 400, name
    if answer.status_code >= 400:
        assert answer.status_code in (400, 413, 415, 422), name
        text = answer.get_data(as_text=True)
        assert "Traceback" not in text and len(text) < 2000


# Values a careless or hostile client can send to the GHK callback: each gives the inline
# message, never an exception.
GHK_VALUES = [
    ("c_in a dict", [("K+", {"a": 1}, 5, 1)], {}, "K+ inside must be a number"),
    ("c_in a list", [("K+", [140], 5, 1)], {}, "K+ inside must be a number"),
    ("c_in true", [("K+", True, 5, 1)], {}, "Enter a number for K+ inside"),
    ("c_in huge text", [("K+", "9" * 5000, 5, 1)], {}, "K+ inside must be a number"),
    ("c_in inf text", [("K+", "inf", 5, 1)], {}, "K+ inside must be a number"),
    ("P negative", [("K+", 140, 5, -1)], {}, "K+ permeability must be 0 or more"),
    ("T a dict", NEURON_ROWS, {"celsius": {"x": 1}}, "temperature must be a number"),
    ("T kelvin", NEURON_ROWS, {"celsius": 310.15}, "type 37.00 °C"),
    ("vm text", NEURON_ROWS, {"v_m": "abc"}, "measured V_m must be a number"),
    ("vm huge", NEURON_ROWS, {"v_m": 1e6}, ""),  # a warning, not an error
    ("p_abs text", NEURON_ROWS, {"p_abs": "x"}, "permeability of relative 1"),
]


@pytest.mark.parametrize(
    ("name", "rows", "extra", "message"), GHK_VALUES, ids=[g[0] for g in GHK_VALUES]
)
def test_ghk_callback_values_get_an_inline_message(client, name, rows, extra, message):
    answer = client.post("/_dash-update-component", json=ghk_body(rows, **extra))
    assert answer.status_code == 200, answer.get_data()[:300]
    response = answer.get_json()["response"]
    error = response["ghk-error"]["children"]
    assert (message in error) if message else error == "", error
    if name == "vm huge":
        assert "300 mV" in json.dumps(response["ghk-warning"]["children"])


NERNST_VALUES = [
    (("K+", {"x": 1}, 5, 37, [], 1, 1), "inside concentration must be a number"),
    (("K+", 140, 5, 37, "on", 1, 1), ""),  # activity not a list: treated as off
    ((["K+"], 140, 5, 37, [], 1, 1), "Unknown ion"),
    (("K+" * 500, 140, 5, 37, [], 1, 1), "Unknown ion"),
    (("K+", 140, 1e-30, 37, [], 1, 1), ""),
]


@pytest.mark.parametrize(("args", "message"), NERNST_VALUES)
def test_nernst_callback_values_get_an_inline_message(args, message):
    out = dict(zip(nernst_tab.OUTPUTS, nernst_tab.compute_nernst(*args), strict=True))
    assert (message in out["error"]) if message else out["error"] == "", out["error"]


# -- TOML uploads -------------------------------------------------------------------------------
GOOD = (
    '[inside]\n"K+" = 140\n"Na+" = 10\n[outside]\n"K+" = 5\n"Na+" = 145\n'
    '[permeability]\n"K+" = 1\n"Na+" = 0.04\n'
)

TOML_CASES = [
    ("good", GOOD, None),
    ("good with BOM", "\ufeff" + GOOD, None),
    ("boolean concentration", GOOD.replace('"K+" = 140', '"K+" = true'), "not the boolean true"),
    ("string concentration", GOOD.replace('"K+" = 140', '"K+" = "abc"'), "not the text 'abc'"),
    ("date temperature", "celsius = 1979-05-27\n" + GOOD, "celsius must be a number"),
    ("string temperature", 'celsius = "37"\n' + GOOD, "celsius must be a number"),
    ("boolean temperature", "celsius = true\n" + GOOD, "not the boolean true"),
    ("string v_measured", 'v_measured_mV = "abc"\n' + GOOD, "v_measured_mV must be a number"),
    ("table as concentration", GOOD.replace('"K+" = 140', '"K+" = {a = 1}'), "not a table"),
    (
        "duplicate through alias",
        GOOD.replace('"Na+" = 10\n', '"Na+" = 10\n"potassium" = 3\n'),
        "lists K+ twice",
    ),
    ("duplicate K and K+", GOOD.replace('"Na+" = 10\n', '"Na+" = 10\n"K" = 3\n'), "twice"),
    ("unknown key", "celcius = 37\n" + GOOD, "did you mean 'celsius'"),
    ("title a number", "title = 5\n" + GOOD, "title must be text"),
    ("deep nesting", "x = " + "[" * 3000 + "]" * 3000 + "\n" + GOOD, "nested"),
    ("deep tables", "[a.b.c.d.e.f]\nx = 1\n" + GOOD, "levels deep"),
    ("not TOML", "[inside\n", "not valid TOML"),
    ("negative concentration", GOOD.replace('"K+" = 140', '"K+" = -1'), "K+"),
]


@pytest.mark.parametrize(("name", "text", "message"), TOML_CASES, ids=[t[0] for t in TOML_CASES])
def test_toml_upload_catalogue(name, text, message):
    if message is None:
        cell = cell_from_toml_text(text, filename="cell.toml")
        assert cell.inside == {"K+": 140.0, "Na+": 10.0}
        return
    with pytest.raises(ValueError) as err:
        cell_from_toml_text(text, filename="cell.toml")
    assert message in str(err.value) and "cell.toml" in str(err.value)


def data_url(raw: bytes) -> str:
    return "data:application/octet-stream;base64," + base64.b64encode(raw).decode()


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        (GOOD.encode("utf-8"), None),
        (b"\xef\xbb\xbf" + GOOD.encode("utf-8"), None),
        (GOOD.replace("K+", "K+ é").encode("latin-1"), "not UTF-8"),
        (GOOD.encode("utf-16"), "not UTF-8"),
        (b"#" * (MAX_UPLOAD_BYTES + 10), "larger than 64 kB"),
    ],
)
def test_upload_bytes_size_and_encoding(raw, message):
    if message is None:
        assert "[inside]" in decode_upload(data_url(raw), "cell.toml")
        return
    with pytest.raises(ValueError, match=message):
        decode_upload(data_url(raw), "cell.toml")


# -- headers --------------------------------------------------------------------------------------
def test_security_headers_on_the_wsgi_app(client):
    page = client.get("/")
    csp = page.headers["Content-Security-Policy"]
    assert "default-src 'self'" in csp and "object-src 'none'" in csp
    script = next(d for d in csp.split("; ") if d.startswith("script-src"))
    assert "'unsafe-inline'" not in script and "'unsafe-eval'" not in script
    assert "''" not in csp  # hashes quoted once
    assert "camera=()" in page.headers["Permissions-Policy"]
    assert "Werkzeug" not in page.headers.get("Server", "")


def test_running_server_sends_no_version_banner(app_server):
    with urllib.request.urlopen(app_server.url, timeout=10) as answer:
        server = answer.headers.get("Server", "")
        assert "Werkzeug" not in server and "Python" not in server, server
        assert "Content-Security-Policy" in answer.headers


def test_the_page_works_under_its_csp(app_server, page):
    """Chromium enforces the policy: no violation is reported and every tab computes."""
    violations: list[str] = []
    page.on(
        "console",
        lambda m: violations.append(m.text) if "Content Security Policy" in m.text else None,
    )
    page.goto(app_server.url)
    page.wait_for_selector("#nernst-E [data-value]")
    page.wait_for_selector("#nernst-equation mjx-container")
    page.goto(app_server.url + "?tab=ghk")
    page.wait_for_selector("#ghk-vrest [data-value]")
    page.wait_for_selector("#ghk-axis .js-plotly-plot .main-svg")
    assert violations == []
    V = float(page.locator("#ghk-vrest [data-value]").get_attribute("data-value"))
    neuron = nernst.Cell.preset("mammalian-neuron")
    assert V == neuron.resting_potential()
