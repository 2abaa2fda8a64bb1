// Progressive enhancement for Podium's pages: copy buttons, speaker autocomplete, the style
// picker (it drives the cite panels and the export links) and the cite panel, which fetches a
// passage's citations when opened. Everything here is optional: the forms and links work
// without it, and the permalink page has every style.
"use strict";

document.addEventListener("click", (event) => {
  const button = event.target.closest("button.copy");
  if (!button) return;
  const text = button.dataset.copy || "";
  if (!button.dataset.label) button.dataset.label = button.textContent;
  const done = () => {
    button.textContent = "Copied";
    clearTimeout(button.copiedTimer);
    button.copiedTimer = setTimeout(() => { button.textContent = button.dataset.label; }, 1500);
  };
  if (navigator.clipboard && window.isSecureContext) {
    navigator.clipboard.writeText(text).then(done, () => fallbackCopy(text, done));
  } else {
    fallbackCopy(text, done);
  }
});

function fallbackCopy(text, done) {
  const area = document.createElement("textarea");
  area.value = text;
  area.setAttribute("readonly", "");
  area.style.position = "absolute";
  area.style.left = "-9999px";
  document.body.appendChild(area);
  area.select();
  try { document.execCommand("copy"); done(); } finally { area.remove(); }
}

const speakerInput = document.querySelector("[data-autocomplete=speakers]");
if (speakerInput) {
  const list = document.getElementById("speaker-list");
  let last = "";
  speakerInput.addEventListener("input", () => {
    const prefix = speakerInput.value.trim();
    if (prefix.length < 2 || prefix === last) return;
    last = prefix;
    fetch("/api/speakers?limit=10&prefix=" + encodeURIComponent(prefix))
      .then((r) => r.json())
      .then((data) => {
        list.replaceChildren();
        for (const speaker of data.speakers || []) {
          for (const name of speaker.names) {
            const option = document.createElement("option");
            option.value = name;
            list.appendChild(option);
          }
        }
      })
      .catch(() => {});
  });
}

const picker = document.querySelector("[data-style-picker]");

function pickedStyle() {
  return picker ? picker.value : "apa";
}

function element(tag, className, text) {
  const el = document.createElement(tag);
  if (className) el.className = className;
  if (text !== undefined) el.textContent = text;
  return el;
}

function copyButton(text, label) {
  const button = element("button", "copy", label);
  button.type = "button";
  button.dataset.copy = text;
  return button;
}

// One request for every style of the passage; the picked style first, with its copy button.
function loadCitations(panel) {
  const box = panel.querySelector("[data-citations]");
  const style = pickedStyle();
  if (!box || panel.dataset.loaded === style) return;
  panel.dataset.loaded = style;
  const url = "/api/passages/" + encodeURIComponent(panel.dataset.citeFor) + "/cite?style=all&also=" + encodeURIComponent(style);
  fetch(url)
    .then((r) => (r.ok ? r.json() : Promise.reject(r.status)))
    .then((data) => {
      const citations = data.citations || [];
      citations.sort((a, b) => (b.style === style) - (a.style === style));
      const list = element("dl", "cite-list");
      for (const c of citations) {
        const forms = c.note ? [[c.title + " — note", c.note], [c.title + " — bibliography", c.citation]] : [[c.title, c.citation]];
        for (const [title, text] of forms) {
          list.appendChild(element("dt", "", title));
          const dd = element("dd");
          const p = element("p", "citation", text);
          if (c.style === style) p.dataset.citationFor = panel.dataset.citeFor;
          dd.appendChild(p);
          dd.appendChild(copyButton(text, "Copy citation"));
          list.appendChild(dd);
        }
      }
      box.replaceChildren(list);
    })
    .catch(() => { panel.dataset.loaded = ""; });
}

document.querySelectorAll("details.cite[data-cite-for]").forEach((panel) => {
  panel.addEventListener("toggle", () => { if (panel.open) loadCitations(panel); });
});

if (picker) {
  picker.addEventListener("change", () => {
    const style = pickedStyle();
    document.querySelectorAll("a[data-export]").forEach((link) => {
      const url = new URL(link.getAttribute("href"), window.location.href);
      url.searchParams.set("style", style);
      link.setAttribute("href", url.pathname + url.search);
    });
    document.querySelectorAll("details.cite[data-cite-for]").forEach((panel) => {
      if (panel.open) loadCitations(panel);
    });
    const page = new URL(window.location.href);
    if (page.searchParams.toString()) {
      page.searchParams.set("style", style);
      history.replaceState(null, "", page.pathname + page.search);
    }
  });
}

// Facets sit behind a button on a phone; on a wide screen they start open beside the results.
const facets = document.querySelector("details.facets");
if (facets && window.matchMedia("(min-width: 48rem)").matches) facets.open = true;
