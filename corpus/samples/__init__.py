"""Podium's bundled sample pages (`*.html`), installed as the package data of `podium.samples`
(pyproject.toml maps it onto corpus/samples/): `podium demo` reads them through
importlib.resources, so they are found in a wheel install as in a checkout.
`corpus/make_samples.py` writes them."""
