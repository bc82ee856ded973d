/* The evaluation page's indicator rows moved up or down, or removed: the row of the cell
   last chosen in the table (any cell of an indicator row), through the API; the page is
   drawn again with the scores and findings the store worked out. */
"use strict";

(function () {
  const tools = document.getElementById("row-tools");
  if (!tools) return;
  const label = document.getElementById("row-tools-name");
  const status = document.getElementById("row-tools-status");
  const pattern = /^cell-indicators-(\d+)--/;
  let chosen = null;

  function csrf() {
    const meta = document.querySelector('meta[name="csrf-token"]');
    return meta ? meta.content : "";
  }

  function choose(target) {
    const cell = target.closest ? target.closest("[id^='cell-indicators-']") : null;
    const found = cell ? pattern.exec(cell.id) : null;
    if (!found) return;
    chosen = Number(found[1]);
    const name = document.getElementById("cell-indicators-" + chosen + "--name");
    label.textContent = "第 " + (chosen + 1) + " 个指标：" + ((name && name.textContent.trim()) || "（未填名称）");
    tools.querySelectorAll("button").forEach(function (b) { b.disabled = false; });
  }

  document.addEventListener("focusin", function (event) { choose(event.target); });
  document.addEventListener("click", function (event) { choose(event.target); });

  async function send(method, url, body) {
    if (chosen === null) return;
    const area = document.getElementById("form-area");
    const version = area ? Number(area.dataset.version) : null;
    status.textContent = "处理中…";
    status.className = "save-status saving";
    const options = {
      method: method,
      credentials: "same-origin",
      headers: { "Accept": "application/json", "X-CSRF-Token": csrf() },
    };
    if (body) {
      options.headers["Content-Type"] = "application/json";
      options.body = JSON.stringify(Object.assign({ version: version }, body));
    } else if (version !== null) {
      url += "?version=" + version;
    }
    const response = await fetch(url, options);
    if (response.ok) { window.location.reload(); return; }
    let message = "操作失败（" + response.status + "）";
    try { message = (await response.json()).error.message; } catch (e) { /* keep the status */ }
    status.textContent = "错误：" + message;
    status.className = "save-status failed";
  }

  const base = "/api/evaluations/" + tools.dataset.id + "/indicators/";
  document.getElementById("row-up").addEventListener("click", function () { send("POST", base + chosen + "/move", { direction: "up" }); });
  document.getElementById("row-down").addEventListener("click", function () { send("POST", base + chosen + "/move", { direction: "down" }); });
  document.getElementById("row-delete").addEventListener("click", function () {
    if (chosen === null) return;
    if (!window.confirm("删除" + label.textContent + "？删除后得分和审核发现将重新计算。")) return;
    send("DELETE", base + chosen, null);
  });
})();
