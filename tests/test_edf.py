"""The EDF converter on the real export in ../shared/data."""

from __future__ import annotations

import json

import pytest

from defence_kg.data import bundled_data_dir
from defence_kg.errors import DataFileError
from defence_kg.loaders import edf
from defence_kg.loaders.datafile import load_model
from defence_kg.loaders.schema import EdfProjectsFile

from .conftest import shared_file


@pytest.fixture(scope="module")
def converted():
    return edf.convert(shared_file("data", "edf_calls.json"))


def test_every_project_with_participants_is_converted(converted):
    raw = json.loads(shared_file("data", "edf_calls.json").read_text())
    expected = sum(len(c["projects"]) for c in raw["calls"].values())
    assert len(converted.projects) == expected
    participants = sum(len(p["participants"]) for c in raw["calls"].values() for p in c["projects"])
    assert sum(len(p.participants) for p in converted.projects) == participants


def test_countries_use_iso_codes_and_programmes_are_recognised(converted):
    countries = {p.country for project in converted.projects for p in project.participants}
    assert "GR" in countries and "EL" not in countries
    programmes = {p.programme for p in converted.projects}
    assert {"EDF", "ASAP", "EDIRPA"} <= programmes
    assert all(
        sum(p.role == "coordinator" for p in project.participants) == 1 for project in converted.projects
    )


def test_the_bundled_file_is_up_to_date_with_the_export(converted, tmp_path):
    out = tmp_path / "edf.yaml"
    edf.write(converted, out)
    assert out.read_text() == (bundled_data_dir() / "edf_projects.yaml").read_text()
    assert load_model(out, EdfProjectsFile)[0] == converted


def test_a_broken_export_is_refused_with_its_name(tmp_path):
    bad = tmp_path / "edf_calls.json"
    bad.write_text('{"calls": ')
    with pytest.raises(DataFileError, match=r"edf_calls\.json"):
        edf.convert(bad)
