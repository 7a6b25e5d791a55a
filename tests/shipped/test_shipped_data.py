"""The shipped evidence base: clean, complete, and faithful to the seed documents."""
import csv
import hashlib

import pytest

from atlas.core import paths
from atlas.core.load import load_dataset

SEEDS = paths.REPO.parent / "shared" / "seeds"
REFERENCE = paths.REPO.parent / "shared" / "reference"
MINIMUM = {"event": 40, "place": 30, "corridor": 6, "area": 3, "claim": 25, "term": 15}


@pytest.fixture(scope="module")
def shipped():
    ds, problems = load_dataset(paths.DEFAULT_DATA_DIR)
    assert problems == [], "\n".join(map(str, problems))
    return ds


@pytest.mark.parametrize("kind", sorted(MINIMUM))
def test_dataset_does_not_shrink(shipped, kind):
    assert len(shipped.of_kind(kind)) >= MINIMUM[kind]


def test_every_substantive_passage_is_cited(shipped):
    cited, total, uncited = shipped.coverage()
    assert total > 30 and uncited == [], [p.ref for p in uncited]


def test_the_six_corridors_are_present(shipped):
    for cid in ("zangezur", "lachin-road", "north-south-azerbaijan", "north-south-armenia", "middle-corridor", "tanap"):
        assert shipped.records[cid].kind == "corridor"


def test_sources_are_the_seed_documents_byte_for_byte(shipped):
    assert len(shipped.sources) == 4
    if not SEEDS.is_dir():
        pytest.skip("../shared/seeds not beside this checkout")
    seed_hashes = {hashlib.sha256(p.read_bytes()).hexdigest() for p in SEEDS.glob("*.txt")}
    assert {s.sha256 for s in shipped.sources.values()} == seed_hashes


def test_place_coordinates_and_confidence_follow_the_reference(shipped):
    if not (REFERENCE / "places.csv").is_file():
        pytest.skip("../shared/reference not beside this checkout")
    rows = list(csv.DictReader((REFERENCE / "places.csv").open(encoding="utf-8")))
    by_coords = {(round(float(r["lon"]), 3), round(float(r["lat"]), 3)): r["status"].lower() for r in rows}
    matched = 0
    for place in shipped.of_kind("place"):
        status = by_coords.get((round(place.lon, 3), round(place.lat, 3)))
        if status:
            matched += 1
            assert place.coord_status == status, place.id
    assert matched >= 40


def test_events_span_the_period_and_external_dates_name_a_reference(shipped):
    events = shipped.of_kind("event")
    years = {e.date.start.year for e in events}
    assert {2020, 2021, 2022, 2023} <= years
    for e in events:
        assert e.date_basis == "stated" or e.date_reference.url.startswith("http")


def test_alignment_codings_use_known_cameo_codes(shipped):
    codings = [c for e in shipped.of_kind("event") for c in e.alignment]
    assert len(codings) >= 30
    assert all(c.cameo in shipped.cameo for c in codings)
    assert {c.direction for c in codings} == {"toward", "away"}


def test_relayed_claims_name_who_relays_them(shipped):
    mfa = [c for c in shipped.of_kind("claim") if any(x.source == "russian-mfa-briefing-report" for x in c.citations)
           and c.actor in ("US", "EU")]
    assert mfa and all(c.reported_by for c in mfa)


def test_non_state_acts_are_marked_and_only_they(shipped):
    """Rule 7 of data/README.md: protests and rallies carry non_state, state acts do not."""
    marked = {(e.id, c.partner) for e in shipped.of_kind("event") for c in e.alignment if c.non_state}
    assert marked == {("opposition-anti-csto-protest-2022", "CSTO"), ("lachin-road-protests-2022", "Azerbaijan")}


def test_mediation_is_coded_alike_whoever_hosts(shipped):
    """Rule 3: talks a partner hosts between Armenia and Azerbaijan are 045 in Moscow, Washington and Prague."""
    codes = {(e.id, c.partner): c.cameo for e in shipped.of_kind("event") for c in e.alignment}
    assert codes[("russia-hosts-armenian-azerbaijani-leaders-2021", "Russia")] == "045"
    assert codes[("us-hosts-security-talks-2022", "US")] == "045"
    assert codes[("eu-france-prague-meeting-2022", "EU")] == codes[("eu-france-prague-meeting-2022", "France")] == "045"
    assert not any(p == "Azerbaijan" for (eid, p) in codes if eid in (
        "russia-hosts-armenian-azerbaijani-leaders-2021", "us-hosts-security-talks-2022", "eu-france-prague-meeting-2022"))
