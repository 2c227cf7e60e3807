"""Rule families beyond the core cues of relations.py, one module per way texts state things:
enumerations and lists, accession phrasings ("became the Nth member", "signed the letter of
intent"), appositions, figures (funding and counts) and claims (overlap, duplication,
complementarity, cooperation), roles (who leads, what a group consists of) and lists paired by
"respectively", lists that complete the sentence before, and what states send to an operation
described or named before. Importing the
package registers its rules."""

# core and cues first: their rules were relations.py's own and keep their place in the order
from defence_kg.loaders.documents.rules import core, cues  # noqa: I001
from defence_kg.loaders.documents.rules import accession, appositions, claims, enumerations, figures, roles
from defence_kg.loaders.documents.rules import respectively
from defence_kg.loaders.documents.rules import leadins
from defence_kg.loaders.documents.rules import sequels
from defence_kg.loaders.documents.rules import contributions

__all__ = [
    "accession",
    "appositions",
    "claims",
    "contributions",
    "core",
    "cues",
    "enumerations",
    "figures",
    "leadins",
    "respectively",
    "roles",
    "sequels",
]
