"""Read and cross-check the reference data files of a data folder."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from defence_kg.errors import DataFileError
from defence_kg.loaders.datafile import line_of, load_model
from defence_kg.loaders.schema import (
    CapabilityDomainsFile,
    DomainAssignmentsFile,
    EdfProjectsFile,
    EdfResultsFile,
    EntitiesFile,
    MembershipsFile,
    PescoProjectsFile,
    Source,
    SourcesFile,
    StatesFile,
)

FILES = {
    "states": ("states.yaml", StatesFile),
    "entities": ("entities.yaml", EntitiesFile),
    "memberships": ("memberships.yaml", MembershipsFile),
    "pesco_projects": ("pesco_projects.yaml", PescoProjectsFile),
    "edf_projects": ("edf_projects.yaml", EdfProjectsFile),
    "edf_results": ("edf_results.yaml", EdfResultsFile),
    "capability_domains": ("capability_domains.yaml", CapabilityDomainsFile),
}
# Kinds whose facts may also be split over a folder of the same name (data/entities/*.yaml),
# read after the main file, in name order, and merged with it: the list that is merged, and the
# model each extra file is validated against.
SPLIT_KINDS: dict[str, tuple[str, type[BaseModel]]] = {
    "entities": ("entities", EntitiesFile),
    "memberships": ("memberships", MembershipsFile),
    "capability_domains": ("assignments", DomainAssignmentsFile),
}
PROGRAMME_IDS = {"EDF": "edf", "EDIDP": "edidp", "EDIRPA": "edirpa", "ASAP": "asap", "EDIP": "edip"}


@dataclass
class ReferenceData:
    """Every validated data file of one folder, with the trees kept for line look-ups."""

    folder: Path
    sources: dict[str, Source] = field(default_factory=dict)
    states: StatesFile | None = None
    entities: EntitiesFile | None = None
    memberships: MembershipsFile | None = None
    pesco_projects: PescoProjectsFile | None = None
    edf_projects: EdfProjectsFile | None = None
    edf_results: EdfResultsFile | None = None
    capability_domains: CapabilityDomainsFile | None = None
    trees: dict[str, Any] = field(default_factory=dict)
    # for a split kind: (file, its tree, how many items it holds), in merge order
    parts: dict[str, list[tuple[Path, Any, int]]] = field(default_factory=dict)

    def path(self, kind: str) -> Path:
        return self.folder / FILES[kind][0]

    def fail(self, kind: str, problem: str, *loc: int | str) -> DataFileError:
        """The error for the node at `loc`; for a split kind the index in `loc` is into the
        merged list, and the error names the file and line the item came from."""
        split = SPLIT_KINDS.get(kind)
        if kind in self.parts and split and len(loc) >= 2 and loc[0] == split[0] and isinstance(loc[1], int):
            index = loc[1]
            for path, tree, count in self.parts[kind]:
                if index < count:
                    return DataFileError(str(path), problem, line_of(tree, loc[0], index, *loc[2:]))
                index -= count
        return DataFileError(str(self.path(kind)), problem, line_of(self.trees[kind], *loc))


def read_reference(folder: Path) -> ReferenceData:
    """Validate every data file of `folder` and the references between them."""
    if not folder.is_dir():
        raise DataFileError(str(folder), "no such data folder")
    data = ReferenceData(folder)
    for path in sorted((folder / "sources").glob("*.yaml")):
        parsed, tree = load_model(path, SourcesFile)
        for index, source in enumerate(parsed.sources):
            if source.id in data.sources:
                line = line_of(tree, "sources", index)
                raise DataFileError(str(path), f"source id {source.id!r} declared twice", line)
            data.sources[source.id] = source
    for kind, (name, model) in FILES.items():
        path = folder / name
        if not path.exists():
            if kind in ("states", "entities", "memberships"):
                raise DataFileError(str(path), "required data file is missing")
            continue
        parsed, tree = load_model(path, model)
        data.trees[kind] = tree
        if kind in SPLIT_KINDS:
            parsed = _merge_split(data, kind, parsed, tree)
        setattr(data, kind, parsed)
    if data.edf_projects is not None:
        edf_source = data.edf_projects.source
        if edf_source.id in data.sources:
            raise data.fail("edf_projects", f"source id {edf_source.id!r} declared twice", "source")
        data.sources[edf_source.id] = edf_source
    _check_references(data)
    return data


def _merge_split(data: ReferenceData, kind: str, parsed: BaseModel, tree: Any) -> BaseModel:
    """The main file of a split kind with every file of its folder appended, in name order."""
    key, part_model = SPLIT_KINDS[kind]
    items = list(getattr(parsed, key))
    data.parts[kind] = [(data.path(kind), tree, len(items))]
    for path in sorted((data.folder / kind).glob("*.yaml")):
        extra, extra_tree = load_model(path, part_model)
        more = getattr(extra, key)
        items.extend(more)
        data.parts[kind].append((path, extra_tree, len(more)))
    return parsed.model_copy(update={key: items})


def _check_sources(data: ReferenceData, kind: str, ids: list[str] | None, *loc: int | str) -> None:
    for source_id in ids or []:
        if source_id not in data.sources:
            raise data.fail(kind, f"unknown source {source_id!r}", *loc, "sources")


def _check_references(data: ReferenceData) -> None:
    assert data.states and data.entities and data.memberships
    known: set[str] = set()
    for index, state in enumerate(data.states.states):
        if state.iso2 in known:
            raise data.fail("states", f"state {state.iso2} listed twice", "states", index)
        known.add(state.iso2)
        _check_sources(data, "states", state.sources, "states", index)
    for index, entity in enumerate(data.entities.entities):
        if entity.id in known:
            raise data.fail("entities", f"id {entity.id!r} used twice", "entities", index)
        known.add(entity.id)
        _check_sources(data, "entities", entity.sources, "entities", index)
    pesco = data.pesco_projects.projects if data.pesco_projects else []
    for index, project in enumerate(pesco):
        if project.id in known:
            raise data.fail("pesco_projects", f"id {project.id!r} used twice", "projects", index)
        known.add(project.id)
    for index, entity in enumerate(data.entities.entities):
        for r_index, relation in enumerate(entity.relations):
            loc = ("entities", index, "relations", r_index)
            if relation.object not in known:
                raise data.fail("entities", f"unknown entity {relation.object!r}", *loc, "object")
            _check_sources(data, "entities", relation.sources, *loc)
    for g_index, group in enumerate(data.memberships.memberships):
        loc = ("memberships", g_index)
        if group.organisation not in known:
            problem = f"unknown organisation {group.organisation!r}"
            raise data.fail("memberships", problem, *loc, "organisation")
        _check_sources(data, "memberships", group.sources, *loc)
        for m_index, entry in enumerate(group.members):
            m_loc = (*loc, "members", m_index)
            if entry.member not in known:
                raise data.fail("memberships", f"unknown member {entry.member!r}", *m_loc)
            if entry.to and entry.to.value < entry.from_.value:
                raise data.fail("memberships", "'to' is before 'from'", *m_loc)
            _check_sources(data, "memberships", entry.sources, *m_loc)
    _check_pesco(data, known)
    _check_edf_results(data, known)
    _check_domains(data, known)
    if data.edf_projects is not None:
        for index, project in enumerate(data.edf_projects.projects):
            programme = PROGRAMME_IDS[project.programme]
            if programme not in known:
                problem = f"programme entity {programme!r} is missing from entities.yaml"
                raise data.fail("edf_projects", problem, "projects", index, "programme")


def _check_pesco(data: ReferenceData, known: set[str]) -> None:
    if data.pesco_projects is None:
        return
    if "pesco" not in known:
        raise data.fail("pesco_projects", "entity 'pesco' is missing from entities.yaml")
    for index, project in enumerate(data.pesco_projects.projects):
        loc = ("projects", index)
        _check_sources(data, "pesco_projects", project.sources, *loc)
        participants = {p.state for p in project.participants}
        for kind in ("participants", "observers", "third_states", "invited"):
            for p_index, entry in enumerate(getattr(project, kind)):
                if entry.state not in known:
                    problem = f"unknown state {entry.state!r}"
                    raise data.fail("pesco_projects", problem, *loc, kind, p_index)
                _check_sources(data, "pesco_projects", entry.sources, *loc, kind, p_index)
                if kind != "participants" and entry.state in participants:
                    problem = f"{entry.state} is both a participant and in {kind}"
                    raise data.fail("pesco_projects", problem, *loc, kind, p_index)
        for c_index, code in enumerate(project.coordinators):
            if code not in participants:
                problem = f"coordinator {code} is not among the participants"
                raise data.fail("pesco_projects", problem, *loc, "coordinators", c_index)
        if project.status == "active" and project.closed is not None:
            raise data.fail("pesco_projects", "an active project cannot have 'closed'", *loc)
        if project.closed_by is not None and (project.status == "active" or project.closed):
            problem = "'closed_by' is for a closed project whose closing date is not known"
            raise data.fail("pesco_projects", problem, *loc, "closed_by")
    for index, count in enumerate(data.pesco_projects.published_counts):
        _check_sources(data, "pesco_projects", count.sources, "published_counts", index)
    for index, implied in enumerate(data.pesco_projects.implied_closures):
        _check_sources(data, "pesco_projects", implied.sources, "implied_closures", index)
        if implied.by.value < implied.after.value:
            raise data.fail("pesco_projects", "'by' is before 'after'", "implied_closures", index)


def _check_edf_results(data: ReferenceData, known: set[str]) -> None:
    if data.edf_results is None:
        return
    years: set[int] = set()
    for index, selection in enumerate(data.edf_results.selections):
        loc = ("selections", index)
        if selection.year in years:
            raise data.fail("edf_results", f"year {selection.year} listed twice", *loc)
        years.add(selection.year)
        _check_sources(data, "edf_results", selection.sources, *loc)
    seen: set[tuple[str, int]] = set()
    for index, project in enumerate(data.edf_results.projects):
        loc = ("projects", index)
        key = (project.acronym.casefold(), project.year)
        if key in seen:
            raise data.fail("edf_results", f"{project.acronym} ({project.year}) listed twice", *loc)
        seen.add(key)
        if project.year not in years:
            problem = f"no selection of year {project.year} in 'selections'"
            raise data.fail("edf_results", problem, *loc, "year")
        _check_sources(data, "edf_results", project.sources, *loc)
        codes = [project.coordinator_country] if project.coordinator_country else []
        for code in [*codes, *project.countries]:
            if code not in known:
                raise data.fail("edf_results", f"unknown state {code!r}", *loc)
        if codes and project.countries and codes[0] not in project.countries:
            problem = f"coordinator country {codes[0]} is not among the countries"
            raise data.fail("edf_results", problem, *loc, "countries")


def _check_domains(data: ReferenceData, known: set[str]) -> None:
    if data.capability_domains is None:
        return
    domains: set[str] = set()
    for index, domain in enumerate(data.capability_domains.domains):
        if domain.id in domains:
            raise data.fail("capability_domains", f"domain {domain.id!r} listed twice", "domains", index)
        domains.add(domain.id)
    for index, assignment in enumerate(data.capability_domains.assignments):
        loc = ("assignments", index)
        if assignment.entity not in known:
            raise data.fail("capability_domains", f"unknown entity {assignment.entity!r}", *loc, "entity")
        for d_index, domain_id in enumerate(assignment.domains):
            if domain_id not in domains:
                problem = f"unknown domain {domain_id!r}"
                raise data.fail("capability_domains", problem, *loc, "domains", d_index)
        _check_sources(data, "capability_domains", assignment.sources, *loc)
