import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('core', '0007_accounts_tokens'),
        ('issues', '0004_titles_from_matter_and_place'),
        ('orgs', '0002_accounts_tokens'),
        ('reporting', '0005_notification_moves_to_core'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='DirtyDay',
            fields=[
                ('day', models.DateField(primary_key=True, serialize=False)),
                ('marked_at', models.DateTimeField(auto_now=True)),
            ],
        ),
        migrations.CreateModel(
            name='AreaShape',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('geometry', models.JSONField(verbose_name='ranh giới (GeoJSON)')),
                ('origin', models.CharField(choices=[('imported', 'Nhập từ GeoJSON'), ('generated', 'Hình minh họa do dữ liệu mẫu sinh ra')], default='imported', max_length=10)),
                ('imported_at', models.DateTimeField(auto_now=True)),
                ('area', models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, related_name='shape', to='orgs.area')),
            ],
            options={
                'verbose_name': 'ranh giới tổ dân phố',
                'verbose_name_plural': 'ranh giới tổ dân phố',
            },
        ),
        migrations.CreateModel(
            name='Direction',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('code', models.CharField(max_length=20, unique=True, verbose_name='số')),
                ('kind', models.CharField(choices=[('direction', 'Ý kiến chỉ đạo'), ('task', 'Nhiệm vụ lấp khoảng trống')], default='direction', max_length=10, verbose_name='loại')),
                ('action', models.CharField(blank=True, choices=[('', '—'), ('assign_collaborator', 'Phân công cộng tác viên'), ('plan_survey', 'Lên kế hoạch khảo sát'), ('hold_dialogue', 'Tổ chức đối thoại'), ('report_latent', 'Nắm dư luận tiềm ẩn')], default='', max_length=24, verbose_name='việc cần làm')),
                ('text', models.TextField(verbose_name='nội dung chỉ đạo')),
                ('status', models.CharField(choices=[('open', 'Mới giao'), ('in_progress', 'Đang thực hiện'), ('done', 'Đã hoàn thành'), ('cancelled', 'Đã hủy')], db_index=True, default='open', max_length=12, verbose_name='trạng thái')),
                ('due_on', models.DateField(db_index=True, verbose_name='hạn hoàn thành')),
                ('target', models.CharField(blank=True, choices=[('', 'Chung'), ('issue', 'Vấn đề'), ('report', 'Báo cáo'), ('area', 'Tổ dân phố'), ('topic', 'Chủ đề')], default='', max_length=8, verbose_name='chỉ đạo về')),
                ('created_at', models.DateTimeField(auto_now_add=True)),
                ('updated_at', models.DateTimeField(auto_now=True)),
                ('done_at', models.DateTimeField(blank=True, null=True)),
                ('version', models.PositiveIntegerField(default=1)),
                ('area', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='directions', to='orgs.area', verbose_name='tổ dân phố')),
                ('author', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='người chỉ đạo')),
                ('issue', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='directions', to='issues.issue', verbose_name='vấn đề')),
                ('report', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='directions', to='reporting.unitreport', verbose_name='báo cáo')),
                ('social_group', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='core.socialgroup', verbose_name='nhóm xã hội')),
                ('topic', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='directions', to='core.topic', verbose_name='chủ đề')),
            ],
            options={
                'verbose_name': 'ý kiến chỉ đạo',
                'verbose_name_plural': 'ý kiến chỉ đạo',
                'ordering': ['due_on', '-id'],
            },
        ),
        migrations.CreateModel(
            name='DirectionAssignment',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('status', models.CharField(choices=[('open', 'Mới giao'), ('in_progress', 'Đang thực hiện'), ('done', 'Đã hoàn thành'), ('cancelled', 'Đã hủy')], default='open', max_length=12)),
                ('acknowledged_at', models.DateTimeField(blank=True, null=True, verbose_name='đã nhận lúc')),
                ('done_at', models.DateTimeField(blank=True, null=True)),
                ('acknowledged_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('direction', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='assignments', to='picture.direction')),
                ('unit', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='orgs.orgunit')),
            ],
        ),
        migrations.AddField(
            model_name='direction',
            name='units',
            field=models.ManyToManyField(related_name='directions', through='picture.DirectionAssignment', to='orgs.orgunit', verbose_name='đơn vị thực hiện'),
        ),
        migrations.CreateModel(
            name='DirectionUpdate',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('kind', models.CharField(choices=[('created', 'Giao'), ('ack', 'Đã nhận'), ('progress', 'Báo cáo tiến độ'), ('status', 'Đổi trạng thái'), ('reminded', 'Nhắc hạn'), ('escalated', 'Báo quá hạn')], max_length=10)),
                ('note', models.TextField(blank=True, verbose_name='nội dung')),
                ('status', models.CharField(blank=True, choices=[('open', 'Mới giao'), ('in_progress', 'Đang thực hiện'), ('done', 'Đã hoàn thành'), ('cancelled', 'Đã hủy')], max_length=12)),
                ('at', models.DateTimeField(auto_now_add=True)),
                ('by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('direction', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='updates', to='picture.direction')),
                ('unit', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='orgs.orgunit')),
            ],
            options={
                'ordering': ['at', 'id'],
            },
        ),
        migrations.CreateModel(
            name='LatentCandidate',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('detected_on', models.DateField(verbose_name='ngày phát hiện')),
                ('count', models.PositiveIntegerField(verbose_name='số ý kiến lo lắng, bức xúc, phản đối')),
                ('reason', models.CharField(max_length=300, verbose_name='lý do')),
                ('state', models.CharField(choices=[('proposed', 'Đề xuất'), ('confirmed', 'Đã xác nhận'), ('dismissed', 'Đã bỏ qua')], db_index=True, default='proposed', max_length=10)),
                ('decided_at', models.DateTimeField(blank=True, null=True)),
                ('area', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='+', to='orgs.area')),
                ('decided_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('issue', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='issues.issue')),
                ('topic', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='core.topic')),
            ],
            options={
                'ordering': ['-detected_on', '-id'],
            },
        ),
        migrations.CreateModel(
            name='Rollup',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('scope', models.PositiveIntegerField()),
                ('day', models.DateField()),
                ('dimension', models.CharField(max_length=12)),
                ('key', models.CharField(blank=True, max_length=24)),
                ('attitude', models.CharField(blank=True, max_length=12)),
                ('source', models.CharField(choices=[('item', 'Ý kiến tiếp nhận'), ('stream', 'Luồng ý kiến trong báo cáo')], max_length=6)),
                ('latent', models.PositiveIntegerField(default=0)),
                ('count', models.PositiveIntegerField(default=0)),
            ],
            options={
                'indexes': [models.Index(fields=['scope', 'dimension', 'day'], name='rollup_scope_dim_day')],
                'constraints': [models.UniqueConstraint(fields=('scope', 'dimension', 'day', 'key', 'attitude', 'source'), name='rollup_cell')],
            },
        ),
        migrations.CreateModel(
            name='Subscription',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('frequency', models.CharField(choices=[('immediate', 'Ngay khi có'), ('daily', 'Tóm tắt hằng ngày')], default='immediate', max_length=10)),
                ('by_email', models.BooleanField(default=True, verbose_name='gửi thư điện tử')),
                ('created_at', models.DateTimeField(auto_now_add=True)),
                ('area', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='+', to='orgs.area')),
                ('topic', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='+', to='core.topic')),
                ('user', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='picture_subscriptions', to=settings.AUTH_USER_MODEL)),
            ],
        ),
        migrations.CreateModel(
            name='Alert',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('kind', models.CharField(choices=[('burst', 'Ý kiến tăng đột biến'), ('rising', 'Chủ đề đang nóng lên'), ('issue_overdue', 'Vấn đề quá hạn'), ('direction_due', 'Chỉ đạo sắp đến hạn'), ('direction_overdue', 'Chỉ đạo quá hạn'), ('latent', 'Dư luận tiềm ẩn')], max_length=20)),
                ('subject', models.CharField(max_length=80)),
                ('day', models.DateField()),
                ('text', models.CharField(max_length=500)),
                ('url', models.CharField(blank=True, max_length=300)),
                ('created_at', models.DateTimeField(auto_now_add=True)),
                ('emailed_at', models.DateTimeField(blank=True, null=True)),
                ('user', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='picture_alerts', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'ordering': ['-created_at', '-id'],
                'constraints': [models.UniqueConstraint(fields=('user', 'subject', 'day'), name='alert_once_a_day')],
            },
        ),
        migrations.CreateModel(
            name='Brief',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('start', models.DateField(verbose_name='từ ngày')),
                ('end', models.DateField(verbose_name='đến ngày')),
                ('weekly', models.BooleanField(default=False, verbose_name='bản tin thứ Hai hằng tuần')),
                ('number', models.CharField(blank=True, max_length=20, verbose_name='số')),
                ('title', models.CharField(max_length=300, verbose_name='tiêu đề')),
                ('data', models.JSONField(default=dict, verbose_name='số liệu')),
                ('notes', models.TextField(blank=True, verbose_name='nhận định của văn phòng')),
                ('created_at', models.DateTimeField(auto_now_add=True)),
                ('version', models.PositiveIntegerField(default=1)),
                ('created_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'verbose_name': 'bản tin dư luận',
                'verbose_name_plural': 'bản tin dư luận',
                'ordering': ['-end', '-id'],
                'constraints': [models.UniqueConstraint(condition=models.Q(('weekly', True)), fields=('start', 'end'), name='brief_weekly_once')],
            },
        ),
        migrations.AddConstraint(
            model_name='directionassignment',
            constraint=models.UniqueConstraint(fields=('direction', 'unit'), name='direction_unit_once'),
        ),
        migrations.AddConstraint(
            model_name='latentcandidate',
            constraint=models.UniqueConstraint(fields=('topic', 'area', 'detected_on'), name='latent_candidate_once_a_day'),
        ),
        migrations.AddConstraint(
            model_name='subscription',
            constraint=models.UniqueConstraint(fields=('user', 'topic', 'area'), name='subscription_once'),
        ),
    ]
