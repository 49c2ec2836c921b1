import random

import pytest

from liangxin.synth.mess import fullwidth, name_variant, stray_space
from liangxin.synth.names import NameFactory, OrgName, name_key


@pytest.mark.parametrize(
    "variant",
    [
        "临沭县华泰商贸有限责任公司",
        "华泰商贸有限公司",
        "华泰（临沭）商贸有限公司",
        "华泰(临沂)商贸有限公司",
        "山东华泰商贸有限公司",
        "华泰 商贸有限公司\u3000",
    ],
)
def test_name_key_unifies_what_registries_treat_as_one_name(variant):
    assert name_key(variant) == name_key("临沭县华泰商贸有限公司")


def test_name_key_keeps_one_character_apart():
    assert name_key("华泰商务有限公司") != name_key("华泰商贸有限公司")
    assert name_key("华泰商贸有限公司蛟龙分公司") != name_key("华泰商贸有限公司")


def _labels(n: int) -> tuple[NameFactory, list[OrgName]]:
    names = NameFactory(random.Random(11))
    regions = ("临沭县", "临沭", "临沂", "山东", "")
    labels = [names.company(regions, (3, 1, 1, 1, 3), "商贸", "有限责任公司") for _ in range(n)]
    labels += [names.local("临沭县", "蛟龙镇", "百货商店") for _ in range(n)]
    labels += [names.association("临沭县", "蛟龙镇") for _ in range(n)]
    return names, labels


def test_generated_names_are_unique_after_normalisation():
    _, labels = _labels(3000)
    keys = [name_key(label.name) for label in labels]
    assert len(set(keys)) == len(keys)


def test_variants_spaces_and_fullwidth_normalise_back():
    rng = random.Random(2)
    _, labels = _labels(500)
    changed = 0
    for label in labels:
        for messy in (
            name_variant(label, "临沭县", rng),
            stray_space(label.name, rng),
            fullwidth(label.name),
        ):
            assert name_key(messy) == name_key(label.name), (label.name, messy)
            changed += messy != label.name
    assert changed > 1000


def test_lookalikes_are_one_character_away_and_distinct():
    names, labels = _labels(300)
    for label in labels:
        twin = names.lookalike(label, register=True).name
        assert len(twin) == len(label.name)
        assert sum(a != b for a, b in zip(twin, label.name, strict=True)) == 1
        assert name_key(twin) != name_key(label.name)
