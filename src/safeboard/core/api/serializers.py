from __future__ import annotations

from rest_framework import serializers

from safeboard.core.models import Agency, LocalAuthorityArea, Locality, Partnership


class PartnershipSerializer(serializers.ModelSerializer[Partnership]):
    class Meta:
        model = Partnership
        fields = ["id", "name", "short_name", "slug", "modules", "business_year_start_month", "is_active"]
        read_only_fields = fields


class AgencySerializer(serializers.ModelSerializer[Agency]):
    partnerships: serializers.PrimaryKeyRelatedField[Partnership] = serializers.PrimaryKeyRelatedField(
        many=True, read_only=True
    )
    version = serializers.IntegerField(
        read_only=True, help_text="Send it back as If-Match on updates to refuse lost updates."
    )

    class Meta:
        model = Agency
        fields = ["id", "name", "agency_type", "code", "email", "is_active", "partnerships", "version", "updated_at"]
        read_only_fields = ["id", "partnerships", "version", "updated_at"]

    def validate_code(self, value: str) -> str:
        code = value.strip().upper()
        others = Agency.objects.filter(code__iexact=code)
        if self.instance is not None:
            others = others.exclude(pk=self.instance.pk)
        if code and others.exists():
            raise serializers.ValidationError("An agency with this code is already on Safeboard.")
        return code


class AreaSerializer(serializers.ModelSerializer[LocalAuthorityArea]):
    class Meta:
        model = LocalAuthorityArea
        fields = ["id", "partnership", "name", "code"]
        read_only_fields = fields


class LocalitySerializer(serializers.ModelSerializer[Locality]):
    class Meta:
        model = Locality
        fields = ["id", "partnership", "area", "name"]
        read_only_fields = fields
