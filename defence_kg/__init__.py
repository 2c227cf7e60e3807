"""defence-kg: a sourced knowledge graph of EU-NATO-US defence relationships.

The repository's top-level folders are installed as subpackages of this namespace:
``graph/`` is ``defence_kg.graph``, ``api/`` is ``defence_kg.api``, and so on.
"""

__version__ = "0.1.0"
