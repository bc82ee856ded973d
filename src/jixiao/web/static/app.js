/* jixiao pages: small helpers, no libraries. */
"use strict";

/** Call the JSON API with the session's CSRF token; throws an Error carrying the Chinese message. */
async function api(method, url, body) {
  const meta = document.querySelector('meta[name="csrf-token"]');
  const headers = { "Accept": "application/json", "X-CSRF-Token": meta ? meta.content : "" };
  const options = { method: method, headers: headers, credentials: "same-origin" };
  if (body instanceof FormData) {
    options.body = body;  // multipart: the browser sets the Content-Type with its boundary
  } else if (body !== undefined) {
    headers["Content-Type"] = "application/json";
    options.body = JSON.stringify(body);
  }
  const response = await fetch(url, options);
  const text = await response.text();
  let data = null;
  try { data = text ? JSON.parse(text) : null; } catch (e) { data = null; }
  if (!response.ok) {
    const message = data && data.error ? data.error.message : "请求失败（" + response.status + "）";
    const error = new Error(message);
    error.status = response.status;
    error.data = data;
    throw error;
  }
  return data;
}

/** A step that may ask first (409 "confirm": 公开, approving with findings still to change,
 *  submitting with errors): the server's question to the person, and the step sent again
 *  confirmed; null when the person says no. */
async function confirmedApi(method, url, body) {
  try {
    return await api(method, url, body);
  } catch (error) {
    const code = error.data && error.data.error ? error.data.error.code : null;
    if (error.status !== 409 || code !== "confirm") throw error;
    if (!window.confirm(error.message)) return null;
    return api(method, url, Object.assign({}, body, { confirm: true }));
  }
}

function setStatus(element, text, kind) {
  if (!element) return;
  element.textContent = text;
  element.className = "save-status" + (kind ? " " + kind : "");
}

/* ---- the evaluation page: edit in place, re-render the form from the server ---- */

function cellValue(edit) {
  let text = edit.innerText.replace(/\u00a0/g, " ").replace(/\n+$/, "");
  if (edit.dataset.number) {
    const plain = text.trim().replace(/[,，]/g, "").replace(/%$/, "");
    if (plain === "") return null;
    if (/^[-+]?\d+(\.\d+)?$/.test(plain)) return Number(plain);
    return text.trim();  // the server says what is wrong with it
  }
  return text.trim() === "" ? null : text;
}

function isDirty(edit) {
  return edit.innerText.replace(/\n+$/, "") !== (edit.dataset.original || "");
}

function caretOffset(element) {
  const selection = window.getSelection();
  if (!selection || selection.rangeCount === 0) return null;
  const range = selection.getRangeAt(0);
  if (!element.contains(range.endContainer)) return null;
  const before = range.cloneRange();
  before.selectNodeContents(element);
  before.setEnd(range.endContainer, range.endOffset);
  return before.toString().length;
}

function placeCaret(element, offset) {
  element.focus();
  const selection = window.getSelection();
  if (!selection) return;
  const range = document.createRange();
  let remaining = offset === null ? element.textContent.length : offset;
  const walker = document.createTreeWalker(element, NodeFilter.SHOW_TEXT);
  let node = walker.nextNode();
  while (node) {
    if (remaining <= node.length) { range.setStart(node, remaining); break; }
    remaining -= node.length;
    node = walker.nextNode();
  }
  if (!node) { range.selectNodeContents(element); range.collapse(false); } else { range.collapse(true); }
  selection.removeAllRanges();
  selection.addRange(range);
}

function editOf(area, path) {
  const cell = area.querySelector('td[data-path="' + CSS.escape(path) + '"]');
  return cell ? cell.querySelector(".edit") : null;
}

