"""Answering queries: guards, runners with time limits and row caps, result formats and the answer
cache. May import graph.queries and graph.store.
"""
