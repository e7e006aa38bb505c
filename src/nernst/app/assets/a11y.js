/* nernst web simulator: keyboard and screen-reader repairs for Dash's own components.
 *
 * Dash renders some components without accessible names or with roles that nest interactive
 * elements. This script, served from the app's assets folder (no external resource), watches
 * the page and fixes them as they appear:
 *   - tabs: role=tablist/tab, one tab in the focus order, arrow keys / Home / End switch tabs;
 *   - sliders inside an element with data-a11y-label get that label, and aria-valuetext in
 *     the unit of data-a11y-unit (data-a11y-log="1": the slider value is log10 of it), or the
 *     text of the element named by data-a11y-valuetext;
 *   - checklists and radio groups: role=group/radiogroup named by data-a11y-label, and their
 *     options lose role=option (a label holding an input is already interactive);
 *   - dropdowns: the element that takes the keyboard focus is announced as a combobox with the
 *     field's label and current value (Dash marks it aria-hidden);
 *   - file inputs inside an element with data-a11y-label get that label.
 */
(function () {
    "use strict";

    function setAttr(el, name, value) {
        if (value === null) {
            if (el.hasAttribute(name)) { el.removeAttribute(name); }
        } else if (el.getAttribute(name) !== value) {
            el.setAttribute(name, value);
        }
    }

    function sig(x) {
        return String(Number(x.toPrecision(4)));
    }

    function fixTabs() {
        document.querySelectorAll(".tab-container").forEach(function (list) {
            setAttr(list, "role", "tablist");
            list.querySelectorAll(":scope > .tab").forEach(function (tab) {
                var selected = tab.classList.contains("tab--selected");
                setAttr(tab, "role", "tab");
                setAttr(tab, "aria-selected", selected ? "true" : "false");
                setAttr(tab, "tabindex", selected ? "0" : "-1");
                if (!tab.dataset.a11yKeys) {
                    tab.dataset.a11yKeys = "1";
                    tab.addEventListener("keydown", onTabKey);
                }
            });
        });
    }

    function onTabKey(event) {
        var tab = event.currentTarget;
        var tabs = Array.prototype.slice.call(tab.parentElement.querySelectorAll(":scope > .tab"));
        var i = tabs.indexOf(tab);
        var next = null;
        if (event.key === "ArrowRight" || event.key === "ArrowDown") {
            next = tabs[(i + 1) % tabs.length];
        } else if (event.key === "ArrowLeft" || event.key === "ArrowUp") {
            next = tabs[(i - 1 + tabs.length) % tabs.length];
        } else if (event.key === "Home") {
            next = tabs[0];
        } else if (event.key === "End") {
            next = tabs[tabs.length - 1];
        } else if (event.key === "Enter" || event.key === " ") {
            next = tab;
        }
        if (next) {
            event.preventDefault();
            next.click();
            next.focus();
        }
    }

    // The name of a control: the data-a11y-label of a box around it, else the <label> of
    // the nearest element with an id (or of that id without "-slider": a slider beside its
    // typed input shares the input's label).
    function nameOf(el) {
        var box = el.closest("[data-a11y-label]");
        if (box) { return box.getAttribute("data-a11y-label"); }
        var owner = el.closest("[id]");
        while (owner) {
            var ids = [owner.id, owner.id.replace(/-slider$/, "")];
            for (var k = 0; k < ids.length; k++) {
                var tag = document.querySelector("label[for='" + ids[k] + "']");
                if (tag && tag.innerText.trim()) { return tag.innerText.trim(); }
            }
            owner = owner.parentElement ? owner.parentElement.closest("[id]") : null;
        }
        return null;
    }

    function fixLabelled() {
        document.querySelectorAll("[role=slider]").forEach(function (thumb) {
            var label = nameOf(thumb);
            // A name the tab gave the thumb itself wins (it may say more, e.g. the scale).
            var own = thumb.getAttribute("aria-label");
            if (label && (!own || own === thumb.getAttribute("data-a11y-named"))) {
                setAttr(thumb, "aria-label", label);
                setAttr(thumb, "data-a11y-named", label);
            }
            var box = thumb.closest("[data-a11y-unit], [data-a11y-valuetext]");
            if (!box) { return; }
            var now = parseFloat(thumb.getAttribute("aria-valuenow"));
            var unit = box.getAttribute("data-a11y-unit");
            var from = box.getAttribute("data-a11y-valuetext");
            var text = null;
            if (from) {
                var source = document.querySelector(from);
                text = source ? source.innerText.trim() : null;
            } else if (isFinite(now) && unit) {
                var shown = box.getAttribute("data-a11y-log") === "1" ? Math.pow(10, now) : now;
                text = sig(shown) + " " + unit;
            }
            if (text) { setAttr(thumb, "aria-valuetext", text); }
        });
        document.querySelectorAll(".dash-checklist, .dash-radioitems, [role=listbox], " +
                                  "[role=group], [role=radiogroup]").forEach(function (group) {
            if (group.closest(".dash-dropdown-wrapper, [role=dialog], .dash-dropdown-content")) {
                return;
            }
            if (!group.querySelector("input[type=radio], input[type=checkbox]")) { return; }
            var radio = group.querySelector("input[type=radio]") !== null;
            setAttr(group, "role", radio ? "radiogroup" : "group");
            var label = nameOf(group);
            if (label) { setAttr(group, "aria-label", label); }
            group.querySelectorAll("[role=option]").forEach(function (option) {
                setAttr(option, "role", null);
            });
            group.querySelectorAll("label[aria-selected]").forEach(function (option) {
                setAttr(option, "aria-selected", null);
            });
        });
        document.querySelectorAll("input[type=file]").forEach(function (input) {
            var label = nameOf(input);
            setAttr(input, "aria-label", label || "Choose a file");
        });
    }

    function fixDropdowns() {
        document.querySelectorAll(".dash-dropdown-wrapper").forEach(function (wrapper) {
            var target = wrapper.querySelector(":scope > .dash-dropdown-focus-target");
            var button = wrapper.querySelector(":scope > button.dash-dropdown");
            if (!target || !button) { return; }
            var label = null;
            if (button.id) {
                var tag = document.querySelector("label[for='" + button.id + "']");
                label = tag ? tag.innerText.trim() : null;
            }
            var box = wrapper.closest("[data-a11y-label]");
            if (!label && box) { label = box.getAttribute("data-a11y-label"); }
            var value = button.innerText.trim();
            setAttr(target, "aria-hidden", null);
            setAttr(target, "role", "combobox");
            setAttr(target, "aria-haspopup", "listbox");
            setAttr(target, "aria-expanded", button.getAttribute("aria-expanded") || "false");
            setAttr(target, "aria-label", (label ? label + ": " : "") + (value || "none chosen"));
        });
    }

    var scheduled = false;
    function fixAll() {
        scheduled = false;
        fixTabs();
        fixLabelled();
        fixDropdowns();
    }

    function schedule() {
        if (!scheduled) {
            scheduled = true;
            window.requestAnimationFrame(fixAll);
        }
    }

    function start() {
        fixAll();
        new MutationObserver(schedule).observe(document.body, {
            subtree: true, childList: true, attributes: true,
            attributeFilter: ["class", "aria-valuenow", "aria-expanded", "role", "aria-selected"],
            characterData: true,
        });
    }

    if (document.readyState === "loading") {
        document.addEventListener("DOMContentLoaded", start);
    } else {
        start();
    }
})();
