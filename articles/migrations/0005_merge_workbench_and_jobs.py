# Joins the workbench migrations (event dates, saved searches, field labels) and the ingestion ones (outbox, jobs, drafts).

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('articles', '0004_field_verbose_names'),
        ('articles', '0004_jobs_and_upload_drafts'),
    ]

    operations = [
    ]
