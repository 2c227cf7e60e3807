"""Rule families beyond the core cues of relations.py, one module per way texts state who takes
part: enumerations and lists, accession phrasings ("became the Nth member", "signed the letter of
intent"), figures (funding and counts). Importing the package registers its rules."""

from defence_kg.loaders.documents.rules import accession, appositions, enumerations, figures

__all__ = ["accession", "appositions", "enumerations", "figures"]
