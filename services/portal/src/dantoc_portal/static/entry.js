/* Data-entry grid: Enter moves to the next field (like Tab); what is typed is also kept in localStorage and put
   back after a reload when the server's draft is older. The page works without this script (plain form posts). */
(function () {
  "use strict";
  var form = document.getElementById("entry-grid");
  if (!form) { return; }
  var key = form.getAttribute("data-draft-key");
  var serverTime = parseInt(form.getAttribute("data-draft-updated") || "0", 10);
  var fields = function () {
    return Array.prototype.filter.call(form.elements, function (el) {
      return (el.tagName === "INPUT" && (el.type === "text" || el.type === "checkbox")) || el.tagName === "SELECT";
    });
  };
  var store = null;
  try { store = window.localStorage; } catch (e) { store = null; }

  if (store && form.getAttribute("data-clear") === "1") { store.removeItem(key); }

  form.addEventListener("keydown", function (event) {
    var el = event.target;
    if (event.key !== "Enter" || el.tagName !== "INPUT" || el.type === "submit") { return; }
    event.preventDefault();
    var list = fields();
    var next = list[list.indexOf(el) + (event.shiftKey ? -1 : 1)];
    if (next) { next.focus(); if (next.select) { next.select(); } }
  });

  var save = function () {
    if (!store) { return; }
    var values = {};
    fields().forEach(function (el) {
      if (el.name && el.name.indexOf(":") > 0) { values[el.name] = el.type === "checkbox" ? el.checked : el.value; }
    });
    try { store.setItem(key, JSON.stringify({ t: Date.now(), values: values })); } catch (e) { /* full: ignore */ }
  };
  form.addEventListener("input", save);
  form.addEventListener("change", save);

  if (!store || form.getAttribute("data-clear") === "1") { return; }
  var kept = null;
  try { kept = JSON.parse(store.getItem(key) || "null"); } catch (e) { kept = null; }
  if (!kept || !kept.values || !(kept.t > serverTime)) { return; }
  var restored = 0;
  fields().forEach(function (el) {
    if (!Object.prototype.hasOwnProperty.call(kept.values, el.name)) { return; }
    var value = kept.values[el.name];
    if (el.type === "checkbox") { if (el.checked !== value) { el.checked = !!value; restored += 1; } }
    else if (el.value !== value) { el.value = value; restored += 1; }
  });
  if (restored) {
    var note = document.createElement("p");
    note.className = "notice";
    note.id = "restored-note";
    note.setAttribute("role", "status");
    note.textContent = form.getAttribute("data-restored-text") || "";
    form.insertBefore(note, form.firstChild);
  }
})();
