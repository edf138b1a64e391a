/* Zoom and move the social map: buttons (keyboard and touch), and dragging with a pointer.
   No library and no request; without scripts the whole map shows as it is. The texts of the
   buttons come from the map's data-* attributes, in the reader's language. */
(function () {
  "use strict";
  var maps = document.querySelectorAll("svg.social-map[data-controls]");
  Array.prototype.forEach.call(maps, function (map) {
    var area = map.querySelector("svg.map-area");
    if (!area) { return; }
    var whole = area.getAttribute("viewBox").split(" ").map(Number);
    var view = whole.slice();
    var round = function (v) { return Math.round(v * 10) / 10; };
    var show = function (next) {
      var w = Math.min(whole[2], Math.max(whole[2] / 8, next[2]));
      var h = w * whole[3] / whole[2];
      var x = Math.min(whole[2] - w, Math.max(0, next[0]));
      var y = Math.min(whole[3] - h, Math.max(0, next[1]));
      view = [x, y, w, h];
      area.setAttribute("viewBox", view.map(round).join(" "));
    };
    var zoom = function (factor) {
      var w = view[2] / factor, h = view[3] / factor;
      show([view[0] + (view[2] - w) / 2, view[1] + (view[3] - h) / 2, w, h]);
    };
    var move = function (dx, dy) {
      show([view[0] + dx * view[2] / 4, view[1] + dy * view[3] / 4, view[2], view[3]]);
    };
    var tools = document.createElement("div");
    tools.className = "map-tools";
    tools.setAttribute("role", "group");
    tools.setAttribute("aria-label", map.getAttribute("data-controls"));
    [
      ["zoom-in", "+", function () { zoom(1.5); }],
      ["zoom-out", "\u2212", function () { zoom(1 / 1.5); }],
      ["left", "\u2190", function () { move(-1, 0); }],
      ["right", "\u2192", function () { move(1, 0); }],
      ["up", "\u2191", function () { move(0, -1); }],
      ["down", "\u2193", function () { move(0, 1); }],
      ["reset", "\u2922", function () { show(whole); }]
    ].forEach(function (tool) {
      var button = document.createElement("button");
      button.type = "button";
      button.className = "map-" + tool[0];
      button.textContent = tool[1];
      button.setAttribute("aria-label", map.getAttribute("data-" + tool[0]));
      button.title = map.getAttribute("data-" + tool[0]);
      button.addEventListener("click", tool[2]);
      tools.appendChild(button);
    });
    map.parentNode.insertBefore(tools, map);
    var start = null;
    area.addEventListener("pointerdown", function (event) {
      if (event.button !== 0 || (event.target.closest && event.target.closest("a"))) { return; }
      start = [event.clientX, event.clientY, view[0], view[1]];
      area.setPointerCapture(event.pointerId);
    });
    area.addEventListener("pointermove", function (event) {
      if (!start) { return; }
      var k = view[2] / area.getBoundingClientRect().width;
      show([start[2] - (event.clientX - start[0]) * k, start[3] - (event.clientY - start[1]) * k,
            view[2], view[3]]);
    });
    var stop = function () { start = null; };
    area.addEventListener("pointerup", stop);
    area.addEventListener("pointercancel", stop);
  });
}());