/** Put the freshly rendered form in place, keeping what the user is typing and where. */
function swapForm(html) {
  const old = document.getElementById("form-area");
  const active = document.activeElement;
  const activeCell = active && active.classList && active.classList.contains("edit") ? active.closest("td") : null;
  const activePath = activeCell ? activeCell.dataset.path : null;
  const caret = activeCell ? caretOffset(active) : null;
  const kept = [];
  old.querySelectorAll(".edit").forEach(function (edit) {
    if (isDirty(edit) || edit.classList.contains("save-error") || edit.classList.contains("saving")) {
      kept.push({ path: edit.closest("td").dataset.path, text: edit.innerText, original: edit.dataset.original,
                  classes: edit.className, title: edit.title });
    }
  });
  const template = document.createElement("template");
  template.innerHTML = html.trim();
  const fresh = template.content.firstElementChild;
  old.replaceWith(fresh);
  kept.forEach(function (item) {
    const edit = editOf(fresh, item.path);
    if (!edit) return;
    edit.innerText = item.text;
    if (item.classes.indexOf("save-error") >= 0) {
      edit.dataset.original = item.original;
      edit.classList.add("save-error");
      edit.title = item.title;
    }
    if (isDirty(edit)) edit.classList.add("dirty");
  });
  if (activePath) {
    const edit = editOf(fresh, activePath);
    if (edit) placeCaret(edit, caret);
  }
}

