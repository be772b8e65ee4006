from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from luoshi.org.models import Membership, Unit, User


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 1
    autocomplete_fields = ["unit"]


@admin.register(User)
class LuoshiUserAdmin(UserAdmin):
    fieldsets = (*UserAdmin.fieldsets, (None, {"fields": ("display_name",)}))
    list_display = ("username", "display_name", "is_active", "is_staff")
    inlines = [MembershipInline]


@admin.register(Unit)
class UnitAdmin(admin.ModelAdmin):
    list_display = ("name", "kind", "parent", "is_organisation", "requires_head_approval")
    list_filter = ("kind", "is_organisation")
    search_fields = ("name", "short_name")
    autocomplete_fields = ["parent"]
