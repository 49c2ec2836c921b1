"""Re-screening after an edit screens only the part of the county the edit reaches, and the
result is exactly what screening the whole county gives (docs/performance.md §3).

The oracle: random edits through the real actions (each screened locally), then a full
re-screening of the same state must change nothing at all.
"""

from __future__ import annotations

import random

import pytest
from django.db.models import Count, Q
from web_county import import_files

from liangxin.synth import generate
from liangxin.web.assign.actions import do_accept
from liangxin.web.assign.planner import propose as propose_assignments
from liangxin.web.closures.models import Closure
from liangxin.web.county import local
from liangxin.web.county.specs import INSTRUCTOR, ORG, PARK, PARTY_ORG, current_records
from liangxin.web.instructors.models import Instructor
from liangxin.web.jobs.models import Job
from liangxin.web.jobs.rescreen import seeds_of
from liangxin.web.jobs.worker import enqueue
from liangxin.web.orgs.actions import do_set_survey_facts
from liangxin.web.orgs.forms import OPERATING
from liangxin.web.orgs.models import Org
from liangxin.web.parks.models import Park
from liangxin.web.partyorgs.actions import do_set_party_org_facts
from liangxin.web.partyorgs.models import PartyOrg
from liangxin.web.review.models import ReviewItem

pytestmark = pytest.mark.django_db

CLOSURE_FIELDS = ("task_kind", "subject", "subject_id", "name", "town", "reason", "deadline",
                  "status", "org__org_id", "region_path", "closed_note")  # fmt: skip


def snapshot() -> dict:
    """Everything a screening writes, keyed by object."""
    state = {spec.name: dict(spec.current_rows()) for spec in (ORG, PARTY_ORG, INSTRUCTOR, PARK)}
    state["record"] = dict(current_records())
    state["closure"] = {c.pop("task_id"): c for c in
                        Closure.objects.values("task_id", *CLOSURE_FIELDS)}  # fmt: skip
    state["review"] = sorted(
        tuple(sorted(r.items()))
        for r in ReviewItem.objects.values("record_key", "candidate_org_id", "org", "candidate")
    )
    return state


def changed(before: dict, after: dict) -> dict[str, set[str]]:
    return {
        name: {
            k for k in {*before[name], *after[name]} if before[name].get(k) != after[name].get(k)
        }
        for name in before
        if name != "review"
    }


def last_rescreen() -> Job:
    return Job.objects.filter(kind="rescreen").latest("pk")


def full_rescreen(user) -> Job:
    task = enqueue("rescreen", "全县重新筛查", user, reason="全县复核")
    task.refresh_from_db()
    assert task.status == Job.Status.DONE, task.error
    return task


def _entity_keys(model, pks: set[int]) -> set[str]:
    return set(model.objects.filter(pk__in=pks).values_list("entity_id", flat=True))


def reached(seeds) -> dict[str, set[str]]:
    """What the edit may write: the part's objects, and the tasks of the parks it reads."""
    part = local.reach(seeds)
    assert part is not None
    assert not part.written.parks
    return {
        "org": set(Org.objects.filter(pk__in=part.orgs).values_list("org_id", flat=True)),
        "partyorg": _entity_keys(PartyOrg, part.written.party_orgs),
        "instructor": _entity_keys(Instructor, part.written.instructors),
        "park": _entity_keys(Park, part.read.parks),
    }


def edit_survey(rng: random.Random, user):
    org = rng.choice(list(Org.objects.order_by("pk")))
    name = rng.choice(["employees", "survey_formal_members", "has_premises", "operating"])
    value = {
        "employees": rng.randint(0, 150),
        "survey_formal_members": rng.randint(0, 8),
        "has_premises": rng.choice([True, False, None]),
        "operating": rng.choice([*OPERATING, None]),
    }[name]
    seeds = seeds_of(orgs=[org.org_id])
    return seeds, lambda: do_set_survey_facts(user, org, {name: value})


def edit_party_org(rng: random.Random, user):
    party_org = rng.choice(list(PartyOrg.objects.order_by("pk")))
    name = rng.choice(["formal_members", "probationary_members", "type", "units"])
    old_units = list(party_org.units.values_list("org_id", flat=True))
    if name == "units":
        # often units with an instructor or a park: their coverage counts for those too
        pool = Org.objects.filter(town=party_org.town) if party_org.town else Org.objects.all()
        if rng.random() < 0.6:
            pool = pool.exclude(instructors=None, parks=None)
        pool = list(pool.values_list("org_id", flat=True).distinct())
        keep = old_units[: rng.randint(0, len(old_units))]
        value = sorted({*keep, *rng.sample(pool, min(len(pool), rng.randint(1, 3)))})
    elif name == "type":
        value = rng.choice(["committee", "general_branch", "branch", "joint_branch"])
    else:
        value = rng.randint(0, 60)
    seeds = seeds_of(orgs=old_units, party_orgs=[party_org.entity_id])
    return seeds, lambda: do_set_party_org_facts(user, party_org, {name: value})


