"""Reading the graph for people: lookups, membership rows, overlaps, view and picture data,
document statements. May import graph.queries and graph.store.
"""
