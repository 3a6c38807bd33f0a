// On a phone the facet lists would push the results a screen down: fold them under their
// summary unless the reader is already filtering. Without script they stay open.
(function () {
  "use strict";
  var facets = document.querySelector("details[data-closed-on-phone]");
  if (facets && !facets.hasAttribute("data-filtered") && window.matchMedia("(max-width: 52rem)").matches) {
    facets.open = false;
  }
})();
