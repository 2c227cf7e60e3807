"""Store backends (Oxigraph, Neo4j), store versions, pins and the write lock, the property-graph
mapping and the Neo4j server and sync. May import graph.queries only.
"""
