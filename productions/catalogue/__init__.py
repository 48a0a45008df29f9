"""The public catalogue of published scenarios: search, filters, public pages
and the data exchanged with other tools (JSON API, ScoLOMFR, OAI-PMH)."""
