"""The office's findings of distorted or false information (R9), the folded search document of
every mention (filled here for the mentions already stored) and its full-text index
(``monitoring.fulltext``), and the state of an export imported in the background (its progress
on the page)."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models



def fill_folded(apps, schema_editor):
    from monitoring.reading import search_document

    Mention = apps.get_model("monitoring", "Mention")
    rows = Mention.objects.order_by("pk").only("pk", "title", "text")
    batch = []
    for mention in rows.iterator(chunk_size=500):
        mention.folded = search_document(mention.title, mention.text)
        batch.append(mention)
        if len(batch) == 500:
            Mention.objects.bulk_update(batch, ["folded"])
            batch = []
    Mention.objects.bulk_update(batch, ["folded"])


def create_index(apps, schema_editor):
    from monitoring.fulltext import create_index as create

    create(schema_editor.connection)


def drop_index(apps, schema_editor):
    from monitoring.fulltext import drop_index as drop

    drop(schema_editor.connection)


class Migration(migrations.Migration):

    dependencies = [
        ('issues', '0006_merge_proposals'),
        ('monitoring', '0002_social_exports'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name='exportupload',
            name='done',
            field=models.PositiveIntegerField(default=0),
        ),
        migrations.AddField(
            model_name='exportupload',
            name='result',
            field=models.JSONField(blank=True, default=dict),
        ),
        migrations.AddField(
            model_name='exportupload',
            name='state',
            field=models.CharField(choices=[('preview', 'Chờ xem trước'), ('queued', 'Chờ nhập'), ('running', 'Đang nhập'), ('done', 'Đã nhập'), ('failed', 'Nhập không thành công')], default='preview', max_length=10),
        ),
        migrations.AddField(
            model_name='exportupload',
            name='total',
            field=models.PositiveIntegerField(default=0),
        ),
        migrations.AddField(
            model_name='mention',
            name='folded',
            field=models.TextField(blank=True, default='', editable=False),
        ),
        migrations.RunPython(fill_folded, migrations.RunPython.noop, elidable=True),
        migrations.RunPython(create_index, drop_index, elidable=False),
        migrations.CreateModel(
            name='Misinformation',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('verdict', models.CharField(choices=[('false', 'Thông tin sai sự thật'), ('distorted', 'Thông tin xuyên tạc, sai lệch')], max_length=10, verbose_name='kết luận')),
                ('note', models.TextField(max_length=4000, verbose_name='nhận định của Ban')),
                ('correction_url', models.URLField(blank=True, max_length=2000, verbose_name='đường dẫn bài đính chính')),
                ('correction_text', models.TextField(blank=True, max_length=8000, verbose_name='nội dung đính chính')),
                ('corrected_on', models.DateField(blank=True, null=True, verbose_name='ngày đính chính')),
                ('created_at', models.DateTimeField(auto_now_add=True)),
                ('updated_at', models.DateTimeField(auto_now=True)),
                ('created_by', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('issue', models.OneToOneField(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='misinformation', to='issues.issue', verbose_name='vấn đề')),
                ('mention', models.OneToOneField(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='misinformation', to='monitoring.mention', verbose_name='tin, bài')),
                ('story', models.OneToOneField(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='misinformation', to='monitoring.story', verbose_name='câu chuyện')),
            ],
            options={
                'verbose_name': 'thông tin sai sự thật',
                'verbose_name_plural': 'thông tin sai sự thật',
                'ordering': ['-created_at', '-pk'],
                'constraints': [models.CheckConstraint(condition=models.Q(models.Q(('issue__isnull', True), ('mention__isnull', False), ('story__isnull', True)), models.Q(('issue__isnull', True), ('mention__isnull', True), ('story__isnull', False)), models.Q(('issue__isnull', False), ('mention__isnull', True), ('story__isnull', True)), _connector='OR'), name='misinformation_one_target')],
            },
        ),
    ]
