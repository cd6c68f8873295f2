"""The oversight app's obligation sources (hearth.obligations.registry): one list per
area, registered in OversightConfig.ready()."""

from hearth.oversight.obligations import court, recommendations

SOURCES: list = [*recommendations.SOURCES, *court.SOURCES]
