// Progressive enhancement for Podium's pages: copy buttons, speaker autocomplete, style picker.
// Everything here is optional: the forms and links work without it.
"use strict";

document.addEventListener("click", (event) => {
  const button = event.target.closest("button.copy");
  if (!button) return;
  const text = button.dataset.copy || "";
  const done = () => { button.textContent = "Copied"; setTimeout(() => { button.textContent = "Copy"; }, 1500); };
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
if (picker) {
  picker.addEventListener("change", () => {
    const style = picker.value;
    document.querySelectorAll("[data-citation-for]").forEach((el) => {
      fetch("/api/passages/" + encodeURIComponent(el.dataset.citationFor) + "/cite?style=" + encodeURIComponent(style))
        .then((r) => r.json())
        .then((data) => {
          if (!data.citation) return;
          el.textContent = data.citation;
          const copy = el.parentElement.querySelector("button.copy");
          if (copy) copy.dataset.copy = data.citation;
        })
        .catch(() => {});
    });
  });
}