function initEvaluation(root) {
  const id = root.dataset.id;
  const status = document.getElementById("save-status");
  let queue = Promise.resolve();

  async function refresh() {
    // the same part of a big table's indicators as the page (?page=N)
    const response = await fetch("/evaluations/" + id + "/table" + window.location.search, { credentials: "same-origin" });
    if (!response.ok) throw new Error("无法刷新表格（" + response.status + "）");
    swapForm(await response.text());
  }

  /* Someone saved this table since the form was drawn (the server refuses the version the
     page sent, 409): redraw the form with their changes, keep what this user typed, and
     say whether this very cell changed under them. The message, for the status line. */
  async function conflicted(path, before) {
    await refresh();
    const current = editOf(document, path);
    const now = current ? current.dataset.original || "" : before;
    const message = now !== before
      ? "此单元格刚被他人改为“" + now + "”，您的修改未保存（仍留在单元格中）：请核对后再次保存"
      : "这张表刚被他人修改，已刷新为最新内容；您的修改未保存（仍留在单元格中），请再次保存";
    if (current) {
      current.classList.add("save-error");
      current.title = message;
    }
    return message;
  }

  /* A field set at budget time (data-reason) is corrected only with a reason, asked in a
     dialog that shows 原 → 新; resolves to the reason, or null when none was given. */
  function askReason(edit) {
    const dialog = document.getElementById("reason-dialog");
    if (!dialog) return Promise.resolve(null);
    const cell = edit.closest("td");
    dialog.querySelector(".field").textContent = cell.dataset.label || "该字段";
    dialog.querySelector(".was").textContent = edit.dataset.original || "（空）";
    dialog.querySelector(".now").textContent = edit.innerText.trim() || "（空）";
    const text = dialog.querySelector("textarea");
    text.value = "";
    dialog.returnValue = "";
    return new Promise(function (resolve) {
      dialog.addEventListener("close", function () {
        resolve(dialog.returnValue === "ok" && text.value.trim() ? text.value.trim() : null);
      }, { once: true });
      dialog.showModal();
      text.focus();
    });
  }

  async function save(edit) {
    let reason = "";
    if (edit.dataset.reason) {
      reason = await askReason(edit);
      if (reason === null) {
        edit.innerText = edit.dataset.original || "";
        edit.classList.remove("dirty");
        setStatus(status, "未更正：更正预算编制时确定的数据须写明原因", "failed");
        return queue;
      }
    }
    return saveWith(edit, reason);
  }

  function saveWith(edit, reason) {
    const cell = edit.closest("td");
    const value = cellValue(edit);
    const typed = edit.innerText.replace(/\n+$/, "");
    const before = edit.dataset.original || "";
    const changes = [{ path: cell.dataset.path, value: value }];
    (cell.dataset.also || "").split(" ").filter(Boolean).forEach(function (path) {
      changes.push({ path: path, value: value });
    });
    edit.classList.add("saving");
    setStatus(status, "保存中…", "saving");
    queue = queue.then(async function () {
      try {
        // the version of the form this edit was made on: a table changed since is refused
        const version = Number(document.getElementById("form-area").dataset.version);
        const body = { changes: changes, version: version };
        if (reason) body.reason = reason;
        await api("PATCH", "/api/evaluations/" + id, body);
        const current = editOf(document, cell.dataset.path);
        if (current) {
          current.classList.remove("saving", "save-error", "dirty");
          current.title = "";
          if (current.innerText.replace(/\n+$/, "") === typed) current.dataset.original = typed;
        }
        await refresh();
        setStatus(status, "已保存", "saved");
      } catch (error) {
        if (error.status === 409 && error.data && error.data.error && error.data.error.code === "conflict") {
          try {
            setStatus(status, await conflicted(cell.dataset.path, before), "failed");
            return;
          } catch (refreshError) {
            error = refreshError;
          }
        }
        const current = editOf(document, cell.dataset.path) || edit;
        current.classList.remove("saving");
        current.classList.add("save-error");
        current.title = error.message;
        setStatus(status, "错误：" + error.message, "failed");
      }
    });
    return queue;
  }

  root.addEventListener("focusout", function (event) {
    const edit = event.target.closest ? event.target.closest(".edit") : null;
    if (edit && isDirty(edit)) save(edit);
  });
  root.addEventListener("input", function (event) {
    const edit = event.target.closest ? event.target.closest(".edit") : null;
    if (edit) edit.classList.toggle("dirty", isDirty(edit));
  });
  root.addEventListener("keydown", function (event) {
    const edit = event.target.closest ? event.target.closest(".edit") : null;
    if (!edit) return;
    if (event.key === "Enter" && !event.shiftKey) { event.preventDefault(); edit.blur(); }
    if (event.key === "Escape") {
      edit.innerText = edit.dataset.original || "";
      edit.classList.remove("dirty", "save-error");
      edit.blur();
    }
  });
  /* The reviewer's decision on a finding (需修改 / 已核实无误 / 可忽略, with the comment typed
     beside it): saved, then the form redrawn with it; pressing the chosen one again withdraws it. */
  root.addEventListener("click", async function (event) {
    const button = event.target.closest ? event.target.closest(".decide button[data-decision]") : null;
    if (!button) return;
    const box = button.closest(".decide");
    const comment = box.querySelector(".decide-comment");
    const again = button.getAttribute("aria-pressed") === "true";
    box.querySelectorAll("button").forEach(function (b) { b.disabled = true; });
    setStatus(status, "保存中…", "saving");
    try {
      await api("PUT", "/api/evaluations/" + id + "/findings/" + box.dataset.finding + "/decision",
                { decision: again ? null : button.dataset.decision, comment: comment ? comment.value : "" });
      await refresh();
      setStatus(status, again ? "已撤销处理" : "已记录：" + button.textContent, "saved");
    } catch (error) {
      box.querySelectorAll("button").forEach(function (b) { b.disabled = false; });
      setStatus(status, "错误：" + error.message, "failed");
    }
  });

  /* A note on any cell: choose the cell, write, add (the page reloads with it). */
  const noteTarget = document.getElementById("note-target");
  let notePath = null;
  root.addEventListener("click", function (event) {
    const cell = event.target.closest ? event.target.closest("#evaluation-form td[data-path]") : null;
    if (!cell || !noteTarget) return;
    document.querySelectorAll("#evaluation-form td.selected").forEach(function (c) { c.classList.remove("selected"); });
    cell.classList.add("selected");
    notePath = cell.dataset.path;
    noteTarget.textContent = cell.dataset.label || cell.dataset.path;
  });
  const noteForm = document.getElementById("note-form");
  if (noteForm) {
    noteForm.addEventListener("submit", async function (event) {
      event.preventDefault();
      const text = document.getElementById("note-text").value.trim();
      const noteStatus = document.getElementById("note-status");
      if (!notePath) { setStatus(noteStatus, "请先在表中点选一个单元格", "failed"); return; }
      if (!text) { setStatus(noteStatus, "批注不能为空", "failed"); return; }
      setStatus(noteStatus, "保存中…", "saving");
      try {
        await api("POST", "/api/evaluations/" + id + "/comments", { text: text, path: notePath });
        window.location.reload();
      } catch (error) {
        setStatus(noteStatus, "错误：" + error.message, "failed");
      }
    });
  }

  root.addEventListener("click", function (event) {
    const link = event.target.closest ? event.target.closest("a.goto") : null;
    if (!link) return;
    const cell = document.getElementById(link.dataset.cell);
    if (!cell) return;
    cell.classList.add("flash");
    setTimeout(function () { cell.classList.remove("flash"); }, 1500);
    const edit = cell.querySelector(".edit");
    if (edit) setTimeout(function () { placeCaret(edit, null); }, 0);
  });

  const workflow = document.getElementById("workflow-form");
  if (workflow) {
    const comment = document.getElementById("workflow-comment");
    const workflowStatus = document.getElementById("workflow-status");
    workflow.addEventListener("click", async function (event) {
      const button = event.target.closest("button.step");
      if (!button) return;
      const text = comment.value.trim();
      if (button.dataset.needsComment === "true" && !text) {
        setStatus(workflowStatus, "请先在意见栏写明退回原因", "failed");
        comment.focus();
        return;
      }
      button.disabled = true;
      setStatus(workflowStatus, "提交中…", "saving");
      try {
        await queue;  // edits first
        const done = await confirmedApi("POST", "/api/evaluations/" + id + "/transitions", { to: button.dataset.to, comment: text });
        if (done === null) {
          setStatus(workflowStatus, "已取消", "");
          button.disabled = false;
          return;
        }
        window.location.reload();
      } catch (error) {
        setStatus(workflowStatus, "错误：" + error.message, "failed");
        button.disabled = false;
      }
    });
  }

  const commentForm = document.getElementById("comment-form");
  if (commentForm) {
    commentForm.addEventListener("submit", async function (event) {
      event.preventDefault();
      const text = document.getElementById("comment-text").value.trim();
      const commentStatus = document.getElementById("comment-status");
      if (!text) { setStatus(commentStatus, "意见不能为空", "failed"); return; }
      setStatus(commentStatus, "发表中…", "saving");
      try {
        await api("POST", "/api/evaluations/" + id + "/comments", { text: text });
        window.location.reload();
      } catch (error) {
        setStatus(commentStatus, "错误：" + error.message, "failed");
      }
    });
  }
}

