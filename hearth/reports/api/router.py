"""The reports app's one router (the federal measures, the AFCARS extract, the trends);
each area's module adds its operations to it."""

from ninja import Router

router = Router(tags=["reports"])
