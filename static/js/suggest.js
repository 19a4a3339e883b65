// Header search box: suggests actors as the researcher types (Arabic or Latin letters).
// ARIA 1.2 combobox: the input owns a listbox; arrows move, Enter chooses, Escape closes.
// Choosing an actor opens the search filtered by it (/search/?actor=slug); otherwise the form
// submits the typed words as usual.
(function () {
  "use strict";
  var input = document.getElementById("site-q");
  var list = document.getElementById("site-q-suggestions");
  if (!input || !list || !window.fetch) return;
  var form = input.form;
  var endpoint = input.getAttribute("data-suggest-url");
  var DELAY = 200;
  var timer = null;
  var pending = null;
  var results = [];
  var active = -1;

  function actorUrl(slug) {
    return form.action + "?actor=" + encodeURIComponent(slug);
  }

  function close() {
    list.hidden = true;
    list.textContent = "";
    results = [];
    active = -1;
    input.setAttribute("aria-expanded", "false");
    input.removeAttribute("aria-activedescendant");
  }

  function highlight(index) {
    var options = list.querySelectorAll("[role=option]");
    for (var i = 0; i < options.length; i++) {
      options[i].setAttribute("aria-selected", i === index ? "true" : "false");
    }
    active = index;
    if (index >= 0) {
      input.setAttribute("aria-activedescendant", options[index].id);
      options[index].scrollIntoView({block: "nearest"});
    } else {
      input.removeAttribute("aria-activedescendant");
    }
  }

  function choose(index) {
    var actor = results[index];
    if (actor) window.location.assign(actorUrl(actor.slug));
  }

  function show(items) {
    list.textContent = "";
    results = items;
    active = -1;
    if (!items.length) { close(); return; }
    items.forEach(function (actor, index) {
      var option = document.createElement("li");
      option.id = "site-q-option-" + index;
      option.setAttribute("role", "option");
      option.setAttribute("aria-selected", "false");
      var arabic = document.createElement("span");
      arabic.className = "suggestion-ar";
      arabic.lang = "ar";
      arabic.dir = "rtl";
      arabic.textContent = actor.name_ar;
      var english = document.createElement("span");
      english.className = "suggestion-en";
      english.lang = "en";
      english.dir = "ltr";
      english.textContent = actor.name_en;
      option.appendChild(arabic);
      option.appendChild(english);
      // mousedown, not click: it comes before the input's blur closes the list
      option.addEventListener("mousedown", function (event) {
        event.preventDefault();
        choose(index);
      });
      list.appendChild(option);
    });
    list.hidden = false;
    input.setAttribute("aria-expanded", "true");
  }

  function fetchSuggestions() {
    var q = input.value.trim();
    if (pending) pending.abort();
    if (!q) { close(); return; }
    pending = new AbortController();
    fetch(endpoint + "?q=" + encodeURIComponent(q), {
      headers: {"Accept": "application/json"},
      signal: pending.signal
    })
      .then(function (response) { return response.ok ? response.json() : {results: []}; })
      .then(function (data) { if (input.value.trim() === q) show(data.results || []); })
      .catch(function (error) { if (error.name !== "AbortError") close(); });
  }

  input.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(fetchSuggestions, DELAY);
  });

  input.addEventListener("keydown", function (event) {
    if (list.hidden) {
      if (event.key === "ArrowDown" && input.value.trim()) fetchSuggestions();
      return;
    }
    var count = results.length;
    if (event.key === "ArrowDown") {
      event.preventDefault();
      highlight((active + 1) % count);
    } else if (event.key === "ArrowUp") {
      event.preventDefault();
      highlight(active <= 0 ? count - 1 : active - 1);
    } else if (event.key === "Enter" && active >= 0) {
      event.preventDefault();
      choose(active);
    } else if (event.key === "Escape") {
      event.preventDefault();
      close();
    }
  });

  input.addEventListener("blur", close);
})();
