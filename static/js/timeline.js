/* Timelines (templates/articles/_timeline.html): dragging across the bars selects a range of
   periods and opens the page the chart names in data-range-url with from/to set to it. A plain
   click still follows the bar's own link; without this script every bar is an ordinary link. */
(function () {
  "use strict";

  function viewBoxX(svg, clientX) {
    var point = svg.createSVGPoint();
    point.x = clientX;
    point.y = 0;
    return point.matrixTransform(svg.getScreenCTM().inverse()).x;
  }

  function slotIndex(svg, slots, clientX) {
    var x = viewBoxX(svg, clientX);
    var best = 0;
    var bestDistance = Infinity;
    for (var i = 0; i < slots.length; i++) {
      var left = slots[i].x.baseVal.value;
      var right = left + slots[i].width.baseVal.value;
      if (x >= left && x < right) return i;
      var distance = Math.min(Math.abs(x - left), Math.abs(x - right));
      if (distance < bestDistance) {
        best = i;
        bestDistance = distance;
      }
    }
    return best;
  }

  function enhance(svg) {
    var slots = Array.prototype.slice.call(svg.querySelectorAll(".slot"));
    var band = svg.querySelector(".selection");
    if (!slots.length || !band) return;
    var start = null;
    var end = null;
    var dragged = false;

    function draw() {
      var a = slots[Math.min(start, end)];
      var b = slots[Math.max(start, end)];
      var left = Math.min(a.x.baseVal.value, b.x.baseVal.value);
      var right = Math.max(a.x.baseVal.value + a.width.baseVal.value, b.x.baseVal.value + b.width.baseVal.value);
      band.setAttribute("x", left);
      band.setAttribute("width", right - left);
    }

    svg.addEventListener("pointerdown", function (event) {
      if (event.button !== 0 || !event.isPrimary) return;
      start = end = slotIndex(svg, slots, event.clientX);
      dragged = false;
    });
    svg.addEventListener("pointermove", function (event) {
      if (start === null) return;
      end = slotIndex(svg, slots, event.clientX);
      if (end !== start) {
        dragged = true;
        svg.classList.add("dragging");
      }
      if (dragged) draw();
    });
    window.addEventListener("pointerup", function () {
      if (start === null) return;
      var first = slots[Math.min(start, end)];
      var last = slots[Math.max(start, end)];
      start = end = null;
      svg.classList.remove("dragging");
      if (!dragged) return;
      var url = new URL(svg.getAttribute("data-range-url"), window.location.href);
      url.searchParams.set("from", first.getAttribute("data-from"));
      url.searchParams.set("to", last.getAttribute("data-to"));
      url.searchParams.delete("page");
      window.location.assign(url.toString());
    });
    // the click that ends a drag is not a click on the bar under the pointer
    svg.addEventListener(
      "click",
      function (event) {
        if (dragged) {
          event.preventDefault();
          event.stopPropagation();
        }
      },
      true
    );
    svg.addEventListener("dragstart", function (event) {
      event.preventDefault();
    });
  }

  Array.prototype.forEach.call(document.querySelectorAll("svg.timeline[data-range-url]"), enhance);
})();
