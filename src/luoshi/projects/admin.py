"""Projects are registered and planned by the administrators (stages and months inline); an
organisation's margins are its configuration. Actual dates and investment are the unit's to
enter on the project page, where they are kept in its history."""

from django.contrib import admin

from luoshi.projects.models import Investment, Project, ProjectSettings, Stage
from luoshi.projects.services import ensure_stages


class StageInline(admin.TabularInline):
    model = Stage
    extra = 0
    fields = ("kind", "planned_date", "actual_date")
    readonly_fields = ("actual_date",)


class InvestmentInline(admin.TabularInline):
    model = Investment
    extra = 0
    fields = ("month", "planned", "actual")
    readonly_fields = ("actual",)


@admin.register(Project)
class ProjectAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "unit", "stage", "total_investment", "is_sample")
    list_filter = ("stage", "is_sample")
    search_fields = ("code", "name")
    readonly_fields = ("stage",)
    raw_id_fields = ("organisation", "unit")
    inlines = [StageInline, InvestmentInline]

    def save_related(self, request, form, formsets, change) -> None:
        super().save_related(request, form, formsets, change)
        ensure_stages(form.instance)  # every project has its six stages, planned or not


@admin.register(ProjectSettings)
class ProjectSettingsAdmin(admin.ModelAdmin):
    list_display = ("organisation", "shortfall_margin", "slip_grace", "task_due_within", "raise_as")
    raw_id_fields = ("organisation", "raise_as")
