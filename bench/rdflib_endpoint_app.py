"""rdflib-endpoint serving an N-Quads export, for bench/bench_service.py (not shipped code).

DATA=export.nq uvicorn bench.rdflib_endpoint_app:app
"""

from __future__ import annotations

import os

from rdflib import Dataset
from rdflib_endpoint import SparqlEndpoint

dataset = Dataset(default_union=True)
dataset.parse(os.environ["DATA"], format="nquads")
app = SparqlEndpoint(graph=dataset, path="/sparql", cors_enabled=False)
