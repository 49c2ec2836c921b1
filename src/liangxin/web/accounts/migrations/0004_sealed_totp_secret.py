from django.db import migrations

import liangxin.web.core.sealed


def seal_stored_secrets(apps, schema_editor):
    """Secrets stored before sealing read as they are; saving them again seals them."""
    User = apps.get_model("accounts", "User")
    for user in User.objects.exclude(totp_secret=""):
        user.save(update_fields=["totp_secret"])


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0003_security"),
    ]

    operations = [
        migrations.AlterField(
            model_name="user",
            name="totp_secret",
            field=liangxin.web.core.sealed.SealedCharField(
                blank=True,
                editable=False,
                max_length=200,
                purpose="totp secret",
                verbose_name="动态口令密钥",
            ),
        ),
        migrations.RunPython(seal_stored_secrets, migrations.RunPython.noop),
    ]
