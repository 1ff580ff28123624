from rest_framework import serializers

from tinhgon.core.uploads import validate_upload_size

from ..resolver import STATUSES


class UnderstoodPartSerializer(serializers.Serializer):
    written = serializers.CharField(help_text="The words of the text taken as this part.")
    unit = serializers.CharField(help_text="The unit's name they were read as (empty when several).")
    corrected = serializers.CharField(help_text="The name read instead of what was written (spelling correction).")


class UnderstoodSerializer(serializers.Serializer):
    commune = UnderstoodPartSerializer(required=False)
    district = UnderstoodPartSerializer(required=False)
    province = UnderstoodPartSerializer(required=False)


class CorrectionSerializer(serializers.Serializer):
    level = serializers.CharField()
    written = serializers.CharField()
    read_as = serializers.CharField()


class MatchedUnitSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    code = serializers.CharField()
    name = serializers.CharField()
    level = serializers.CharField()
    valid_from = serializers.DateField()
    valid_to = serializers.DateField(allow_null=True)
    path_names = serializers.ListField(child=serializers.CharField())


class CandidateSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    code = serializers.CharField()
    name = serializers.CharField()
    level = serializers.CharField()
    province = serializers.CharField()
    address = serializers.CharField(help_text="The full address: the street part as written, the unit, its province.")
    default = serializers.BooleanField(help_text="First successor of its unit (for a divided commune: the one the "
                                                 "data marks as default).")
    share = serializers.FloatField(allow_null=True)
    from_code = serializers.CharField(help_text="Code of the unit named by the text that this one comes from.")
    from_name = serializers.CharField()
    valid_on = serializers.DateField()
    part = serializers.BooleanField(help_text="Backward: this old unit was divided, only a part of it went to the "
                                              "unit the text names.")


class AddressResultSerializer(serializers.Serializer):
    query = serializers.CharField()
    as_of = serializers.DateField()
    status = serializers.ChoiceField(choices=STATUSES)
    reason = serializers.CharField()
    street = serializers.CharField(help_text="The part of the text that names no unit (house number, lane, street).")
    understood = UnderstoodSerializer()
    corrections = CorrectionSerializer(many=True)
    matched = MatchedUnitSerializer(many=True)
    candidates = CandidateSerializer(many=True)
    new_address = serializers.CharField()


class ConvertManySerializer(serializers.Serializer):
    addresses = serializers.ListField(child=serializers.CharField(max_length=500, allow_blank=True),
                                      min_length=1, max_length=1000)
    as_of = serializers.DateField(required=False)
    reverse = serializers.BooleanField(default=False)


class BulkRequestSerializer(serializers.Serializer):
    file = serializers.FileField(help_text="CSV (UTF-8) or XLSX, at most TINHGON_MAX_UPLOAD_BYTES.")
    column = serializers.CharField(required=False, allow_blank=True, default="")
    commune = serializers.CharField(required=False, allow_blank=True, default="")
    district = serializers.CharField(required=False, allow_blank=True, default="")
    province = serializers.CharField(required=False, allow_blank=True, default="")
    as_of = serializers.DateField(required=False)
    reverse = serializers.BooleanField(default=False)

    def validate_file(self, f):
        from django.core.exceptions import ValidationError as DjangoValidationError

        try:
            validate_upload_size(f)
        except DjangoValidationError as exc:
            raise serializers.ValidationError(exc.messages) from None
        return f
