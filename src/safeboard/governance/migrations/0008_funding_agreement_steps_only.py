from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("governance", "0007_funding_steps_and_budget"),
    ]

    operations = [
        migrations.RemoveField(model_name="fundingagreement", name="cash_per_year"),
        migrations.AlterField(
            model_name="fundingagreement", name="last_year", field=models.PositiveSmallIntegerField()
        ),
        migrations.AddConstraint(
            model_name="fundingagreement",
            constraint=models.CheckConstraint(
                condition=models.Q(("last_year__gte", models.F("first_year"))), name="agreement_years"
            ),
        ),
    ]
