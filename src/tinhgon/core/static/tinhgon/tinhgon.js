/* Behaviour of the pages, written as files because the Content-Security-Policy forbids
   inline code (docs/SECURITY.md). Everything is delegated from the document, so content
   that htmx swaps in works too.

   form[data-confirm="…"]        asks before submitting
   [data-print]                   prints the page
   [data-details-open="sel"]      opens every <details> matching sel
   [data-details-close="sel"]     closes them
   [data-remove-closest="sel"]    removes the closest ancestor matching sel (a scope chip)
   input[data-no-enter]           Enter does not submit the form (a search box inside one)
   select[data-autosubmit]        choosing an option submits its form (a filter)
   .tree-toggle                   expand/collapse in the apparatus tree (htmx loads the children once)
*/
(function () {
  "use strict";

  document.addEventListener("submit", function (e) {
    var form = e.target;
    var message = form.getAttribute && form.getAttribute("data-confirm");
    if (message && !window.confirm(message)) {
      e.preventDefault();
      e.stopImmediatePropagation();
    }
  }, true);

  function setDetails(selector, open) {
    document.querySelectorAll(selector).forEach(function (d) { d.open = open; });
  }

  function toggleTree(button) {
    if (!button.dataset.loaded) return;  // the first click is htmx's: it loads the children
    var ul = document.getElementById(button.getAttribute("aria-controls"));
    var open = button.getAttribute("aria-expanded") === "true";
    ul.hidden = open;
    button.setAttribute("aria-expanded", String(!open));
    button.textContent = open ? "+" : "\u2212";
  }

  document.addEventListener("click", function (e) {
    if (!e.target.closest) return;
    var el = e.target.closest("[data-print], [data-details-open], [data-details-close], [data-remove-closest], .tree-toggle");
    if (!el) return;
    if (el.hasAttribute("data-print")) {
      window.print();
    } else if (el.hasAttribute("data-details-open")) {
      setDetails(el.getAttribute("data-details-open"), true);
    } else if (el.hasAttribute("data-details-close")) {
      setDetails(el.getAttribute("data-details-close"), false);
    } else if (el.hasAttribute("data-remove-closest")) {
      var target = el.closest(el.getAttribute("data-remove-closest"));
      if (target) target.remove();
    } else {
      toggleTree(el);
    }
  });

  document.addEventListener("change", function (e) {
    var el = e.target;
    if (el.matches && el.matches("select[data-autosubmit]") && el.form) {
      if (el.form.requestSubmit) el.form.requestSubmit(); else el.form.submit();
    }
  });

  document.addEventListener("keydown", function (e) {
    if (e.key === "Enter" && e.target.hasAttribute && e.target.hasAttribute("data-no-enter")) e.preventDefault();
  });

  document.addEventListener("htmx:afterSwap", function (e) {
    var ul = e.detail.target;
    if (!ul || !ul.id || ul.id.indexOf("children-") !== 0) return;
    var button = document.querySelector('[aria-controls="' + ul.id + '"]');
    ul.hidden = false;
    if (button) {
      button.dataset.loaded = "1";
      button.setAttribute("aria-expanded", "true");
      button.textContent = "\u2212";
    }
  });
})();
