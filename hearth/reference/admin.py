from django.contrib import admin

from hearth.reference.models import County, Language, Race, Skill, Tribe


@admin.register(Language, Skill, Tribe, Race)
class ReferenceAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "active"]
    list_filter = ["active"]
    search_fields = ["name", "code"]


@admin.register(County)
class CountyAdmin(ReferenceAdmin):
    list_display = ["name", "code", "state", "latitude", "longitude", "active"]
