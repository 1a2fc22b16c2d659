"""The CDK app (``python -m infra.app``) and, under ``infra/local``, the local cloud."""
