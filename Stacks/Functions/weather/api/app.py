"""Weather service, seed 003: today's weather for machine clients with scope test/weatherforecastapi.

API Gateway has already checked the client-credentials token and its scope.
"""
import json
import os
import urllib.request


def handler(event, context):
    if event["routeKey"] == "GET /health":
        return {"statusCode": 200, "body": json.dumps({"status": "ok"})}
    url = (f"{os.environ['OPEN_WEATHER_DOMAIN']}/{os.environ['OPEN_WEATHER_API_VERSION']}/weather"
           f"?lat={os.environ['COORD_LATITUDE']}&lon={os.environ['COORD_LONGITUDE']}")
    with urllib.request.urlopen(url, timeout=5) as reply:  # noqa: S310 - fixed https URL from configuration
        return {"statusCode": reply.status, "headers": {"content-type": "application/json"}, "body": reply.read().decode()}
