"""Audit log integrity (docs/security.md §3): sequence numbers and HMAC chain, the chain head, and
database triggers that refuse changes (PostgreSQL: UPDATE, and DELETE of records younger than
180 days; SQLite: UPDATE). Existing records are chained in the order they were written."""

import django.utils.timezone
from django.db import migrations, models


def chain_existing(apps, schema_editor):
    from liangxin.web.audit.chain import GENESIS, compute_mac

    AuditLog = apps.get_model("audit", "AuditLog")
    AuditHead = apps.get_model("audit", "AuditHead")
    seq, mac = 0, GENESIS
    for record in AuditLog.objects.order_by("time", "pk").iterator(chunk_size=2000):
        seq += 1
        record.seq = seq
        record.mac = mac = compute_mac(mac, record)
        record.save(update_fields=["seq", "mac"])
    AuditHead.objects.update_or_create(pk=1, defaults={"seq": seq, "mac": mac})


POSTGRES_TRIGGER = """
CREATE OR REPLACE FUNCTION liangxin_audit_append_only() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'DELETE' AND OLD.time < now() - interval '180 days' THEN
        RETURN OLD;
    END IF;
    RAISE EXCEPTION USING MESSAGE = 'audit log is append-only: ' || TG_OP || ' refused';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER audit_auditlog_append_only BEFORE UPDATE OR DELETE ON audit_auditlog
    FOR EACH ROW EXECUTE FUNCTION liangxin_audit_append_only();
"""
POSTGRES_DROP = """
DROP TRIGGER IF EXISTS audit_auditlog_append_only ON audit_auditlog;
DROP FUNCTION IF EXISTS liangxin_audit_append_only();
"""
SQLITE_TRIGGER = """
CREATE TRIGGER audit_auditlog_no_update BEFORE UPDATE ON audit_auditlog
BEGIN SELECT RAISE(ABORT, 'audit log is append-only (UPDATE refused)'); END;
"""
SQLITE_DROP = "DROP TRIGGER IF EXISTS audit_auditlog_no_update;"


def add_triggers(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    sql = {"postgresql": POSTGRES_TRIGGER, "sqlite": SQLITE_TRIGGER}.get(vendor)
    if sql:
        schema_editor.execute(sql)


def drop_triggers(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    sql = {"postgresql": POSTGRES_DROP, "sqlite": SQLITE_DROP}.get(vendor)
    if sql:
        schema_editor.execute(sql)


class Migration(migrations.Migration):
    dependencies = [
        ("audit", "0001_initial"),
    ]

    operations = [
        migrations.CreateModel(
            name="AuditHead",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("seq", models.BigIntegerField(default=0)),
                (
                    "mac",
                    models.CharField(
                        default="0000000000000000000000000000000000000000000000000000000000000000",
                        max_length=64,
                    ),
                ),
                ("base_seq", models.BigIntegerField(default=0)),
                (
                    "base_mac",
                    models.CharField(
                        default="0000000000000000000000000000000000000000000000000000000000000000",
                        max_length=64,
                    ),
                ),
            ],
            options={
                "verbose_name": "审计日志链头",
                "verbose_name_plural": "审计日志链头",
            },
        ),
        migrations.AddField(
            model_name="auditlog",
            name="mac",
            field=models.CharField(
                blank=True, editable=False, max_length=64, verbose_name="校验码"
            ),
        ),
        migrations.AddField(
            model_name="auditlog",
            name="seq",
            field=models.BigIntegerField(
                editable=False, null=True, unique=True, verbose_name="序号"
            ),
        ),
        migrations.AlterField(
            model_name="auditlog",
            name="action",
            field=models.CharField(
                choices=[
                    ("create", "新增"),
                    ("update", "修改"),
                    ("delete", "删除"),
                    ("login", "登录"),
                    ("logout", "退出"),
                    ("login_failed", "登录失败"),
                    ("import_commit", "导入提交"),
                    ("rescreen", "重新筛查"),
                    ("decide", "确认匹配"),
                    ("export", "导出"),
                    ("download", "下载"),
                    ("reveal", "查看个人信息"),
                    ("password_change", "修改密码"),
                    ("lockout", "登录锁定"),
                    ("unlock", "解除锁定"),
                ],
                db_index=True,
                max_length=20,
                verbose_name="操作",
            ),
        ),
        migrations.AlterField(
            model_name="auditlog",
            name="time",
            field=models.DateTimeField(
                db_index=True, default=django.utils.timezone.now, verbose_name="时间"
            ),
        ),
        migrations.RunPython(chain_existing, migrations.RunPython.noop),
        migrations.RunPython(add_triggers, drop_triggers),
    ]
