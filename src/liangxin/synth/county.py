"""Builds the true world of a synthetic county (or, at city scale, several counties)."""

from __future__ import annotations

import random

from liangxin.synth.geography import make_parks, make_towns
from liangxin.synth.model import World
from liangxin.synth.party import PartyBuilder, build_instructors
from liangxin.synth.population import Population
from liangxin.synth.sources import assign_parks, assign_sources
from liangxin.synth.variation import DEFAULT, Variation


def build_world(seed: int, n_orgs: int, variation: Variation = DEFAULT) -> World:
    if n_orgs < 100:
        raise ValueError("a county needs at least 100 organizations")
    rng = random.Random(f"liangxin-synth:{seed}:world")
    towns = make_towns(n_orgs, rng)
    parks = make_parks(towns, rng)
    population = Population(towns, rng, variation)
    orgs = population.build(n_orgs)
    assign_parks(orgs, parks, rng)
    assign_sources(orgs, towns, rng)
    party_orgs = PartyBuilder(orgs, parks, rng).build()
    instructors = build_instructors(orgs, party_orgs, parks, rng)
    return World(
        seed=seed,
        n_orgs=n_orgs,
        counties=list(dict.fromkeys(t.county for t in towns)),
        towns=towns,
        parks=parks,
        orgs=orgs,
        party_orgs=party_orgs,
        instructors=instructors,
        names=population.names,
        variation=variation,
    )
