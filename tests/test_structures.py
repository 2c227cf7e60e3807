"""The structures beyond PESCO and the EDF (programmes, formations, groupings, Centres of
Excellence, partnerships, CSDP operations): every one of data/entities/*.yaml is found, its
members answer with dates and sources exactly as the data gives them, the overlap model pairs
them across institutional lines, documents resolve to them, and bad data is refused with its
file and line. Expectations are read off the data files, not written into the tests."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from pathlib import Path

import pytest

from defence_kg.data import bundled_data_dir
from defence_kg.errors import DataFileError, ValidationFailed
from defence_kg.graph.analysis import document_reads
from defence_kg.graph.publish import documents as docs
from defence_kg.graph.publish.build import build_graphs
from defence_kg.graph.queries.sparql_queries import INITIATIVE_KINDS
from defence_kg.graph.store.oxigraph_store import OxigraphStore
from defence_kg.loaders.documents.gazetteer import build_gazetteer
from defence_kg.loaders.documents.mentions import find_mentions
from defence_kg.loaders.reference import read_reference

pytestmark = pytest.mark.needs("sparql")

DATA = read_reference(bundled_data_dir())
SPLIT = {path.name: count for path, _, count in DATA.parts["entities"][1:]}
_FIRST = DATA.parts["entities"][0][2]
NEW = DATA.entities.entities[_FIRST:]  # everything from data/entities/*.yaml
NEW_IDS = {e.id for e in NEW}
API_TYPE = {"Organisation": "Organisation", "Initiative": "Initiative"} | {k: k for k in INITIATIVE_KINDS}
DAY = dt.date(2026, 11, 1)


def _groups() -> dict[str, list]:
    groups: dict[str, list] = defaultdict(list)
    for group in DATA.memberships.memberships:
        if group.organisation in NEW_IDS:
            groups[group.organisation].append(group)
    return groups


GROUPS = _groups()


def test_the_split_folder_holds_every_new_kind_with_members():
    assert SPLIT and sum(SPLIT.values()) == len(NEW)
    kinds = {e.type.value for e in NEW}
    assert set(INITIATIVE_KINDS) <= kinds
    for kind in INITIATIVE_KINDS:
        with_members = [e.id for e in NEW if e.type.value == kind and e.id in GROUPS]
        assert with_members, f"no {kind} has members"
    # the goal: at least 60 structures outside PESCO and EDF projects with dated members
    dated = {g.organisation for g in DATA.memberships.memberships}
    assert len(dated) >= 60


@pytest.mark.parametrize("entity", NEW, ids=lambda e: e.id)
def test_search_finds_each_structure_by_label_and_acronym(client, entity):
    for text in [entity.label] + ([entity.acronym] if entity.acronym and len(entity.acronym) >= 3 else []):
        hits = client.get("/api/search", params={"q": text, "limit": 5}).json()["results"]
        found = [h for h in hits if h["id"] == entity.id]
        assert found, f"{text!r} does not find {entity.id}"
        assert found[0]["type"] == API_TYPE[entity.type.value]
    body = client.get(f"/api/entities/{entity.id}").json()
    assert body["type"] == API_TYPE[entity.type.value] and body["family"] == entity.family.value
    assert {s["id"] for s in body["sources"]} == set(entity.sources)


def test_search_filters_by_the_new_types(client):
    for kind in INITIATIVE_KINDS:
        example = next(e for e in NEW if e.type.value == kind)
        hits = client.get("/api/search", params={"q": example.label, "type": kind}).json()["results"]
        assert example.id in [h["id"] for h in hits] and {h["type"] for h in hits} == {kind}


@pytest.mark.parametrize("organisation", sorted(GROUPS), ids=str)
def test_members_answer_with_the_dates_and_sources_of_the_data(client, organisation):
    expected = {
        (entry.member, group.role.value, str(entry.from_), str(entry.to) if entry.to else None): set(
            entry.sources or group.sources
        )
        for group in GROUPS[organisation]
        for entry in group.members
    }
    rows = client.get(f"/api/entities/{organisation}/members").json()["members"]
    got = {(r["id"], r["role"], r["from"], r.get("to")): {s["id"] for s in r["sources"]} for r in rows}
    assert got == expected
    member, role, start, _ = next(iter(expected))
    held = client.get(f"/api/entities/{member}/memberships", params={"role": role}).json()["memberships"]
    assert any(m["organisation"] == organisation and m["from"] == start for m in held)


def test_dated_members_follow_the_date(client):
    """A battlegroup rotation has members only during its stand-by period."""
    ended = [
        (g.organisation, e)
        for gs in GROUPS.values()
        for g in gs
        for e in g.members
        if e.to is not None and e.from_.precision == "day" and e.to.precision == "day"
    ]
    assert ended
    organisation, entry = ended[0]
    inside = client.get(f"/api/entities/{organisation}/members", params={"at": str(entry.from_)}).json()
    after = entry.to.value + dt.timedelta(days=1)
    outside = client.get(f"/api/entities/{organisation}/members", params={"at": after.isoformat()}).json()
    assert entry.member in {m["id"] for m in inside["members"]}
    assert entry.member not in {m["id"] for m in outside["members"]}


def test_operations_are_dated_and_typed(client):
    operations = [e for e in NEW if e.type.value == "Operation"]
    assert {e.operation.value for e in operations} == {"military", "civilian"}
    for operation in operations:
        assert operation.established is not None
        assert client.get(f"/api/entities/{operation.id}").json()["type"] == "Operation"
    assert any(e.ended for e in operations), "a finished operation keeps its end date"


def _common(a: str, b: str) -> tuple[str, str]:
    """Two partial dates cut to the precision they share (2014, 2014-07, 2014-07-01)."""
    n = min(len(a), len(b))
    return a[:n], b[:n]


def test_no_member_joins_before_its_structure_began_or_stays_after_it_ended():
    by_id = {e.id: e for e in NEW}
    checked = 0
    for organisation, groups in GROUPS.items():
        entity = by_id[organisation]
        for group in groups:
            for entry in group.members:
                where = (organisation, group.role.value, entry.member, str(entry.from_))
                if entity.established is not None:
                    start, began = _common(str(entry.from_), str(entity.established))
                    assert start >= began, f"{where}: before the structure began ({entity.established})"
                    checked += 1
                if entity.ended is not None and entry.to is not None:
                    end, ended = _common(str(entry.to), str(entity.ended))
                    assert end <= ended, f"{where}: after the structure ended ({entity.ended})"
    assert checked


def test_each_centre_of_excellence_is_hosted_from_its_founding_by_one_of_its_sponsors():
    centres = [e for e in NEW if e.type.value == "CentreOfExcellence"]
    assert len(centres) >= 15
    for centre in centres:
        roles = {g.role.value: list(g.members) for g in GROUPS[centre.id]}
        hosts = roles.get("host", [])
        assert len(hosts) == 1, f"{centre.id}: one host nation expected, got {len(hosts)}"
        assert str(hosts[0].from_) == str(centre.established), centre.id
        sponsors = {(m.member, str(m.from_)) for m in roles.get("participant", [])}
        if sponsors:
            host = (hosts[0].member, str(hosts[0].from_))
            assert host in sponsors, f"{centre.id}: the host is not among the founding sponsors"


def _pair(client, a: str, b: str) -> dict:
    found = client.get("/api/overlaps", params={"a": a, "b": b, "at": DAY.isoformat()}).json()["overlaps"]
    assert len(found) == 1
    return found[0]


def _score(pair: dict, name: str) -> float:
    return next(c["score"] for c in pair["components"] if c["name"] == name)


@pytest.mark.parametrize("fleet", ["eatc", "mmf"])
def test_air_transport_structures_and_pesco_military_mobility_pair_across_lines(client, fleet):
    pair = _pair(client, fleet, "pesco-military-mobility")
    assert pair["cross_line"] and _score(pair, "membership") > 0 and _score(pair, "function") > 0
    shared = next(c for c in pair["components"] if c["name"] == "membership")["details"]["shared"]
    members = {e.member for g in GROUPS[fleet] for e in g.members if e.from_.value <= DAY}
    assert set(shared) <= members and shared


def test_forward_presence_and_eu_battlegroups_pair_across_lines(client):
    nato = [e.id for e in NEW if e.family.value == "NATO" and e.type.value == "Formation"]
    eu = {e.id for e in NEW if e.family.value == "EU" and e.type.value == "Formation"}
    assert nato and eu
    for battlegroup in nato:
        pairs = [_pair(client, battlegroup, other) for other in sorted(eu)]
        assert all(p["cross_line"] for p in pairs)
        scored = [p for p in pairs if p["score"] > 0]
        assert scored and all(_score(p, "function") > 0 for p in scored), battlegroup


def test_occar_programmes_pair_with_edf_projects(client):
    programmes = [e.id for e in NEW if e.type.value == "Programme"]
    with_edf = 0
    for programme in programmes:
        ranked = client.get(
            "/api/overlaps", params={"entity": programme, "at": DAY.isoformat(), "limit": 1000}
        ).json()["overlaps"]
        edf = [o for o in ranked if o["b"].startswith("edf-")]
        for pair in edf:
            assert pair["cross_line"] and pair["b_family"] == "EU" and pair["a_family"] == "multinational"
        with_edf += any(_score(o, "membership") > 0 and _score(o, "function") > 0 for o in edf)
    assert with_edf >= len(programmes) // 2


def test_document_mentions_resolve_to_the_structures(store):
    gazetteer = build_gazetteer(store)
    for entity in NEW:
        text = f"Officials said on Tuesday that {entity.label} would meet again in the spring."
        mentions, _ = find_mentions(text, gazetteer, [(0, len(text))])
        assert entity.id in {m.entity for m in mentions}, entity.label


def test_a_loaded_document_links_joiners_and_claims_to_the_structures(tmp_path, built_graphs):
    store = OxigraphStore(None)
    store.rebuild(built_graphs)
    (tmp_path / "note.txt").write_text(
        "Air defence and airlift in 2023\n\n"
        "Denmark and Sweden joined the European Sky Shield Initiative in February 2023.\n"
        "The European Air Transport Command duplicates parts of the Multinational Multi-Role Tanker "
        "Transport Fleet, a defence official said.\n",
        encoding="utf-8",
    )
    report = docs.load_documents(store, [tmp_path], max_bytes=1_000_000)
    assert not report.errors
    found = {(s["relation"], s["subject"], s["object"]) for s in document_reads.statements(store, "note")}
    assert {("joining", "DK", "essi"), ("joining", "SE", "essi"), ("duplication", "eatc", "mmf")} <= found


def _replace(path: Path, old: str, new: str) -> int:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return text[: text.index(old)].count("\n") + 1


def test_bad_split_files_are_refused_with_their_file_and_line(data_copy):
    groupings = data_copy / "memberships" / "groupings.yaml"
    line = _replace(groupings, "{member: IS, from: 2009", "{member: XX, from: 2009")
    with pytest.raises(DataFileError) as caught:
        build_graphs(data_copy)
    assert caught.value.path.endswith("memberships/groupings.yaml") and caught.value.line == line
    assert "XX" in caught.value.problem


def test_an_operation_needs_its_kind_and_its_start(data_copy):
    path = data_copy / "entities" / "csdp-operations.yaml"
    original = path.read_text(encoding="utf-8")
    line = _replace(path, "    operation: civilian\n", "")
    with pytest.raises(DataFileError) as caught:
        build_graphs(data_copy)
    assert caught.value.path.endswith("entities/csdp-operations.yaml")
    assert "operation" in caught.value.problem and abs((caught.value.line or 0) - line) <= 3
    path.write_text(original.replace("    established: 2008-12-09\n", "", 1), encoding="utf-8")
    with pytest.raises(ValidationFailed, match="start date"):
        build_graphs(data_copy)
