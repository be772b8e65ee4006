from django.contrib import admin

from luoshi.answers.models import AnswerTemplate


@admin.register(AnswerTemplate)
class AnswerTemplateAdmin(admin.ModelAdmin):
    list_display = ("title", "organisation", "purpose", "reply_class", "state")
    list_filter = ("purpose", "reply_class")
