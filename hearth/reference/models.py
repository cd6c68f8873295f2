"""Reference lists an administrator manages in the Django admin."""

from django.db import models


class ReferenceItem(models.Model):
    code = models.SlugField(max_length=40, unique=True)
    name = models.CharField(max_length=120)
    active = models.BooleanField(default=True)

    class Meta:
        abstract = True
        ordering = ["name"]

    def __str__(self):
        return self.name


class Region(ReferenceItem):
    """A group of counties the state's oversight is organised by (O4: a case is routed to
    a specialist of its county's region)."""


class County(ReferenceItem):
    state = models.CharField(max_length=2, default="ST")
    region = models.ForeignKey(
        Region, null=True, blank=True, on_delete=models.PROTECT, related_name="counties"
    )
    latitude = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True)

    class Meta(ReferenceItem.Meta):
        verbose_name_plural = "counties"


class Language(ReferenceItem):
    pass


class Skill(ReferenceItem):
    """A worker's skill or interest, matched against a family's needs (A2 d)."""


class Tribe(ReferenceItem):
    """A federally recognized tribe, for ICWA inquiries and notices."""

    placement_order = models.JSONField(
        default=list,
        blank=True,
        help_text=(
            "The tribe's own order of ICWA placement preferences, when it set one by "
            "resolution: a list of 1 (extended family), 2 (a home licensed or specified by "
            "the tribe), 3 (an Indian foster home), 4 (an institution approved by a tribe)."
        ),
    )


class Race(ReferenceItem):
    pass
