"""Task → Job: a background job (a 销号 task is ``closures.Closure``)."""

from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("tasks", "0001_initial"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RenameModel("Task", "Job"),
        migrations.AlterField(
            model_name="job",
            name="created_by",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=models.deletion.SET_NULL,
                related_name="jobs",
                to=settings.AUTH_USER_MODEL,
                verbose_name="发起人",
            ),
        ),
    ]
