"""Reports and the static site: view models, Jinja templates, charts, maps, translations."""
