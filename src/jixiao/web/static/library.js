/* The evaluation page's new indicator row: the indicator library's names offered as the
   unit types (a datalist fed by /api/library for the chosen 二级指标), the usual target,
   unit and weight of the name chosen, and the row added through the API. */
"use strict";

(function () {
  const section = document.getElementById("new-row");
  if (!section) return;
  const form = document.getElementById("new-row-form");
  const names = document.getElementById("library-names");
  const hint = document.getElementById("new-row-suggestion");
  const status = document.getElementById("new-row-status");
  const field = function (name) { return form.elements.namedItem(name); };
  let found = {};   // name → the library's entry
  let timer = null;
  let chosen = null;

  function csrf() {
    const meta = document.querySelector('meta[name="csrf-token"]');
    return meta ? meta.content : "";
  }

  function say(text, kind) {
    status.textContent = text;
    status.className = "save-status" + (kind ? " " + kind : "");
  }

  function describe(entry) {
    const parts = ["指标库：“" + entry.name + "”已用 " + entry.count + " 次"];
    if (entry.targets.length) parts.push("常用指标值 " + entry.targets[0].text);
    if (entry.units.length) parts.push("单位 " + entry.units[0].unit);
    if (entry.weights.length) parts.push("分值 " + entry.weights[0].weight);
    if (entry.aliases.length) parts.push("其他写法 " + entry.aliases.join("、"));
    return parts.join("，");
  }

  function show() {
    const entry = found[field("name").value.trim()];
    chosen = entry || null;
    hint.hidden = !entry;
    if (entry) hint.querySelector(".text").textContent = describe(entry);
  }

  async function lookup() {
    const params = new URLSearchParams();
    const level2 = field("level2").value.trim();
    const typed = field("name").value.trim();
    if (level2) params.set("level2", level2);
    if (typed) params.set("q", typed);
    const response = await fetch("/api/library?" + params.toString(), { credentials: "same-origin", headers: { "Accept": "application/json" } });
    if (!response.ok) return;
    const body = await response.json();
    found = {};
    names.textContent = "";
    body.categories.forEach(function (category) {
      category.indicators.forEach(function (entry) {
        if (found[entry.name] || Object.keys(found).length >= 30) return;
        found[entry.name] = Object.assign({ level1: category.level1, level2: category.level2 }, entry);
        const option = document.createElement("option");
        option.value = entry.name;
        option.label = "用过 " + entry.count + " 次" + (entry.targets.length ? "，常用 " + entry.targets[0].text : "");
        names.appendChild(option);
      });
    });
    show();
  }

  function later() {
    clearTimeout(timer);
    timer = setTimeout(function () { lookup().catch(function () { /* no suggestions */ }); }, 200);
  }

  field("name").addEventListener("input", function () { show(); later(); });
  field("name").addEventListener("focus", later);
  field("level2").addEventListener("change", later);
  document.getElementById("new-row-use").addEventListener("click", function () {
    if (!chosen) return;
    const level1 = field("level1");
    if (Array.from(level1.options).some(function (o) { return o.value === chosen.level1; })) level1.value = chosen.level1;
    if (!field("level2").value.trim()) field("level2").value = chosen.level2;
    if (chosen.targets.length) field("target").value = chosen.targets[0].text;
    if (chosen.weights.length) field("weight").value = chosen.weights[0].weight;
  });

  form.addEventListener("submit", async function (event) {
    event.preventDefault();
    const area = document.getElementById("form-area");
    const body = {
      level1: field("level1").value,
      level2: field("level2").value.trim(),
      name: field("name").value.trim(),
      target: field("target").value.trim() || null,
      weight: field("weight").value.trim() || null,
      version: area ? Number(area.dataset.version) : null,
    };
    say("添加中…", "saving");
    const response = await fetch("/api/evaluations/" + section.dataset.id + "/indicators", {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "Accept": "application/json", "X-CSRF-Token": csrf() },
      body: JSON.stringify(body),
    });
    if (response.ok) { window.location.reload(); return; }
    let message = "添加失败（" + response.status + "）";
    try { message = (await response.json()).error.message; } catch (e) { /* keep the status */ }
    say("错误：" + message, "failed");
  });
})();
