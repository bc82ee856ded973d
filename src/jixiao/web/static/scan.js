/* The scanned page beside a table read by OCR: choosing a cell shows where it stands on the
   page, so the reviewer compares the two at a glance. */
"use strict";

function initScanView(view) {
  const boxes = JSON.parse(document.getElementById("scan-boxes").textContent);
  const image = view.querySelector("img");
  const mark = view.querySelector(".scan-box");
  const pageNo = view.querySelector(".page-no");
  const enlarge = view.querySelector(".enlarge");
  const frame = view.querySelector(".scan-frame");
  const base = view.dataset.base;
  let shown = null;

  function placeOf(path) {
    let key = path || "";
    while (true) {  // "indicators[5].score" → "indicators[5]" → "indicators" → ""
      if (boxes[key]) return boxes[key];
      if (!key) return null;
      const cut = Math.max(key.lastIndexOf("."), key.lastIndexOf("["));
      key = cut > 0 ? key.slice(0, cut) : "";
    }
  }

  function draw() {
    if (!shown || !image.naturalWidth) return;
    const scale = image.clientWidth / image.naturalWidth;
    const [x0, top, x1, bottom] = shown.box;
    mark.style.left = x0 * scale - 3 + "px";
    mark.style.top = top * scale - 3 + "px";
    mark.style.width = (x1 - x0) * scale + 6 + "px";
    mark.style.height = (bottom - top) * scale + 6 + "px";
    mark.hidden = false;
    frame.scrollTop = Math.max(0, top * scale - frame.clientHeight / 3);
  }

  function show(place) {
    if (!place) return;
    shown = place;
    const url = base + place.page + ".png";
    pageNo.textContent = place.page;
    enlarge.href = url;
    if (image.getAttribute("src") !== url) {
      mark.hidden = true;
      image.src = url;  // drawn once it has loaded
    } else {
      draw();
    }
  }

  image.addEventListener("load", draw);
  window.addEventListener("resize", draw);
  document.addEventListener("focusin", function (event) {
    const cell = event.target.closest("[data-path]");
    if (cell) show(placeOf(cell.dataset.path));
  });
  document.addEventListener("click", function (event) {
    const cell = event.target.closest("[data-path]");
    if (cell) show(placeOf(cell.dataset.path));
  });
  view.querySelector(".toggle").addEventListener("click", function () {
    const folded = view.classList.toggle("folded");
    this.textContent = folded ? "展开" : "收起";
  });
  show(boxes[""] || Object.values(boxes)[0]);
}

document.addEventListener("DOMContentLoaded", function () {
  const view = document.getElementById("scan-view");
  if (view) initScanView(view);
});
