// Reading page: the highlight toggle, and a flash on the mark an anchor points to.
(function () {
  "use strict";
  var toggle = document.getElementById("toggle-highlights");
  var body = document.getElementById("article-body");
  if (toggle && body) {
    toggle.addEventListener("change", function () {
      body.classList.toggle("no-highlights", !toggle.checked);
    });
  }
  function flash() {
    if (!location.hash) return;
    var target = document.getElementById(decodeURIComponent(location.hash.slice(1)));
    if (!target) return;
    target.scrollIntoView({block: "center"});
    target.classList.add("flash");
    setTimeout(function () { target.classList.remove("flash"); }, 2400);
  }
  window.addEventListener("hashchange", flash);
  flash();
})();
