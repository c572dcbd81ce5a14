"""The portal and its REST API: FastAPI on the same store and analysis as the CLI (`assay serve`)."""

from assay.web.app import WebSettings, app_from_environment, create_app

__all__ = ["WebSettings", "app_from_environment", "create_app"]
