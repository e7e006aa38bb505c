/* nernst web simulator: before printing, redraw each plot at the width of the printed page
 * (Plotly keeps the size it had on screen otherwise, and a wide plot would be cut). */
(function () {
    "use strict";
    function resizeAll() {
        if (!window.Plotly) { return; }
        document.querySelectorAll(".js-plotly-plot").forEach(function (gd) {
            try { window.Plotly.Plots.resize(gd); } catch (e) { /* a plot being redrawn */ }
        });
    }
    window.addEventListener("beforeprint", resizeAll);
    window.addEventListener("afterprint", resizeAll);
    if (window.matchMedia) {
        var query = window.matchMedia("print");
        var listener = function () { resizeAll(); };
        if (query.addEventListener) { query.addEventListener("change", listener); }
        else if (query.addListener) { query.addListener(listener); }
    }
})();
