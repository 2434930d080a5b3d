/* Suggestions under the search box, from GET /api/suggest: an ARIA combobox.
   ↑ ↓ move through the list, Enter searches the one chosen, Esc closes it.
   Loaded by app.js; without JavaScript the box is a plain search field. */
(function () {
  "use strict";

  var KIND_LABEL = { reporter: "记者", title: "标题", word: "" };

  function suggestUrl(form) {
    var action = form.getAttribute("action") || "/search";
    return action.replace(/search\/?$/, "api/suggest");
  }

  function styleList(list) {
    // CSSOM, not a style attribute: the Content-Security-Policy allows no inline styles.
    var s = list.style;
    s.position = "absolute"; s.zIndex = "1000"; s.margin = "0"; s.padding = "4px 0";
    s.listStyle = "none"; s.background = "#fff"; s.color = "#1a1a1a";
    s.border = "1px solid #c8c8c8"; s.borderRadius = "6px";
    s.boxShadow = "0 4px 12px rgba(0,0,0,.15)"; s.maxHeight = "60vh"; s.overflowY = "auto";
    s.overflowX = "hidden"; s.boxSizing = "border-box";
  }

  function setup(input, n) {
    var form = input.form;
    if (!form) return;
    var url = suggestUrl(form);
    var list = document.createElement("ul");
    list.id = (input.id || "q") + "-suggest-" + n;
    list.className = "suggest";
    list.setAttribute("role", "listbox");
    list.setAttribute("aria-label", "检索建议");
    list.hidden = true;
    styleList(list);
    document.body.appendChild(list);
    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-expanded", "false");
    input.setAttribute("aria-controls", list.id);

    var shown = [], active = -1, timer = null, asked = 0;

    function place() {
      // As wide as the box (the field and its button), never wider: a long title is
      // cut with an ellipsis (its whole text in the item's title attribute).
      var r = input.getBoundingClientRect();
      var box = (input.parentNode && input.parentNode.getBoundingClientRect) ?
        input.parentNode.getBoundingClientRect() : r;
      var width = Math.max(r.width, Math.min(box.width, window.innerWidth - r.left - 4));
      list.style.left = (r.left + window.scrollX) + "px";
      list.style.top = (r.bottom + window.scrollY + 2) + "px";
      list.style.width = width + "px";
      list.style.maxWidth = width + "px";
    }

    function close() {
      list.hidden = true;
      active = -1;
      input.setAttribute("aria-expanded", "false");
      input.removeAttribute("aria-activedescendant");
    }

    function highlight(i) {
      var items = list.children;
      for (var k = 0; k < items.length; k++) {
        var on = k === i;
        items[k].setAttribute("aria-selected", on ? "true" : "false");
        items[k].style.background = on ? "#e8f0fe" : "";
      }
      active = i;
      if (i >= 0) {
        input.setAttribute("aria-activedescendant", items[i].id);
        items[i].scrollIntoView({ block: "nearest" });
      } else {
        input.removeAttribute("aria-activedescendant");
      }
    }

    function choose(i) {
      var s = shown[i];
      input.value = s.kind === "reporter" ? "记者:" + s.text : s.text;
      close();
      if (form.requestSubmit) form.requestSubmit(); else form.submit();
    }

    function render(suggestions) {
      shown = suggestions || [];
      list.textContent = "";
      shown.forEach(function (s, i) {
        var li = document.createElement("li");
        li.id = list.id + "-" + i;
        li.setAttribute("role", "option");
        li.setAttribute("aria-selected", "false");
        li.className = "suggest__item suggest__item--" + s.kind;
        li.style.padding = "6px 12px"; li.style.cursor = "pointer";
        li.style.display = "flex"; li.style.whiteSpace = "nowrap";
        li.title = s.text;
        var text = document.createElement("span");
        text.className = "suggest__text";
        text.textContent = s.text;
        text.style.overflow = "hidden"; text.style.textOverflow = "ellipsis";
        text.style.minWidth = "0"; text.style.flex = "0 1 auto";
        li.appendChild(text);
        if (KIND_LABEL[s.kind]) {
          var tag = document.createElement("span");
          tag.className = "suggest__kind";
          tag.textContent = "（" + KIND_LABEL[s.kind] + "）";
          tag.style.color = "#666";
          tag.style.flex = "none";
          li.appendChild(tag);
        }
        li.addEventListener("mousedown", function (e) { e.preventDefault(); choose(i); });
        list.appendChild(li);
      });
      if (!shown.length) { close(); return; }
      place();
      list.hidden = false;
      active = -1;
      input.setAttribute("aria-expanded", "true");
    }

    function ask() {
      var q = input.value;
      if (!q.trim()) { render([]); return; }
      var mine = ++asked;
      fetch(url + "?size=10&q=" + encodeURIComponent(q.slice(0, 50)),
            { headers: { Accept: "application/json" } })
        .then(function (r) { return r.ok ? r.json() : null; })
        .then(function (data) { if (data && mine === asked) render(data.suggestions); })
        .catch(function () { /* no suggestions; the box still searches */ });
    }

    input.addEventListener("input", function () {
      window.clearTimeout(timer);
      timer = window.setTimeout(ask, 120);
    });
    input.addEventListener("keydown", function (e) {
      var open = !list.hidden;
      if (e.key === "ArrowDown" || e.key === "ArrowUp") {
        if (!open) { if (shown.length) { place(); list.hidden = false;
          input.setAttribute("aria-expanded", "true"); } else { return; } }
        e.preventDefault();
        var step = e.key === "ArrowDown" ? 1 : -1;
        var next = active + step;
        if (next < -1) next = shown.length - 1;
        if (next >= shown.length) next = -1;
        highlight(next);
      } else if (e.key === "Enter" && open && active >= 0) {
        e.preventDefault();
        choose(active);
      } else if (e.key === "Escape" && open) {
        e.preventDefault();
        close();
      }
    });
    input.addEventListener("blur", function () { window.setTimeout(close, 150); });
    window.addEventListener("resize", function () { if (!list.hidden) place(); });
  }

  document.querySelectorAll("input[type=search][name=q]").forEach(setup);
})();
