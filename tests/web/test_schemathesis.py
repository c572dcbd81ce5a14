"""Property-based fuzzing of the API from its own OpenAPI document (schemathesis): no input gives a
500, and every error is application/problem+json. Bounded: 25 examples per operation."""

from __future__ import annotations

import schemathesis
from hypothesis import HealthCheck, given, settings

from assay.web import WebSettings, create_app

EXAMPLES_PER_OPERATION = 25


def test_no_input_makes_the_api_fail(sample_db: str) -> None:
    schema = schemathesis.openapi.from_asgi("/openapi.json", create_app(WebSettings(database_url=sample_db)))
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 9

    for operation in operations:

        @given(case=operation.as_strategy())
        @settings(
            max_examples=EXAMPLES_PER_OPERATION, deadline=None, suppress_health_check=list(HealthCheck), database=None
        )
        def no_server_error(case: schemathesis.Case) -> None:
            response = case.call()
            assert response.status_code < 500, (case.path, case.path_parameters, case.query, response.text[:300])
            if response.status_code >= 400:
                assert response.headers["content-type"][0].startswith("application/problem+json"), case.path

        no_server_error()
