// Names offered as one types in a search box (progressive enhancement: without this script
// the box is a plain search form). Each box with data-suggest gets a <datalist> filled from
// /api/v1/search/suggest/; picking a name opens its record, typing on searches as before.
(function () {
  "use strict";
  var WAIT_MS = 150;

  function enhance(input, index) {
    var list = document.createElement("datalist");
    list.id = "search-suggestions-" + index;
    input.after(list);
    input.setAttribute("list", list.id);
    var pages = {};
    var timer = null;
    var asked = "";

    function show(suggestions) {
      pages = {};
      list.replaceChildren.apply(
        list,
        suggestions.map(function (suggestion) {
          var option = document.createElement("option");
          option.value = suggestion.name;
          option.label = suggestion.label;
          pages[suggestion.name] = suggestion.page_url;
          return option;
        })
      );
    }

    function ask() {
      var q = input.value.trim();
      if (q.length < 2 || q === asked) {
        return;
      }
      asked = q;
      fetch(input.dataset.suggest + "?q=" + encodeURIComponent(q), { headers: { Accept: "application/json" } })
        .then(function (response) {
          return response.ok ? response.json() : { suggestions: [] };
        })
        .then(function (body) {
          if (input.value.trim() === q) {
            show(body.suggestions);
          }
        })
        .catch(function () {}); // offline or refused: the box still searches
    }

    input.addEventListener("input", function (event) {
      // A name picked from the list (not typed) opens its record.
      var picked = !event.inputType || event.inputType === "insertReplacementText";
      if (picked && pages[input.value]) {
        window.location.assign(pages[input.value]);
        return;
      }
      window.clearTimeout(timer);
      timer = window.setTimeout(ask, WAIT_MS);
    });
  }

  document.querySelectorAll("input[data-suggest]").forEach(enhance);
})();
