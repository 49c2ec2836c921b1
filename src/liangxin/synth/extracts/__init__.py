"""The department extracts, one module per department (docs/rules.md §R3.2)."""

from liangxin.synth.extracts import (
    instructor,
    insurance,
    park,
    party_org,
    registry,
    social,
    survey,
    tax,
)

WRITERS = (
    registry.write,
    social.write,
    tax.write,
    insurance.write,
    survey.write,
    party_org.write,
    instructor.write,
    park.write,
)
