/* Small enhancements; every page works without this file. */
(function () {
  "use strict";

  // Suggestions under the search box: web/static/suggest.js, loaded from beside this file.
  var me = document.querySelector("script[src*='app.js']");
  if (me && document.querySelector("input[type=search][name=q]")) {
    var more = document.createElement("script");
    more.src = me.src.replace(/app\.js(\?.*)?$/, "suggest.js");
    more.defer = true;
    document.head.appendChild(more);
  }

  // Leave empty fields out of GET form submissions: /search?q=x, not ?q=x&from=&to=.
  document.querySelectorAll("form.js-clean").forEach(function (form) {
    form.addEventListener("submit", function () {
      form.querySelectorAll("input[name]").forEach(function (input) {
        if (input.value.trim() === "" && input.name !== "q") {
          input.disabled = true;
          window.setTimeout(function () { input.disabled = false; }, 0);
        }
      });
    });
  });

  // "/" focuses the search box, as on many search sites.
  document.addEventListener("keydown", function (event) {
    if (event.key !== "/" || event.ctrlKey || event.metaKey || event.altKey) return;
    var tag = (document.activeElement && document.activeElement.tagName) || "";
    if (/^(INPUT|TEXTAREA|SELECT)$/.test(tag) || document.activeElement.isContentEditable) return;
    var box = document.querySelector("input[type=search]");
    if (box) {
      event.preventDefault();
      box.focus();
      box.select();
    }
  });

  // Article page: a button that moves through the marked matches.
  var note = document.getElementById("matches");
  var marks = document.querySelectorAll(".article mark");
  if (note && marks.length > 0) {
    var index = -1;
    var button = document.createElement("button");
    button.type = "button";
    button.className = "button button--small";
    button.textContent = "跳到下一处";
    button.addEventListener("click", function () {
      if (index >= 0) marks[index].classList.remove("is-focus");
      index = (index + 1) % marks.length;
      var m = marks[index];
      m.classList.add("is-focus");
      m.setAttribute("tabindex", "-1");
      m.scrollIntoView({ block: "center", behavior: "smooth" });
      m.focus({ preventScroll: true });
      button.textContent = "跳到下一处（" + (index + 1) + "/" + marks.length + "）";
    });
    note.appendChild(document.createTextNode(" "));
    note.appendChild(button);
  }
})();
