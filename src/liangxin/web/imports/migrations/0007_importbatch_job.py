"""A batch's background job: ``task`` → ``job``."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("imports", "0006_county_and_core_own_models"),
        ("tasks", "0002_job"),
    ]

    operations = [
        migrations.RenameField("importbatch", "task", "job"),
        migrations.AlterField(
            model_name="importbatch",
            name="job",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=models.deletion.SET_NULL,
                related_name="+",
                to="tasks.job",
                verbose_name="后台任务",
            ),
        ),
    ]
