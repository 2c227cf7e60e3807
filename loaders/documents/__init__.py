"""Document loading: source files -> clean text -> sentences -> mentions -> relations -> graph.

Each stage is a small module with one `run()`-like function returning pydantic models:
`read` (bytes to text), `clean` (noise out, offsets kept), `split` (sentences), `mentions`
(gazetteer look-up and resolution), `relations` (rule-based extraction), `write` (RDF).
`pipeline` runs them with an explicit error policy: a bad file is reported, the others load.
"""
