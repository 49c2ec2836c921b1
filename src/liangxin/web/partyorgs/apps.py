from django.apps import AppConfig


class PartyorgsConfig(AppConfig):
    name = "liangxin.web.partyorgs"
    label = "partyorgs"
    verbose_name = "党组织"
