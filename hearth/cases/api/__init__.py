"""The cases API: the cases (cases.py) and the people in them (people.py), who are seen
through their cases (hearth.cases.access)."""
