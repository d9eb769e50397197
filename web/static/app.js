// congdoan: small enhancements. Every page works without this file; the
// content security policy allows scripts only from this origin, so all
// behaviour lives here rather than in inline handlers.
(function () {
  "use strict";
  // Forms that end or merge something ask first (data-confirm="question").
  document.addEventListener("submit", function (e) {
    var form = e.target;
    var q = form && form.getAttribute && form.getAttribute("data-confirm");
    if (q && !window.confirm(q)) {
      e.preventDefault();
    }
  }, true);

  // After a failed submit the page comes back with errors: move the focus
  // to the first field in error, so that keyboard and screen-reader users
  // land where the fix is (the messages are tied to the inputs).
  function focusFirstError() {
    var bad = document.querySelector("main [aria-invalid=true]");
    if (bad && typeof bad.focus === "function") {
      bad.focus();
    }
  }

  // Date fields take "30062024" or "30/6/2024" and show 30/06/2024.
  function tidyDate(input) {
    var v = input.value.trim();
    var m = /^(\d{2})(\d{2})(\d{4})$/.exec(v) || /^(\d{1,2})[\/.\-](\d{1,2})[\/.\-](\d{4})$/.exec(v);
    if (m) {
      input.value = ("0" + m[1]).slice(-2) + "/" + ("0" + m[2]).slice(-2) + "/" + m[3];
    }
  }
  document.addEventListener("change", function (e) {
    if (e.target && e.target.hasAttribute && e.target.hasAttribute("data-date")) {
      tidyDate(e.target);
    }
  });

  // Type-ahead pickers (web/pick.go): an input[data-pick] is an ARIA
  // combobox whose listbox is filled from the JSON the URL answers for
  // what is typed. Choosing an option puts its code in the field and its
  // name and path under it; what is typed and not chosen is submitted as
  // it is, and the server resolves it.
  function picker(input) {
    var list = document.getElementById(input.getAttribute("aria-controls"));
    var picked = document.getElementById(input.id + "-picked");
    var src = input.getAttribute("data-pick");
    var timer = null, seq = 0, items = [], active = -1;

    function close() {
      list.hidden = true;
      input.setAttribute("aria-expanded", "false");
      input.removeAttribute("aria-activedescendant");
      active = -1;
    }
    function show(found) {
      items = found;
      list.textContent = "";
      active = -1;
      if (!items.length) {
        var li = document.createElement("li");
        li.className = "picklist-empty";
        li.textContent = input.getAttribute("data-empty") || "—";
        list.appendChild(li);
      }
      items.forEach(function (it, i) {
        var li = document.createElement("li");
        li.id = input.id + "-opt-" + i;
        li.setAttribute("role", "option");
        li.setAttribute("aria-selected", "false");
        var name = document.createElement("span");
        name.textContent = it.label;
        li.appendChild(name);
        if (it.detail) {
          var d = document.createElement("small");
          d.textContent = it.detail;
          li.appendChild(d);
        }
        // mousedown, not click: the input must not lose the list first.
        li.addEventListener("mousedown", function (e) {
          e.preventDefault();
          choose(i);
        });
        list.appendChild(li);
      });
      list.hidden = false;
      input.setAttribute("aria-expanded", "true");
    }
    function mark(i) {
      var opts = list.querySelectorAll("[role=option]");
      if (!opts.length) {
        return;
      }
      active = (i + opts.length) % opts.length;
      opts.forEach(function (o, j) {
        o.setAttribute("aria-selected", j === active ? "true" : "false");
      });
      input.setAttribute("aria-activedescendant", opts[active].id);
      opts[active].scrollIntoView({ block: "nearest" });
    }
    function choose(i) {
      var it = items[i];
      if (!it) {
        return;
      }
      input.value = it.value;
      if (picked) {
        picked.textContent = it.label + (it.detail ? " — " + it.detail : "");
      }
      close();
      input.dispatchEvent(new Event("change", { bubbles: true }));
    }
    function fetchFor(q, then) {
      var mine = ++seq;
      fetch(src + (src.indexOf("?") < 0 ? "?" : "&") + "q=" + encodeURIComponent(q), {
        credentials: "same-origin",
        headers: { Accept: "application/json" }
      }).then(function (r) {
        return r.ok ? r.json() : { items: [] };
      }).then(function (body) {
        if (mine === seq) {
          then(body.items || []);
        }
      }).catch(function () {});
    }

    input.addEventListener("input", function () {
      if (picked) {
        picked.textContent = "";
      }
      clearTimeout(timer);
      var q = input.value.trim();
      if (!q) {
        close();
        return;
      }
      timer = setTimeout(function () { fetchFor(q, show); }, 150);
    });
    input.addEventListener("keydown", function (e) {
      if (list.hidden) {
        if (e.key === "ArrowDown" && input.value.trim()) {
          fetchFor(input.value.trim(), show);
          e.preventDefault();
        }
        return;
      }
      switch (e.key) {
        case "ArrowDown": mark(active + 1); e.preventDefault(); break;
        case "ArrowUp": mark(active - 1); e.preventDefault(); break;
        case "Enter":
          if (active >= 0) {
            choose(active);
            e.preventDefault();
          } else if (items.length === 1) {
            choose(0);
            e.preventDefault();
          } else {
            close();
          }
          break;
        case "Escape": close(); e.preventDefault(); break;
        case "Tab": if (active >= 0) { choose(active); } else { close(); } break;
      }
    });
    input.addEventListener("blur", function () { setTimeout(close, 100); });

    // A field that comes back filled (a preselected unit, a form with
    // errors) names what its code stands for.
    var start = input.value.trim();
    if (start && picked) {
      fetchFor(start, function (found) {
        var it = found[0];
        if (it && it.value.toLowerCase() === start.toLowerCase()) {
          picked.textContent = it.label + (it.detail ? " — " + it.detail : "");
        }
      });
    }
  }

  function init(root) {
    root.querySelectorAll("input[data-pick]").forEach(function (el) {
      if (!el.hasAttribute("data-picker-ready")) {
        el.setAttribute("data-picker-ready", "");
        picker(el);
      }
    });
  }
  function ready() {
    init(document);
    focusFirstError();
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", ready);
  } else {
    ready();
  }
  // htmx swaps in fragments that may hold pickers too.
  document.addEventListener("htmx:afterSwap", function (e) { init(e.target); });
})();
