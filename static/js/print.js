// A printed page carries its full link targets and the day it was printed: paper has no
// hover and no address bar. Runs only when the reader prints.
(function () {
  "use strict";
  function prepare() {
    document.querySelectorAll("main a[href]").forEach(function (link) {
      var target = link.getAttribute("href");
      if (target && target.charAt(0) !== "#") {
        link.setAttribute("data-print-href", link.href);
      }
    });
    var printed = document.querySelector("[data-printed-on]");
    if (printed) {
      var today = new Date();
      printed.textContent = today.toLocaleDateString("en-GB", { day: "numeric", month: "long", year: "numeric" });
      printed.setAttribute("datetime", today.toISOString().slice(0, 10));
    }
  }
  window.addEventListener("beforeprint", prepare);
})();
