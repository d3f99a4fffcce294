"""Digidex API: one Lambda behind an HTTP API's $default route (seed 001).

The function runs in the VPC's isolated subnets and logs in to PostgreSQL as user `digidex`
with a 15-minute IAM authentication token instead of a password: its role may call
`rds-db:connect` for exactly that database user.
"""
import json
import os

import boto3

rds = boto3.client("rds")


def connection_settings():
    token = rds.generate_db_auth_token(
        DBHostname=os.environ["DB_HOST"], Port=int(os.environ["DB_PORT"]), DBUsername=os.environ["DB_USER"])
    return {"host": os.environ["DB_HOST"], "port": int(os.environ["DB_PORT"]), "user": os.environ["DB_USER"],
            "dbname": os.environ["DB_NAME"], "password": token, "sslmode": "require"}


def handler(event, context):
    path = event.get("rawPath", "/")
    if path.endswith("/health"):
        return {"statusCode": 200, "body": json.dumps({"status": "ok"})}
    settings = connection_settings()
    return {"statusCode": 200, "headers": {"content-type": "application/json"},
            "body": json.dumps({"path": path, "database": settings["dbname"], "user": settings["user"]})}
