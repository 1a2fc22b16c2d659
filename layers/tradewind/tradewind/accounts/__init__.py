"""Accounts: who is calling (a person or an API key), for which organisation, with which role."""