/* ---- the 待审核 inbox: the same step for the chosen tables, one comment ---- */

function initBatch(form) {
  const boxes = function () { return Array.from(form.querySelectorAll('input[name="ids"]')); };
  const all = document.getElementById("batch-all");
  const count = document.getElementById("batch-count");
  const status = document.getElementById("batch-status");
  const results = document.getElementById("batch-results");
  const comment = document.getElementById("batch-comment");
  function chosen() { return boxes().filter(function (b) { return b.checked; }).map(function (b) { return Number(b.value); }); }
  function show() { if (count) count.textContent = String(chosen().length); }
  if (all) all.addEventListener("change", function () { boxes().forEach(function (b) { b.checked = all.checked; }); show(); });
  form.addEventListener("change", show);
  form.addEventListener("click", async function (event) {
    const button = event.target.closest ? event.target.closest("button.batch-step") : null;
    if (!button) return;
    const ids = chosen();
    if (!ids.length) { setStatus(status, "请先勾选自评表", "failed"); return; }
    const text = comment ? comment.value.trim() : "";
    if (button.dataset.to === "returned" && !text) {
      setStatus(status, "请先在意见栏写明退回原因", "failed");
      if (comment) comment.focus();
      return;
    }
    form.querySelectorAll("button.batch-step").forEach(function (b) { b.disabled = true; });
    setStatus(status, "处理中…", "saving");
    try {
      const body = await confirmedApi("POST", "/api/review/transitions", { ids: ids, to: button.dataset.to, comment: text });
      if (body === null) { setStatus(status, "已取消", ""); return; }
      const failed = body.results.filter(function (r) { return !r.ok; });
      results.textContent = "";
      failed.forEach(function (r) {
        const item = document.createElement("li");
        item.textContent = "自评表 " + r.id + "：" + r.message;
        results.appendChild(item);
      });
      const text2 = "已完成 " + body.done + " 张" + (failed.length ? "，" + failed.length + " 张未完成（见下）" : "");
      try { sessionStorage.setItem("jixiao-flash", text2); } catch (e) { /* private mode */ }
      if (!failed.length) { window.location.reload(); return; }
      setStatus(status, text2, "failed");
    } catch (error) {
      setStatus(status, "错误：" + error.message, "failed");
    } finally {
      form.querySelectorAll("button.batch-step").forEach(function (b) { b.disabled = false; });
    }
  });
  show();
}

