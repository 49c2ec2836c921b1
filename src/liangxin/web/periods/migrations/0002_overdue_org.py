"""Periods frozen before their overdue tasks recorded the organization: find it from the task
(same 镇街, object and task), so department users and instructors see their own rows."""

from django.db import migrations


def name_the_organizations(apps, schema_editor):
    Period = apps.get_model("periods", "Period")
    Closure = apps.get_model("closures", "Closure")
    org_of = {
        (town or "县级", name, task): org
        for town, name, task, org in Closure.objects.filter(org__isnull=False).values_list(
            "town", "name", "task", "org"
        )
    }
    for period in Period.objects.all():
        rows = [
            {**row, "org": org_of.get((row["town"], row["name"], row["task"]))}
            for row in period.overdue
        ]
        Period.objects.filter(pk=period.pk).update(overdue=rows)


class Migration(migrations.Migration):
    dependencies = [
        ("periods", "0001_initial"),
        ("closures", "0001_initial"),
    ]

    operations = [migrations.RunPython(name_the_organizations, migrations.RunPython.noop)]
