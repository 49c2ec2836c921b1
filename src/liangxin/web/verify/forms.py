"""The task card: the survey facts a verification asks about, pre-filled from the ledger."""

from __future__ import annotations

from liangxin.web.orgs.forms import SurveyFactsForm

# in the order the card shows them
CARD_FACTS = (
    "operating",
    "employees",
    "survey_formal_members",
    "investor_is_member",
    "has_premises",
    "unbuilt_reason",
)


class CardForm(SurveyFactsForm):
    """The survey edit's fields and checks, limited to the card's facts."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields = {name: self.fields[name] for name in CARD_FACTS}
