"""Names sort by pinyin, in the database, from a sort key written with every row."""

from __future__ import annotations

import re

import pytest
from django.apps import apps
from pypinyin import lazy_pinyin

from liangxin.web.core.sortkey import backfill, pinyin_key
from liangxin.web.instructors.models import Instructor
from liangxin.web.orgs.models import Org
from liangxin.web.parks.models import Park
from liangxin.web.partyorgs.models import PartyOrg


def test_the_key_follows_pinyin_and_the_reading_of_phrases():
    names = ["中合文化传媒有限公司", "阿里", "北京", "长江商贸", "重庆银行", "恒大", "何记"]
    ordered = sorted(names, key=pinyin_key)
    assert ordered == [
        "阿里",
        "北京",
        "长江商贸",
        "重庆银行",
        "何记",
        "恒大",
        "中合文化传媒有限公司",
    ]
    assert pinyin_key("重庆银行") == "chong qing yin hang"
    assert pinyin_key("丰煌兴（临沭）3D打印有限公司").startswith(
        "feng huang xing lin shu 3d da yin"
    )


@pytest.mark.django_db
def test_the_key_reads_whole_names_as_pypinyin_does():
    """Cutting names into words and looking each up once changes nothing."""
    names = [*Org.objects.values_list("name", flat=True), "明久LED照明", "成晟4S店", "（临沂）"]
    names += list(Instructor.objects.values_list("name", flat=True))
    for name in names:
        whole = re.sub(r"[^0-9a-z]+", " ", " ".join(lazy_pinyin(name)).lower()).strip()
        assert pinyin_key(name) == whole, name


@pytest.mark.django_db
@pytest.mark.parametrize("model", [Org, PartyOrg, Instructor, Park])
def test_imported_rows_carry_their_sort_key(model):
    rows = list(model.objects.values_list("name", "name_sort"))
    assert rows and all(key == pinyin_key(name) for name, key in rows)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("url", "model"), [("/orgs/", Org), ("/partyorgs/", PartyOrg), ("/parks/", Park)]
)
def test_lists_sort_by_pinyin(client_for, url, model):
    client = client_for("admin")
    pks = [int(pk) for pk in re.findall(rf'href="{url}(\d+)/"', client.get(url).content.decode())]
    everything = sorted(
        model.objects.values_list("name", "pk"), key=lambda r: (pinyin_key(r[0]), r[1])
    )
    assert pks == [pk for _, pk in everything[: len(pks)]]
    page = client.get(url, {"sort": "-name"}).content.decode()
    last = [int(pk) for pk in re.findall(rf'href="{url}(\d+)/"', page)]
    assert last[0] == everything[-1][1]
    by_code_point = sorted(model.objects.values_list("name", "pk"))
    if model is Org:  # the county's names are not already in pinyin order by code point
        assert [pk for _, pk in by_code_point[: len(pks)]] != pks


@pytest.mark.django_db
def test_the_migration_fills_the_keys_of_stored_rows():
    Org.objects.update(name_sort="")
    backfill("orgs", "Org")(apps, None)
    rows = list(Org.objects.values_list("name", "name_sort"))
    assert all(key == pinyin_key(name) for name, key in rows)
