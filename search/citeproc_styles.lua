--[[
Several citeproc renderings in one pandoc run: search/cite.py's `_run_pandoc` runs pandoc with
this filter so that a whole cite panel (every style's bibliography entry and a note style's
note form) costs one process, not one per style.

The document's metadata `podium-jobs` names a JSON file: a list of jobs, each
`{"csl": path, "bibliography": path, "markdown": text, "notes": bool}`. Each job's markdown
(pandoc's stub document: `nocite: '@*'` for bibliography entries, one citation per paragraph
for notes) is rendered by citeproc on its own, with its own style and items. The output is the
jobs in order, each after a JOB_SEPARATOR comment (cite.py splits on it; scraped text never
reaches the HTML unescaped, so no data can forge one). A notes job gives each citation's note
as a bibliography entry would come: a `csl-entry` div with the id `ref-<item id>`.
]]

local JOB_SEPARATOR = "<!-- podium-job -->" -- cite.py's _JOB_SEPARATOR

local function read_jobs(path)
  local file = assert(io.open(path, "r"))
  local jobs = pandoc.json.decode(file:read("a"))
  file:close()
  return jobs
end

-- Each citation's note, shaped like a bibliography entry.
local function notes_as_entries(blocks)
  local entries = pandoc.Blocks({})
  blocks:walk({
    Cite = function(cite)
      cite.content:walk({
        Note = function(note)
          local inlines = pandoc.utils.blocks_to_inlines(note.content)
          local id = "ref-" .. cite.citations[1].id
          entries:insert(pandoc.Div(pandoc.Plain(inlines), pandoc.Attr(id, { "csl-entry" })))
        end,
      })
    end,
  })
  return entries
end

function Pandoc(doc)
  local out = pandoc.Blocks({})
  for _, job in ipairs(read_jobs(pandoc.utils.stringify(doc.meta["podium-jobs"]))) do
    local stub = pandoc.read(job.markdown, "markdown")
    stub.meta.csl = job.csl
    stub.meta.bibliography = job.bibliography
    local ok, rendered = pcall(pandoc.utils.citeproc, stub)
    if not ok then -- citeproc's own message, as `pandoc --citeproc` gives it (a broken style)
      io.stderr:write(tostring(rendered), "\n")
      os.exit(1)
    end
    out:insert(pandoc.RawBlock("html", JOB_SEPARATOR))
    out:extend(job.notes and notes_as_entries(rendered.blocks) or rendered.blocks)
  end
  return pandoc.Pandoc(out)
end