def edit_assignment(rng: random.Random, user):
    rows = propose_assignments(user).assignments.to_dicts()
    if not rows:
        return edit_survey(rng, user)
    pick = rng.choice(rows)
    pairs = [(pick["org_id"], pick["entity_id"])]
    seeds = seeds_of(orgs=[pick["org_id"]], instructors=[pick["entity_id"]])
    return seeds, lambda: do_accept(user, pairs)


EDITS = (edit_survey, edit_survey, edit_party_org, edit_assignment)


def check_edits(user, rng: random.Random, rounds: int = 3, edits: int = 8) -> None:
    """Rounds of random edits, each screened locally, each round checked against the whole."""
    full_rescreen(user)  # the county's words are known from here on
    total = Org.objects.count()
    for _ in range(rounds):
        for _ in range(edits):
            seeds, act = rng.choice(EDITS)(rng, user)
            expected = reached(seeds)
            before = snapshot()
            act()
            task = last_rescreen()
            assert task.status == Job.Status.DONE, task.error
            assert task.result["orgs"] is not None, "screened locally"
            assert task.result["orgs"] < total
            for name, keys in reached(seeds).items():
                expected[name] |= keys
            after = snapshot()
            touched = changed(before, after)
            for name in ("org", "partyorg", "instructor", "park"):
                assert touched[name] <= expected[name], name
            assert not touched["record"]
            subjects = {
                (before["closure"].get(t) or after["closure"][t])["subject_id"]
                for t in touched["closure"]
            }
            assert subjects <= expected["org"] | expected["park"]
        state = snapshot()
        task = full_rescreen(user)
        assert task.result["changes"] == 0
        again = snapshot()
        assert not any(changed(state, again).values())
        assert again["review"] == state["review"]


@pytest.mark.parametrize("seed", [1, 2])
def test_local_rescreen_equals_full_rescreen(users, county, seed):
    check_edits(users["admin"], random.Random(seed))


def test_local_rescreen_equals_full_rescreen_on_a_larger_county(users, county, tmp_path):
    generate(tmp_path, seed=3, n_orgs=1500)
    import_files(users["admin"], tmp_path)  # replaces the county's files
    assert Org.objects.count() > 1500
    check_edits(users["admin"], random.Random(3), rounds=2)


def test_a_unit_leaving_the_scope_recounts_its_park_without_screening_the_park(users, county):
    admin = users["admin"]
    full_rescreen(admin)
    open_parks = Closure.objects.filter(subject="park").values_list("subject_id", flat=True)
    park = (
        Park.objects.filter(entity_id__in=open_parks)
        .annotate(in_scope=Count("units", filter=Q(units__in_scope=True)))
        .order_by("-in_scope", "pk")
        .first()
    )
    unit = park.units.filter(in_scope=True, org_covered=True).order_by("pk").first()
    closure = Closure.objects.get(subject="park", subject_id=park.entity_id)
    assert f"纳入统计单位{park.in_scope}家" in closure.reason

    do_set_survey_facts(admin, unit, {"operating": "查无此单位"})
    task = last_rescreen()
    assert task.status == Job.Status.DONE, task.error
    assert 0 < task.result["orgs"] < park.in_scope  # the park's other units were not screened
    closure.refresh_from_db()
    assert f"纳入统计单位{park.in_scope - 1}家" in closure.reason
    state = snapshot()
    assert full_rescreen(admin).result["changes"] == 0
    assert not any(changed(state, snapshot()).values())


def test_a_part_over_the_limit_screens_the_whole_county(users, county, monkeypatch):
    admin = users["admin"]
    full_rescreen(admin)
    party_org = PartyOrg.objects.filter(units__isnull=False).order_by("pk").first()
    monkeypatch.setattr(local, "LIMIT", 0)
    do_set_party_org_facts(admin, party_org, {"formal_members": 99})
    task = last_rescreen()
    assert task.status == Job.Status.DONE and task.result["orgs"] is None
    party_org.refresh_from_db()
    assert party_org.formal_members == 99
    assert full_rescreen(admin).result["changes"] == 0


def test_unknown_county_words_screen_the_whole_county(users, county):
    from liangxin.web.county.models import CountyWords

    admin = users["admin"]
    CountyWords.store(None)
    org = Org.objects.order_by("pk").first()
    do_set_survey_facts(admin, org, {"employees": 77})
    assert last_rescreen().result["orgs"] is None
    assert CountyWords.current() is not None  # the full run knows them again
    do_set_survey_facts(admin, org, {"employees": 78})
    assert last_rescreen().result["orgs"] is not None


def test_a_waiting_rescreen_gathers_the_edited_objects(users, settings):
    from liangxin.web.jobs.rescreen import request_rescreen

    settings.LIANGXIN_JOBS = "external"
    admin = users["admin"]
    first = request_rescreen(admin, "一", seeds_of(orgs=["A"]))
    again = request_rescreen(admin, "二", seeds_of(orgs=["B"], party_orgs=["P"]))
    assert again.pk == first.pk
    first.refresh_from_db()
    assert first.params["seeds"] == {"orgs": ["A", "B"], "party_orgs": ["P"], "instructors": []}
    request_rescreen(admin, "三")  # a match decision: the whole county
    first.refresh_from_db()
    assert first.params["seeds"] is None
