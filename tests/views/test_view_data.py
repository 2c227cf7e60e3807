"""What the views show, checked against the graph's own answers (lookup, documents)."""

from __future__ import annotations

import datetime as dt

import pytest

from defence_kg.errors import BadQuery, NotFound
from defence_kg.graph.analysis import document_reads, lookup, view_data
from defence_kg.graph.analysis.view_data import EU_MEMBER_STATE, THIRD_STATE

AT = dt.date(2022, 1, 1)


def member_ids(view, organisation, role="member"):
    return {e.source for e in view.edges if e.target == organisation and e.label == role}


def test_membership_map_on_a_date_agrees_with_the_members_route(view_store):
    view = view_data.membership_view(view_store, AT)
    for organisation in ("nato", "eu", "pesco"):
        expected = {m["id"] for m in lookup.members(view_store, organisation, AT) if m["type"] == "State"}
        got = {e.source for e in view.edges if e.target == organisation}
        assert got == expected, organisation
    assert len(member_ids(view, "nato")) == 30


def test_membership_map_without_a_date_keeps_past_memberships(view_store):
    everything = view_data.membership_view(view_store)
    gb_eu = [e for e in everything.edges if (e.source, e.target, e.label) == ("GB", "eu", "member")]
    assert len(gb_eu) == 1 and gb_eu[0].end is not None
    assert "GB" not in member_ids(view_data.membership_view(view_store, AT), "eu")
    assert len(everything.edges) > len(view_data.membership_view(view_store, dt.date(2000, 1, 1)).edges)


def test_states_are_eu_member_states_or_third_states_on_the_date(view_store):
    families = {n.id: n.family for n in view_data.membership_view(view_store, AT).nodes if n.type == "State"}
    eu = {m["id"] for m in lookup.members(view_store, "eu", AT, "member")}
    assert {s for s, f in families.items() if f == EU_MEMBER_STATE} == eu
    assert families["NO"] == families["US"] == families["GB"] == THIRD_STATE


def test_organisations_carry_their_family_and_domains(view_store):
    nodes = {n.id: n for n in view_data.membership_view(view_store).nodes}
    assert nodes["nato"].family == "NATO" and nodes["pesco"].family == "EU"
    assert nodes["jef"].family == "ad hoc"
    radio = nodes["pesco-european-secure-software-defined-radio"]
    assert {"Cyber", "C4ISR"} <= set(radio.domains)  # the project's own `dkg:domain` text
    assert "Force generation and rapid response" in nodes["jef"].domains  # a dkg:capabilityDomain label


def test_ego_view_reaches_memberships_and_grows_with_depth(view_store):
    one = view_data.ego_view(view_store, "SE", 1)
    ids = {n.id for n in one.nodes}
    assert {m["id"] for m in lookup.memberships(view_store, "SE")} <= ids
    assert one.focus == "SE"
    two = view_data.ego_view(view_store, "SE", 2)
    assert ids < {n.id for n in two.nodes}
    assert "FI" in {n.id for n in two.nodes}  # a fellow NATO member, two links away


def test_ego_view_follows_claims_and_parts(view_store):
    pesco = view_data.ego_view(view_store, "pesco", 1)
    kinds = {(e.kind, e.label) for e in pesco.edges}
    assert ("part", "isPartOf") in kinds and ("claim", "complements") in kinds
    assert {p["id"] for p in lookup.parts(view_store, "pesco")} <= {n.id for n in pesco.nodes}


def test_ego_view_refuses_bad_input(view_store):
    with pytest.raises(NotFound):
        view_data.ego_view(view_store, "no-such-entity")
    with pytest.raises(BadQuery, match="depth"):
        view_data.ego_view(view_store, "SE", 4)


def test_overlap_edges_have_the_overlap_contract(view_store):
    pairs = view_data.overlap_edges(view_store, dt.date(2024, 1, 1), 0.3)
    keys = {"a", "b", "a_label", "b_label", "a_family", "b_family", "at", "score", "cross_line"}
    assert pairs and all(keys | {"components", "evidence"} == set(p) for p in pairs)
    assert all(p["score"] >= 0.3 and p["at"] == "2024-01-01" for p in pairs)
    assert [p["score"] for p in pairs] == sorted((p["score"] for p in pairs), reverse=True)
    for p in pairs:
        assert abs(sum(c["contribution"] for c in p["components"]) - p["score"]) < 0.01
    by_pair = {(p["a"], p["b"]): p for p in pairs}
    assert by_pair[("nato", "pesco")]["cross_line"] is True
    sources = {e["source"] for e in by_pair[("nato", "pesco")]["evidence"]}
    assert "cepob-2021-pesco-nato-us" in sources


def test_overlap_view_draws_the_pairs_above_the_cut(view_store):
    view = view_data.overlap_view(view_store, min_score=0.5)
    pairs = view_data.overlap_edges(view_store, None, 0.5)
    assert {(e.source, e.target) for e in view.edges} == {(p["a"], p["b"]) for p in pairs}
    assert {n.id for n in view.nodes} == {x for p in pairs for x in (p["a"], p["b"])}
    edge = next(e for e in view.edges if (e.source, e.target) == ("nato", "pesco"))
    assert edge.value == next(p["score"] for p in pairs if (p["a"], p["b"]) == ("nato", "pesco"))
    assert any(line.startswith("membership: ") for line in edge.details)
    assert len(view_data.overlap_view(view_store, min_score=0.3).edges) > len(view.edges)
    with pytest.raises(BadQuery, match="min_score"):
        view_data.overlap_view(view_store, min_score=2)


def test_document_view_shows_each_statement(view_store):
    statements = document_reads.statements(view_store, "cepob-2021-pesco-nato-us")
    view = view_data.document_view(view_store, "cepob-2021-pesco-nato-us")
    assert len(view.edges) == len([s for s in statements if s["subject"]])
    assert {e.label for e in view.edges} == {s["relation"] for s in statements if s["subject"]}
    assert view.focus in {n.id for n in view.nodes}
    with pytest.raises(NotFound):
        view_data.document_view(view_store, "no-such-document")


def test_document_only_links_are_marked_and_repeats_of_curated_ones_merge(view_store):
    view = view_data.membership_view(view_store)
    keys = [(e.source, e.target, e.label, e.start) for e in view.edges]
    assert len(keys) == len(set(keys)), "one link per state, organisation, role and period"
    claimed = {(e.source, e.target, e.label) for e in view.edges if e.basis == "document"}
    expected = {
        (r["id"], r["organisation"], r["role"])
        for r in lookup.state_memberships(view_store)
        if r["basis"] == "document"
    }
    assert claimed == expected and claimed
    assert all(
        any("only from documents" in line for line in e.details) for e in view.edges if e.basis == "document"
    )
    ego = view_data.ego_view(view_store, "pesco-military-mobility", 1)
    marked = {(e.source, e.label) for e in ego.edges if e.basis == "document"}
    rows = lookup.members(view_store, "pesco-military-mobility")
    assert marked == {(r["id"], r["role"]) for r in rows if r["basis"] == "document"} and marked
    links = [e for e in ego.edges if e.target == "pesco-military-mobility" and e.kind == "membership"]
    assert len(links) == len({(r["id"], r["role"], r.get("from")) for r in rows})
