from django.contrib import admin

from luoshi.workdays.models import LocalDay


@admin.register(LocalDay)
class LocalDayAdmin(admin.ModelAdmin):
    list_display = ("date", "kind", "name", "organisation", "updated_by", "updated_at")
    list_filter = ("kind", "organisation")
    search_fields = ("name",)
    date_hierarchy = "date"
    fields = ("organisation", "date", "kind", "name")

    def save_model(self, request, obj, form, change) -> None:
        obj.updated_by = request.user
        super().save_model(request, obj, form, change)
