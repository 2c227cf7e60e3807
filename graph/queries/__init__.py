"""Query text: SPARQL and Cypher builders and the saved .rq queries. Imports nothing from the rest
of graph/; everything else may import it.
"""
