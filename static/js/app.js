// Summit's small enhancements. Every page works without this file.
(function () {
  "use strict";
  document.addEventListener("change", function (e) {
    var el = e.target;
    if (el.matches && el.matches("select[data-autosubmit]") && el.form) {
      el.form.submit();
    }
  });
  document.addEventListener("submit", function (e) {
    var btn = e.submitter || e.target.querySelector("[data-confirm]");
    var msg = btn && btn.getAttribute && btn.getAttribute("data-confirm");
    if (msg && !window.confirm(msg)) {
      e.preventDefault();
    }
  });
  // A refusal (422) carries its message in the part it answers with: show
  // it in place, as a page would.
  document.addEventListener("htmx:beforeSwap", function (e) {
    if (e.detail.xhr && e.detail.xhr.status === 422) {
      e.detail.shouldSwap = true;
      e.detail.isError = false;
    }
  });
  // htmx sends the CSRF token as a header on every request it makes.
  document.addEventListener("htmx:configRequest", function (e) {
    var input = document.querySelector("input[name=_csrf]");
    if (input) {
      e.detail.headers["X-CSRF-Token"] = input.value;
    }
  });
})();
