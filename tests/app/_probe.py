"""Shared helpers of the browser tests: the number behind a displayed value, and the time from
the user's event to the next frame showing a new number (measured inside the page)."""

from __future__ import annotations

from typing import Any

# Measures, inside the page, from the user's event (key, input, click) to the next frame
# after the number changed in the DOM: what a user sees, without the test driver's overhead.
PROBE_JS = """
([sel, old]) => {
    const probe = {start: null, end: null};
    window.__probe = probe;
    const mark = () => { if (probe.start === null) { probe.start = performance.now(); } };
    for (const kind of ["keydown", "input", "pointerdown", "change"]) {
        document.addEventListener(kind, mark, {capture: true, once: true});
    }
    const observer = new MutationObserver(() => {
        const e = document.querySelector(sel);
        if (e !== null && e.getAttribute("data-value") !== old) {
            observer.disconnect();
            requestAnimationFrame(() => { probe.end = performance.now(); });
        }
    });
    observer.observe(document.body, {subtree: true, childList: true, attributes: true});
}
"""


def value(page: Any, selector: str) -> float:
    """The full-precision number behind a displayed value."""
    return float(page.locator(f"{selector} [data-value]").get_attribute("data-value"))


def changed(page: Any, selector: str, action: Any, timeout: float = 30_000) -> tuple[float, float]:
    """Do ``action()``; wait until the number in ``selector`` changes: (new value, seconds
    from the key press or input event to the next frame showing the new number)."""
    target = f"{selector} [data-value]"
    old = page.locator(target).get_attribute("data-value")
    page.evaluate(PROBE_JS, [target, old])
    action()
    page.wait_for_function("() => window.__probe.end !== null", timeout=timeout)
    probe = page.evaluate("() => window.__probe")
    return value(page, selector), (probe["end"] - probe["start"]) / 1e3
