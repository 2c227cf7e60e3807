"""Writing a new store version: building the reference graph, loading documents, SHACL validation.
May import every other graph subpackage.
"""