/* ---- the upload page: many files or a zip, with progress and a result per file ---- */

const RESULT_LABELS = { imported: "已导入", exists: "已存在", failed: "失败" };
const BATCH_FILES = 100;               // files per upload request (a batch job takes them all)
const BATCH_BYTES = 32 * 1024 * 1024;  // and at most this many bytes (one bigger file alone)
const POLL_MS = 1000;                  // how often the page asks the job for news

function resultRow(result) {
  const row = document.createElement("tr");
  const file = document.createElement("td");
  file.textContent = result.file;
  const state = document.createElement("td");
  state.textContent = RESULT_LABELS[result.status] || result.status;
  state.className = "result-" + result.status;
  const message = document.createElement("td");
  message.textContent = result.message || "";
  const links = document.createElement("td");
  (result.evaluations || []).forEach(function (evaluationId, k) {
    const link = document.createElement("a");
    link.href = "/evaluations/" + evaluationId;
    link.textContent = "表" + (k + 1);
    links.appendChild(link);
    links.appendChild(document.createTextNode(" "));
  });
  row.append(file, state, message, links);
  return row;
}

/** How far a background job is, in words: 已完成 3 / 10 项（失败 1）. */
function jobProgress(job) {
  const failed = job.failed ? "，失败 " + job.failed + " 个" : "";
  if (job.state === "finished") return "完成：" + job.total + " 个文件" + failed;
  if (job.waiting) return "共 " + job.total + " 个文件，" + job.waiting;
  if (job.state === "queued") return "排队等待后台处理：共 " + job.total + " 个文件";
  return "后台导入中：已完成 " + job.settled + " / " + job.total + " 个文件" + failed;
}

/** The user's latest import batches, each a link that shows its results again. */
async function showRecentImports(list, current) {
  if (!list) return;
  let data;
  try { data = await api("GET", "/api/jobs?kind=import&limit=10"); } catch (e) { return; }
  list.textContent = "";
  data.jobs.forEach(function (job) {
    const item = document.createElement("li");
    const link = document.createElement("a");
    link.href = "/upload?job=" + job.id;
    link.textContent = job.title;
    if (job.id === current) link.setAttribute("aria-current", "true");
    const when = document.createElement("span");
    when.className = "hint";
    when.textContent = "（" + job.created_at.replace("T", " ") + " UTC，" + jobProgress(job) + "）";
    item.append(link, " ", when);
    list.appendChild(item);
  });
  if (!data.jobs.length) list.innerHTML = '<li class="hint">尚无导入记录。</li>';
}

