/* Offline search over the site's index (search-index.js): no library, no request, works
   from file://. Every query word must appear in a name or its place, accents ignored. */
(function () {
  "use strict";
  var form = document.getElementById("search");
  var index = window.SOLIDARITY_SEARCH;
  if (!form || !index) { return; }
  var input = form.querySelector("input");
  var list = document.getElementById("search-hits");
  var status = document.getElementById("search-status");
  var root = form.getAttribute("data-root") || "";
  var fold = function (text) {
    return text.normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase();
  };
  var folded = index.map(function (e) { return fold(e[0] + " " + e[3]); });
  var show = function () {
    var words = fold(input.value).split(/\s+/).filter(Boolean);
    list.textContent = "";
    if (!words.length) { status.textContent = ""; return; }
    var found = 0;
    for (var i = 0; i < index.length && found < 20; i++) {
      var text = folded[i];
      if (!words.every(function (w) { return text.indexOf(w) >= 0; })) { continue; }
      found++;
      var item = document.createElement("li");
      var link = document.createElement("a");
      link.href = root + index[i][2];
      link.textContent = index[i][0];
      var kind = document.createElement("small");
      kind.textContent = " · " + index[i][1];
      item.appendChild(link);
      item.appendChild(kind);
      list.appendChild(item);
    }
    status.textContent = found ? form.getAttribute("data-found").replace("{count}", found)
                               : form.getAttribute("data-none");
  };
  input.addEventListener("input", show);
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    show();
    var first = list.querySelector("a");
    if (first) { first.focus(); }
  });
}());
