// Words that keep people human: hints as you type beside the fields that
// carry data-hint-rules (the rules of models/words.go, as JSON). The same
// matching as the server: lower-case words, a phrase as consecutive words,
// cancelled by a word just before (a) or just after (b). Never blocking;
// without JavaScript the server shows the same hints after saving.
(function () {
  "use strict";
  function words(text) {
    return text.toLowerCase().split(/[^\p{L}\p{N}'’-]+/u).filter(Boolean);
  }
  function match(rule, ws) {
    for (const ph of rule.p) {
      const pw = ph.split(" ").filter(Boolean);
      if (!pw.length) continue;
      outer: for (let i = 0; i + pw.length <= ws.length; i++) {
        for (let k = 0; k < pw.length; k++) if (ws[i + k] !== pw[k]) continue outer;
        if (i > 0 && (rule.a || []).includes(ws[i - 1])) continue;
        const j = i + pw.length;
        if (j < ws.length && (rule.b || []).includes(ws[j])) continue;
        return ph;
      }
    }
    return "";
  }
  function render(box, hints) {
    box.textContent = "";
    if (!hints.length) return;
    const head = document.createElement("p");
    head.className = "word-hints-head";
    const small = document.createElement("small");
    small.textContent = "A note on words (you can keep yours):";
    head.appendChild(small);
    box.appendChild(head);
    const ul = document.createElement("ul");
    for (const h of hints) {
      const li = document.createElement("li");
      const s = document.createElement("small");
      const b = document.createElement("strong");
      b.textContent = "“" + h.found + "”";
      s.appendChild(b);
      s.appendChild(document.createTextNode(" — " + h.s));
      li.appendChild(s);
      ul.appendChild(li);
    }
    box.appendChild(ul);
  }
  function attach(field) {
    let rules;
    try { rules = JSON.parse(field.dataset.hintRules); } catch (e) { return; }
    const box = document.getElementById(field.dataset.hintBox);
    if (!box || !Array.isArray(rules)) return;
    let timer = 0;
    const update = function () {
      const ws = words(field.value);
      const hints = [];
      for (const r of rules) {
        const found = match(r, ws);
        if (found) hints.push({ found: found, s: r.s });
      }
      render(box, hints);
    };
    field.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(update, 250);
    });
  }
  function init() {
    document.querySelectorAll("[data-hint-rules]").forEach(attach);
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