function initUpload(form) {
  const input = document.getElementById("upload-files");
  const zone = document.getElementById("drop-zone");
  const chosen = document.getElementById("chosen");
  const progress = document.getElementById("upload-progress");
  const status = document.getElementById("upload-status");
  const button = document.getElementById("upload-button");
  const results = document.querySelector("#upload-results tbody");
  const recent = document.getElementById("recent-imports");
  let files = [];

  function show() {
    chosen.textContent = "";
    files.forEach(function (file) {
      const item = document.createElement("li");
      item.textContent = file.name + "（" + Math.ceil(file.size / 1024) + " KB）";
      chosen.appendChild(item);
    });
  }
  input.addEventListener("change", function () { files = Array.from(input.files); show(); });
  ["dragenter", "dragover"].forEach(function (name) {
    zone.addEventListener(name, function (event) { event.preventDefault(); zone.classList.add("over"); });
  });
  ["dragleave", "drop"].forEach(function (name) {
    zone.addEventListener(name, function (event) { event.preventDefault(); zone.classList.remove("over"); });
  });
  zone.addEventListener("drop", function (event) {
    files = files.concat(Array.from(event.dataTransfer.files));
    show();
  });
  zone.addEventListener("keydown", function (event) {
    if (event.key === "Enter" || event.key === " ") { event.preventDefault(); input.click(); }
  });

  /* The files go up in a few requests (a zip alone); each returns at once with the batch
     job, which imports them in the background. The page then asks the job for the results
     settled since the last it shows; the address names the job, so a reload (or coming
     back later) shows the same batch. */
  function batches(list) {
    const out = [];
    let current = [], size = 0;
    list.forEach(function (file) {
      const zip = /\.zip$/i.test(file.name);
      if (current.length && (zip || current.length >= BATCH_FILES || size + file.size > BATCH_BYTES)) {
        out.push(current); current = []; size = 0;
      }
      current.push(file); size += file.size;
      if (zip) { out.push(current); current = []; size = 0; }
    });
    if (current.length) out.push(current);
    return out;
  }

  function send(batch, job, onProgress) {
    return new Promise(function (resolve, reject) {
      const data = new FormData();
      batch.forEach(function (file) { data.append("files", file, file.name); });
      const unit = document.getElementById("upload-unit");
      if (unit && unit.value.trim()) data.append("unit", unit.value.trim());
      if (job !== null) data.append("job", String(job));
      const xhr = new XMLHttpRequest();
      xhr.open("POST", "/api/imports");
      xhr.setRequestHeader("X-CSRF-Token", document.querySelector('meta[name="csrf-token"]').content);
      xhr.setRequestHeader("Accept", "application/json");
      xhr.upload.addEventListener("progress", function (e) { if (e.lengthComputable) onProgress(e.loaded); });
      xhr.addEventListener("load", function () {
        let body = null;
        try { body = JSON.parse(xhr.responseText); } catch (e) { body = null; }
        if (xhr.status >= 400 || !body) {
          reject(new Error(body && body.error ? body.error.message : "上传失败（" + xhr.status + "）"));
        } else {
          resolve(body);
        }
      });
      xhr.addEventListener("error", function () { reject(new Error("网络中断，上传未完成")); });
      xhr.send(data);
    });
  }

  let following = null;  // the job shown: {id, last position shown, timer}

  function follow(jobId) {
    if (following && following.timer) clearTimeout(following.timer);
    following = { id: jobId, last: -1, timer: null, sending: false };
    results.textContent = "";
    const url = new URL(window.location.href);
    url.searchParams.set("job", String(jobId));
    window.history.replaceState(null, "", url.toString());
    poll();
  }

  async function poll() {
    const mine = following;
    if (!mine) return;
    let job;
    try {
      job = await api("GET", "/api/jobs/" + mine.id + "?after=" + mine.last);
    } catch (error) {
      if (error.status === 404) { setStatus(status, "错误：" + error.message, "failed"); return; }
      mine.timer = setTimeout(poll, POLL_MS * 3);  // the server is away for a moment
      return;
    }
    if (following !== mine) return;
    job.items.forEach(function (item) {
      results.appendChild(resultRow(item));
      mine.last = Math.max(mine.last, item.position);
    });
    progress.hidden = false;
    progress.value = job.total ? Math.round(job.settled * 100 / job.total) : 0;
    const done = job.state === "finished" && !mine.sending;
    setStatus(status, jobProgress(job), done ? (job.failed ? "failed" : "saved") : "saving");
    if (done) {
      showRecentImports(recent, mine.id);
    } else {
      mine.timer = setTimeout(poll, POLL_MS);
    }
  }

  form.addEventListener("submit", async function (event) {
    event.preventDefault();
    if (!files.length) { setStatus(status, "请先选择文件", "failed"); return; }
    const total = files.reduce(function (sum, file) { return sum + file.size; }, 0) || 1;
    let sent = 0, job = null;
    progress.hidden = false;
    progress.value = 0;
    button.disabled = true;
    results.textContent = "";
    try {
      for (const batch of batches(files)) {
        if (job === null) setStatus(status, "正在上传…", "saving");
        const answer = await send(batch, job, function (loaded) {
          if (job === null) progress.value = Math.round((sent + loaded) * 100 / total);
        });
        sent += batch.reduce(function (sum, file) { return sum + file.size; }, 0);
        if (job === null) {
          job = answer.id;
          follow(job);
          following.sending = true;
          showRecentImports(recent, job);
        }
      }
      if (following) following.sending = false;
      files = [];
      input.value = "";
      show();
    } catch (error) {
      if (following) following.sending = false;
      setStatus(status, "错误：" + error.message + (job === null ? "" : "（已上传的文件照常导入，结果见下表）"), "failed");
    } finally {
      button.disabled = false;
    }
  });

  const asked = new URL(window.location.href).searchParams.get("job");
  if (asked && /^\d+$/.test(asked)) follow(Number(asked));
  showRecentImports(recent, asked ? Number(asked) : null);
}

