from django.apps import AppConfig


class OpsConfig(AppConfig):
    """Running the system: backup and restore, users from the command line, the demo county.
    The commands reach into many apps, so they live here rather than in the base (``core``)."""

    name = "liangxin.web.ops"
    label = "ops"
    verbose_name = "运维"
