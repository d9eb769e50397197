// congdoan: small enhancements. Every page works without this file; the
// content security policy allows scripts only from this origin, so all
// behaviour lives here rather than in inline handlers.
(function () {
  "use strict";
  // Forms that end or merge something ask first (data-confirm="question").
  document.addEventListener("submit", function (e) {
    var form = e.target;
    var q = form && form.getAttribute && form.getAttribute("data-confirm");
    if (q && !window.confirm(q)) {
      e.preventDefault();
    }
  }, true);
})();