/* ---- the settings page: the latest rescore of every table, followed until it ends ---- */

async function initRescore(section) {
  const status = document.getElementById("rescore-status");
  const progress = document.getElementById("rescore-progress");
  let data;
  try { data = await api("GET", "/api/jobs?kind=rescore&limit=1"); } catch (e) { setStatus(status, "无法读取复算进度：" + e.message, "failed"); return; }
  const job = data.jobs[0];
  if (!job) { setStatus(status, "尚未进行过全部复算。", ""); return; }
  const who = job.user ? job.user + "，" : "";
  const when = "（" + who + job.created_at.replace("T", " ") + " UTC 开始）";
  const reason = job.reason ? "原因：" + job.reason + "。" : "";
  progress.hidden = false;
  progress.value = job.total ? Math.round(job.settled * 100 / job.total) : 100;
  if (job.state === "finished") {
    const failed = job.failed ? "，其中 " + job.failed + " 批出错（见服务器日志）" : "";
    setStatus(status, reason + "已完成" + when + "：共 " + job.total + " 批" + failed + "。", job.failed ? "failed" : "saved");
    return;
  }
  let doing = job.state === "queued" ? "排队等待后台处理" : "进行中：已复算 " + job.settled + " / " + job.total + " 批";
  if (job.waiting) doing += "；" + job.waiting;
  setStatus(status, reason + doing + when + "。", "saving");
  setTimeout(function () { initRescore(section); }, POLL_MS * 2);
}

/* ---- the export page: start an export, follow the latest ones, download when made ---- */

async function showExports(table) {
  let data;
  try { data = await api("GET", "/api/jobs?kind=export&limit=10"); } catch (e) { return; }
  const body = table.querySelector("tbody");
  body.textContent = "";
  let running = false;
  data.jobs.forEach(function (job) {
    const row = document.createElement("tr");
    const cells = [job.title, job.created_at.replace("T", " ")];
    if (job.state === "finished") {
      cells.push("已完成");
    } else {
      running = true;
      cells.push(job.state === "queued" ? "排队等待" : "已完成 " + job.settled + " / " + job.total + " 批");
    }
    cells.push(job.waiting || (job.failed ? job.failed + " 批有表未能生成（见服务器日志）" : ""));
    cells.forEach(function (text) { const cell = document.createElement("td"); cell.textContent = text; row.appendChild(cell); });
    const link = document.createElement("td");
    if (job.state === "finished") {
      const a = document.createElement("a");
      a.href = "/api/jobs/" + job.id + "/download";
      a.textContent = "下载 zip";
      link.appendChild(a);
    }
    row.appendChild(link);
    body.appendChild(row);
  });
  if (!data.jobs.length) body.innerHTML = '<tr class="empty"><td colspan="5">尚无导出。</td></tr>';
  if (running) setTimeout(function () { showExports(table); }, POLL_MS * 2);
}

