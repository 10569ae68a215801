"""Residents' contact details encrypted at rest (issue 10): the columns become text holding
``enc1:`` + a Fernet token, and the rows already stored are encrypted in place with the key of
``core.datakey`` (made in var/ when none is set and nothing is encrypted yet). Raw SQL: the
historical model's field would decrypt on read. Reversible: going back decrypts them."""

import core.fields
import django.core.validators
import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


COLUMNS = ("name", "phone", "email", "address")


def _convert(apps, schema_editor, change):
    connection = schema_editor.connection
    quote = connection.ops.quote_name
    table = quote("intake_residentcontact")
    columns = ", ".join(quote(c) for c in COLUMNS)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT id, {columns} FROM {table}")  # noqa: S608
        rows = cursor.fetchall()
        for pk, *values in rows:
            new = [change(v) for v in values]
            if new != list(values):
                sets = ", ".join(f"{quote(c)} = %s" for c in COLUMNS)
                cursor.execute(f"UPDATE {table} SET {sets} WHERE id = %s", [*new, pk])  # noqa: S608


def encrypt_rows(apps, schema_editor):
    from core import datakey

    def change(value):
        if not value or datakey.is_encrypted(value):
            return value
        return datakey.encrypt(value)

    _convert(apps, schema_editor, change)


def decrypt_rows(apps, schema_editor):
    from core import datakey

    def change(value):
        return datakey.decrypt(value) if value and datakey.is_encrypted(value) else value

    _convert(apps, schema_editor, change)


class Migration(migrations.Migration):

    dependencies = [
        ('intake', '0005_public_items_to_public_form_channel'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name='residentcontact',
            name='consented_at',
            field=models.DateTimeField(blank=True, null=True, verbose_name='đồng ý lưu thông tin lúc'),
        ),
        migrations.AddField(
            model_name='residentcontact',
            name='erased_at',
            field=models.DateTimeField(blank=True, null=True, verbose_name='đã xóa thông tin liên hệ lúc'),
        ),
        migrations.AddField(
            model_name='residentcontact',
            name='erasure',
            field=models.CharField(blank=True, choices=[('retention', 'Hết thời hạn lưu'), ('request', 'Theo yêu cầu của người dân')], max_length=10, verbose_name='lý do xóa'),
        ),
        migrations.AlterField(
            model_name='residentcontact',
            name='address',
            field=core.fields.EncryptedTextField(blank=True, max_length=300, verbose_name='địa chỉ'),
        ),
        migrations.AlterField(
            model_name='residentcontact',
            name='email',
            field=core.fields.EncryptedTextField(blank=True, max_length=254, validators=[django.core.validators.EmailValidator()], verbose_name='thư điện tử'),
        ),
        migrations.AlterField(
            model_name='residentcontact',
            name='name',
            field=core.fields.EncryptedTextField(blank=True, max_length=150, verbose_name='họ tên'),
        ),
        migrations.AlterField(
            model_name='residentcontact',
            name='phone',
            field=core.fields.EncryptedTextField(blank=True, max_length=20, verbose_name='điện thoại'),
        ),
        migrations.CreateModel(
            name='ErasureRequest',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('state', models.CharField(choices=[('open', 'Chờ xử lý'), ('done', 'Đã xóa')], default='open', max_length=8, verbose_name='tình trạng')),
                ('requested_at', models.DateTimeField(auto_now_add=True, verbose_name='gửi yêu cầu lúc')),
                ('completed_at', models.DateTimeField(blank=True, null=True, verbose_name='xử lý lúc')),
                ('completed_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='người xử lý')),
                ('item', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='erasure_requests', to='intake.opinionitem', verbose_name='ý kiến')),
            ],
            options={
                'verbose_name': 'yêu cầu xóa thông tin cá nhân',
                'verbose_name_plural': 'yêu cầu xóa thông tin cá nhân',
                'ordering': ['state', '-requested_at', '-id'],
                'constraints': [models.UniqueConstraint(condition=models.Q(('state', 'open')), fields=('item',), name='one_open_erasure_request')],
            },
        ),
        migrations.RunPython(encrypt_rows, decrypt_rows),
    ]
