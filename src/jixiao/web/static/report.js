/* The report page's editor (生成报告): a contenteditable with 加粗 / 标题 / 列表, saved through
   the API, which keeps a few plain tags and checks the text against the table again; what the
   cross-check rules find is listed beside the editor. */
"use strict";

(function () {
  const root = document.getElementById("report");
  if (!root || root.dataset.editable !== "true") return;
  const editor = document.getElementById("report-text");
  const status = document.getElementById("report-status");
  const list = document.getElementById("report-findings");
  const none = document.getElementById("report-checks-none");
  const url = "/api/evaluations/" + root.dataset.id + "/report";
  const labels = { error: "错误", warning: "警告", info: "提示" };
  let dirty = false;

  function block() {
    const selection = window.getSelection();
    let node = selection && selection.rangeCount ? selection.anchorNode : null;
    while (node && node !== editor) {
      if (node.nodeType === 1 && /^(P|H2|H3|LI|DIV)$/.test(node.nodeName)) return node;
      node = node.parentNode;
    }
    return null;
  }

  const commands = {
    bold: function () { document.execCommand("bold"); },
    heading: function () {
      const current = block();
      const heading = current && /^H[23]$/.test(current.nodeName);
      document.execCommand("formatBlock", false, heading ? "p" : "h3");
    },
    list: function () { document.execCommand("insertUnorderedList"); },
  };

  root.querySelectorAll("[data-command]").forEach(function (button) {
    button.addEventListener("mousedown", function (event) { event.preventDefault(); });  // keep the selection
    button.addEventListener("click", function () {
      editor.focus();
      commands[button.dataset.command]();
      dirty = true;
    });
  });

  function show(findings) {
    list.textContent = "";
    findings.forEach(function (f) {
      const item = document.createElement("li");
      item.className = "sev-" + f.severity;
      const code = document.createElement("span");
      code.className = "mark sev-" + f.severity;
      code.textContent = f.code;
      const level = document.createElement("strong");
      level.textContent = labels[f.severity] || f.severity;
      item.append(code, " ", level, " " + f.message);
      if (f.advice) {
        const advice = document.createElement("small");
        advice.textContent = f.advice;
        item.append(document.createElement("br"), advice);
      }
      list.append(item);
    });
    none.hidden = findings.length > 0;
  }

  async function save() {
    setStatus(status, "正在保存并与自评表核对…", "saving");
    try {
      const body = await api("PUT", url, { html: editor.innerHTML, revision: Number(root.dataset.revision) });
      root.dataset.revision = body.revision;
      editor.innerHTML = body.html;  // as stored: kept to the allowed tags
      dirty = false;
      show(body.findings);
      const updated = document.getElementById("report-updated");
      if (updated) updated.textContent = body.updated_at.replace("T", " ");
      const found = body.findings.length;
      setStatus(status, found ? "已保存；与自评表核对发现 " + found + " 处不一致，见右侧" : "已保存；与自评表核对一致", found ? "failed" : "saved");
    } catch (error) {
      setStatus(status, "未保存：" + error.message, "failed");
    }
  }

  editor.addEventListener("input", function () { dirty = true; });
  document.getElementById("report-save").addEventListener("click", save);
  document.addEventListener("keydown", function (event) {
    if ((event.ctrlKey || event.metaKey) && event.key === "s") { event.preventDefault(); save(); }
  });
  window.addEventListener("beforeunload", function (event) {
    if (dirty) { event.preventDefault(); event.returnValue = ""; }
  });
  const redraft = document.getElementById("report-redraft");
  if (redraft) {
    redraft.addEventListener("submit", function (event) {
      const asked = "按自评表重新生成将重写全文，替换已编辑的文字。确定吗？";
      if (!window.confirm(asked)) { event.preventDefault(); return; }
      dirty = false;
    });
  }
})();