function initExport(form) {
  const table = document.getElementById("export-jobs");
  const status = document.getElementById("export-status");
  form.addEventListener("submit", async function (event) {
    event.preventDefault();
    const data = new FormData();
    Array.from(form.elements).forEach(function (field) {
      if (field.type === "submit") return;
      if (field.name && field.value.trim() !== "") data.append(field.name, field.value.trim());
    });
    // the list page's buttons: each names its format, the hidden fields carry the filters
    if (event.submitter && event.submitter.name) {
      data.set(event.submitter.name, event.submitter.value);
    }
    setStatus(status, "正在提交…", "saving");
    try {
      const job = await api("POST", "/api/exports", data);
      setStatus(status, "已开始：" + job.title + "，共 " + job.total + " 批", "saved");
      if (form.dataset.next) { window.location.href = form.dataset.next; return; }
      showExports(table);
    } catch (error) {
      setStatus(status, "错误：" + error.message, "failed");
    }
  });
  if (table) showExports(table);
}

/* ---- admin forms: a form[data-api] calls the API and reloads the page on success (or
   goes to data-next: a deleted table's page is gone) ---- */

/** The form's fields as JSON: empty fields left out (or null with data-null-if-empty),
 *  data-type="bool" as true/false; controls outside the form join it by form="id". */
function formJson(form) {
  const body = {};
  Array.from(form.elements).forEach(function (field) {
    if (!field.name || field.disabled || field.name === "csrf_token") return;
    if (field.type === "submit" || field.type === "button") return;
    let value = field.type === "checkbox" ? field.checked : field.value;
    if (field.dataset.type === "bool") value = value === true || value === "true";
    else if (typeof value === "string" && value.trim() === "") {
      if (field.dataset.nullIfEmpty === undefined) return;
      value = null;
    }
    body[field.name] = value;
  });
  return body;
}

function formData(form) {
  const data = new FormData();
  Array.from(form.elements).forEach(function (field) {
    if (!field.name || field.disabled || field.name === "csrf_token") return;
    if (field.type === "file") {
      Array.from(field.files).forEach(function (file) { data.append(field.name, file, file.name); });
    } else if (field.type !== "submit" && field.type !== "button" && field.value !== "") {
      data.append(field.name, field.value);
    }
  });
  return data;
}

function initApiForm(form) {
  form.addEventListener("submit", async function (event) {
    event.preventDefault();
    const status = form.querySelector(".save-status");
    if (form.dataset.confirm && !window.confirm(form.dataset.confirm)) return;
    const multipart = form.getAttribute("enctype") === "multipart/form-data";
    const button = form.querySelector("button[type=submit]");
    if (button) button.disabled = true;
    setStatus(status, "正在保存…", "saving");
    try {
      await api(form.dataset.method || "POST", form.dataset.api, multipart ? formData(form) : formJson(form));
      try { sessionStorage.setItem("jixiao-flash", form.dataset.done || "已保存"); } catch (e) { /* private mode */ }
      if (form.dataset.next) window.location.assign(form.dataset.next);  // the page is gone
      else window.location.reload();
    } catch (error) {
      setStatus(status, "错误：" + error.message, "failed");
      if (button) button.disabled = false;
    }
  });
}

function showFlash() {
  const flash = document.getElementById("flash");
  let text = null;
  try { text = sessionStorage.getItem("jixiao-flash"); sessionStorage.removeItem("jixiao-flash"); } catch (e) { text = null; }
  if (flash && text) { flash.textContent = text; flash.hidden = false; }
}

document.addEventListener("DOMContentLoaded", function () {
  document.querySelectorAll("form[data-api]").forEach(initApiForm);
  showFlash();
  const evaluation = document.getElementById("evaluation");
  if (evaluation && evaluation.dataset.editable !== undefined) initEvaluation(evaluation);
  const upload = document.getElementById("upload-form");
  if (upload) initUpload(upload);
  const rescore = document.getElementById("rescore");
  if (rescore) initRescore(rescore);
  const exporting = document.getElementById("export-form");
  if (exporting) initExport(exporting);
  const listExport = document.getElementById("list-export");
  if (listExport) initExport(listExport);
  const batch = document.getElementById("batch-form");
  if (batch) initBatch(batch);
});
