// Render CSL-JSON items with citeproc-js (through citation-js), the reference for
// tests/test_cite_citeproc_js.py.
//
//   node render.mjs INPUT.json            (make_expected.py runs this; see README.md)
//
// INPUT.json: {"items": [CSL-JSON item, ...], "styles": {name: "/path/to/style.csl", ...}}
// Prints JSON {style: {item_id: "bibliography entry as plain text"}}.
//
// Each style's XML is registered as a citation-js template under its name; each item is
// rendered in a Cite of its own, so entries never disambiguate against each other
// (no 2023a/2023b, no "———" for a repeated author). The text is printed exactly as
// citeproc-js gives it; any normalisation is done (and documented) in make_expected.py.

import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'

import { Cite, plugins } from '@citation-js/core'
import '@citation-js/plugin-csl'

const require = createRequire(import.meta.url)

const [input] = process.argv.slice(2)
if (!input) {
  console.error('usage: node render.mjs INPUT.json')
  process.exit(2)
}
const { items, styles } = JSON.parse(readFileSync(input, 'utf8'))

// plugin-csl 0.8 calls the register `styles`; the documented name is `templates`
const config = plugins.config.get('@csl')
const templates = config.templates ?? config.styles

const out = {
  _engine: {
    '@citation-js/core': require('@citation-js/core/package.json').version,
    '@citation-js/plugin-csl': require('@citation-js/plugin-csl/package.json').version,
    citeproc: require('citeproc/package.json').version
  }
}
for (const [name, path] of Object.entries(styles)) {
  templates.add(name, readFileSync(path, 'utf8'))
  out[name] = {}
  for (const item of items) {
    const cite = new Cite(structuredClone(item))
    out[name][item.id] = cite.format('bibliography', {
      format: 'text',
      template: name,
      lang: 'en-US'
    })
  }
}
process.stdout.write(JSON.stringify(out, null, 2) + '\n')
